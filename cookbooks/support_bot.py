"""A customer-support bot: the agent's playbook and returns policy are set up once, in the agent's
shared memory; every customer's orders and problems stay in that customer's own memory.

Two customers open two tickets each. On the second ticket the bot already knows the order number
the customer gave on the first, so it does not ask again; both customers get the playbook and the
policy; neither ever sees the other's memories. Runs offline (answers from memory); set
MEMORY_LLM__BASE_URL for real replies.

    python cookbooks/support_bot.py
"""

from __future__ import annotations

import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF

from memory import Memory, MemoryConfig
from memory.assistant import Assistant

AGENT = "support-bot"
PLAYBOOK = [
    "Always offer a replacement before a refund.",
    "Never promise a delivery date.",
]
POLICY = [
    "Returns policy of the Example Home Store.",
    "Items can be returned within 30 days of delivery, in their original packaging.",
    "A refund is paid to the original payment method within 5 working days of receiving the item.",
]
# customer -> tickets, each a list of the customer's messages in that conversation
TICKETS: dict[str, list[tuple[str, list[str]]]] = {
    "cust-1": [
        ("ticket-1", ["My blender arrived broken.", "The order number is 4471."]),
        ("ticket-2", ["The replacement blender makes a grinding noise. Can I still return it?"]),
    ],
    "cust-2": [
        ("ticket-3", ["My kettle leaks from the bottom.", "It is order 9902, delivered to Leeds."]),
        ("ticket-4", ["The new kettle leaks too. Can I return it?"]),
    ],
}
ORDER = re.compile(r"\border(?: number)?(?: is)?\D{0,4}(\d{4,})", re.IGNORECASE)


@dataclass
class Contact:
    """One message of a customer and what the bot had in hand to answer it."""

    customer: str
    ticket: str
    message: str
    order: str | None  # the order number the bot knew (from the message or from memory)
    asked_for_order: bool
    rules: list[str] = field(default_factory=list)  # rules the reply followed
    memories: list[tuple[str, str]] = field(default_factory=list)  # (scope, text) retrieved
    reply: str = ""


def write_policy_pdf(path: Path) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in POLICY:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    path.write_bytes(bytes(pdf.output()))
    return path


def set_up_agent(mem: Memory, policy_pdf: Path) -> None:
    """Once per agent, by an operator: the playbook and the knowledge base go to the agent's own memory."""
    for rule in PLAYBOOK:
        mem.add(rule, agent_id=AGENT, scope="agent")
    mem.ingest(policy_pdf, agent_id=AGENT, scope="agent")


def remembered_order(mem: Memory, customer: str) -> str | None:
    """The order number this customer gave in an earlier message, if any (their own memory only)."""
    for hit in mem.search("my order number", user_id=customer, agent_id=AGENT, limit=5):
        found = ORDER.search(hit.text)
        if hit.scope == "user" and found:
            return found.group(1)
    return None


def handle(bot: Assistant, customer: str, ticket: str, message: str) -> Contact:
    said = ORDER.search(message)
    order = said.group(1) if said else remembered_order(bot.memory, customer)
    turn = bot.turn(message, user_id=customer, agent_id=AGENT, session_id=ticket)
    reply = turn.reply()
    if order is None:
        reply = "Could you give me your order number?\n\n" + reply
    else:
        reply = f"About your order {order}:\n\n" + reply
    turn.wait_write(timeout=60)
    return Contact(
        customer=customer,
        ticket=ticket,
        message=message,
        order=order,
        asked_for_order=order is None,
        rules=[r.text for r in turn.rules],
        memories=[(h.scope, h.text) for h in turn.memories],
        reply=reply,
    )


def main(data_dir: str | None = None) -> list[Contact]:
    root = Path(data_dir or tempfile.mkdtemp(prefix="support-"))
    config = MemoryConfig(data_dir=root / "memory")
    contacts: list[Contact] = []
    with Memory(config) as mem, Assistant(mem) as bot:
        set_up_agent(mem, write_policy_pdf(root / "returns-policy.pdf"))
        for round_ in range(2):  # first tickets of both customers, then their second tickets
            for customer, tickets in TICKETS.items():
                ticket, messages = tickets[round_]
                for message in messages:
                    contact = handle(bot, customer, ticket, message)
                    contacts.append(contact)
                    print(f"[{customer} {ticket}] {message}")
                    print(f"  order known: {contact.order or '-'}; asked for it: {contact.asked_for_order}")
                    print(f"  rules: {contact.rules}")
                    for scope, text in contact.memories[:4]:
                        print(f"  {scope:>5} memory: {text[:90]!r}")
    return contacts


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
