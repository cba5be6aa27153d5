"""The manager's list, shared by both UIs: best matches for a search, else every memory (newest first)."""

from __future__ import annotations

from typing import Any

from memory.types import MemoryItem, MemoryType


def find_memories(
    memory: Any,
    *,
    user_id: str,
    query: str,
    types: list[MemoryType] | None,
    filters: dict[str, Any],
    limit: int,
    include_past: bool = False,
) -> list[MemoryItem]:
    """Raises the library's errors for the caller to show in words. ``include_past``: superseded and
    retracted memories too (otherwise a search still reaches them when it asks about the past)."""
    if query:
        past = True if include_past else None
        hits = memory.search(
            query, user_id=user_id, types=types, filters=filters, limit=limit, include_past=past
        )
        return [hit.memory for hit in hits]
    return memory.get_all(user_id=user_id, types=types, filters=filters, include_past=include_past)
