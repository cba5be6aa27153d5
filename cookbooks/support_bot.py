"""A customer-support bot: one agent, many customers, each with isolated memory; the agent's own
resolution steps are procedural memories of that agent.

    python cookbooks/support_bot.py
"""

from __future__ import annotations

import sys
import tempfile

from memory import Memory, MemoryConfig, MemoryType


def main(data_dir: str | None = None) -> dict[str, list[str]]:
    config = MemoryConfig(**({"data_dir": data_dir} if data_dir else {}))
    agent = "support-bot"
    seen: dict[str, list[str]] = {}
    with Memory(config) as mem:
        mem.add(
            "I live in Lyon. My order number is 4471 and the blender arrived broken.",
            user_id="cust-1",
            agent_id=agent,
            session_id="ticket-1",
        )
        mem.add(
            "I'm allergic to latex. I work at Globex.",
            user_id="cust-2",
            agent_id=agent,
            session_id="ticket-2",
        )
        mem.add("Always offer a replacement before a refund.", user_id="cust-1", agent_id=agent)
        # Each customer writes again; the bot looks up what it knows with the new message.
        for customer in ("cust-1", "cust-2"):
            hits = mem.search(
                "Any news about my broken blender order?", user_id=customer, agent_id=agent, limit=3
            )
            seen[customer] = [h.text for h in hits]
            print(customer, "->", seen[customer])
        rules = mem.get_all(user_id="cust-1", agent_id=agent, types=[MemoryType.PROCEDURAL])
        print("rules for cust-1's conversations:", [r.text for r in rules])
    return seen


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="support-"))
