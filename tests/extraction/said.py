"""What the extraction tests read back from a real Memory after telling it something."""

from __future__ import annotations

from memory.types import Event, MemoryType


def semantic(memory, user: str = "u") -> list[str]:
    """The user's current facts, sorted."""
    return sorted(m.text for m in memory.get_all(user_id=user) if m.type == MemoryType.SEMANTIC)


def stored(memory, user: str = "u") -> list[str]:
    """The user's current facts and rules (everything but episodes), sorted."""
    return sorted(m.text for m in memory.get_all(user_id=user) if m.type != MemoryType.EPISODIC)


def updates_after(memory, held: str, said: str, user: str = "u") -> tuple[str, list[tuple[str, str]]]:
    """Tell ``held``, then ``said``: the one fact ``held`` stored, and the (old, new) texts of the UPDATEs
    ``said`` made."""
    memory.add(held, user_id=user)
    (before,) = semantic(memory, user)
    result = memory.add(said, user_id=user)
    return before, [(op.old_text, op.new_text) for op in result.by_event(Event.UPDATE)]


def told_after(memory, held: str, said: str, user: str = "u"):
    """Tell ``held``, then ``said``: the one fact ``held`` stored, and the result of ``said``."""
    memory.add(held, user_id=user)
    (before,) = semantic(memory, user)
    return before, memory.add(said, user_id=user)


def facts_around(memory, held: list[str], said: str, user: str = "u") -> tuple[list[str], list[str]]:
    """Tell each of ``held``, then ``said``: the user's facts before ``said`` and after it."""
    for fact in held:
        memory.add(fact, user_id=user)
    before = semantic(memory, user)
    memory.add(said, user_id=user)
    return before, semantic(memory, user)


def say(memory, *turns: str, user: str = "u"):
    """Tell each turn in order; the result of the last."""
    result = None
    for text in turns:
        result = memory.add(text, user_id=user)
    return result


def changed(result) -> list[tuple[Event, str | None, str | None]]:
    """(event, old text, new text) of each fact or rule a turn changed."""
    return [
        (op.event, op.old_text, op.new_text)
        for op in result.changed()
        if op.type != MemoryType.EPISODIC and op.event != Event.NONE
    ]
