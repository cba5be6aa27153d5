"""What the extraction tests read back from a real Memory after telling it something."""

from __future__ import annotations

from memory.types import Event, MemoryType


def semantic(memory, user: str = "u") -> list[str]:
    """The user's current facts, sorted."""
    return sorted(m.text for m in memory.get_all(user_id=user) if m.type == MemoryType.SEMANTIC)


def updates_after(memory, held: str, said: str, user: str = "u") -> tuple[str, list[tuple[str, str]]]:
    """Tell ``held``, then ``said``: the one fact ``held`` stored, and the (old, new) texts of the UPDATEs
    ``said`` made."""
    memory.add(held, user_id=user)
    (before,) = semantic(memory, user)
    result = memory.add(said, user_id=user)
    return before, [(op.old_text, op.new_text) for op in result.by_event(Event.UPDATE)]
