"""How a change the extractor was not sure of is put to the user, as a question in the chat.

"User lives in Denver." becomes "you live in Denver"; a single-valued slot has its own way to ask
("did you move to Boulder?"), every other change a plain one. Phrasings are rows, not code.
"""

from __future__ import annotations

import re

from memory.extraction import ProposedFact, Turn
from memory.types import Event, MemoryItem, PendingChange

# Slot or relation -> how to ask about the new value ({v}: the value, as the fact names it).
SLOT_QUESTIONS: dict[str, str] = {
    "home_city": "did you move to {v}?",
    "lives_in": "did you move to {v}?",
    "employer": "do you work at {v} now?",
    "works_at": "do you work at {v} now?",
    "job_title": "are you a {v} now?",
    "diet": "are you {v} now?",
    "diet_is": "are you {v} now?",
}
# Third person (as memories are written) -> second person (as the assistant speaks), first match wins.
_SECOND_PERSON: list[tuple[str, str]] = [
    (r"^user's\b", "your"),
    (r"^user is\b", "you are"),
    (r"^user was\b", "you were"),
    (r"^user has\b", "you have"),
    (r"^user does\b", "you do"),
    (r"^user (\w+?)ies\b", r"you \1y"),
    (r"^user (\w+?(?:ch|sh|ss|x|o))es\b", r"you \1"),
    (r"^user (\w+?)s\b", r"you \1"),
    (r"^user\b", "you"),
]
CHOICES = {Event.UPDATE: ["apply", "keep_both", "ignore"], Event.DELETE: ["apply", "ignore"]}


def second_person(text: str) -> str:
    """'User lives in Denver.' -> 'you live in Denver' (other texts are quoted as they are)."""
    text = text.strip().rstrip(".")
    for pattern, repl in _SECOND_PERSON:
        spoken, n = re.subn(pattern, repl, text, count=1, flags=re.IGNORECASE)
        if n:
            spoken = re.sub(r"\buser's\b", "your", spoken, flags=re.IGNORECASE)
            return re.sub(r"\buser\b", "you", spoken, flags=re.IGNORECASE)
    return f'"{text}"'


def question(event: Event, old: MemoryItem, fact: ProposedFact) -> str:
    told = f"You told me {second_person(old.text)}"
    if event == Event.DELETE:
        return f"{told}: is that no longer true?"
    relation = fact.relations[0] if fact.relations else None
    keys = [fact.slot, old.slot, relation.relation if relation else None]
    key = next((k for k in keys if k in SLOT_QUESTIONS), None)
    value = relation.object if relation else (fact.entities[0] if fact.entities else None)
    if key is not None and value:
        return f"{told}: {SLOT_QUESTIONS[key].format(v=value)}"
    return f"{told}: should I remember instead that {second_person(fact.text or '')}?"


def ask(turn: Turn, fact: ProposedFact, old: MemoryItem) -> PendingChange:
    """The pending change for a proposal about ``old``, with what is needed to apply it later."""
    return PendingChange(
        user_id=turn.user_id,
        agent_id=turn.agent_id,
        session_id=turn.session_id,
        event=fact.event,
        memory_id=old.id,
        old_text=old.text,
        new_text=fact.text if fact.event == Event.UPDATE else None,
        question=question(fact.event, old, fact),
        confidence=fact.confidence,
        choices=CHOICES[fact.event],
        proposal=fact.model_dump(mode="json", exclude={"target", "confidence"}),
        turn=turn.model_dump(mode="json", exclude={"context"}),
    )
