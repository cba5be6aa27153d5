"""No echo: a chat turn is not offered beside the rule or fact it stated.

A rule or fact extracted from a turn carries that turn's source (same ``turn_id``) as its provenance.
When the derived memories offered with a search (its hits, or the active rules that always go to the
model) carry what the turn said, the turn itself is an echo and is left out. A turn that said more
than was derived from it (an order number beside a rule, say) stays.
"""

from __future__ import annotations

import re

from memory.types import MemoryHit, MemoryItem, MemoryType, SourceKind

COVERED = 0.6  # share of a turn's content words its derived memories must carry for it to be an echo
_STOP = frozenset(
    "a an and are as at be but by for from i i'm in is it me my of on or so that the this to we with you "
    "your user user's please now from on also just always never".split()
)


def drop_echoes(hits: list[MemoryHit], rules: list[MemoryItem] = ()) -> list[MemoryHit]:
    """The hits without the chat turns whose content the derived memories among ``hits`` and
    ``rules`` already carry. Order and scores of the rest are unchanged."""
    derived: dict[tuple[str, str], set[str]] = {}
    for item in [h.memory for h in hits] + list(rules):
        key = _turn_key(item)
        if key is not None and item.type != MemoryType.EPISODIC:
            derived.setdefault(key, set()).update(_words(item.text))
    if not derived:
        return hits
    return [h for h in hits if not _echo(h.memory, derived)]


def _echo(item: MemoryItem, derived: dict[tuple[str, str], set[str]]) -> bool:
    key = _turn_key(item)
    if item.type != MemoryType.EPISODIC or key not in derived:
        return False
    said = _words(item.text)
    return not said or len(said & derived[key]) >= COVERED * len(said)


def _turn_key(item: MemoryItem) -> tuple[str, str] | None:
    """(owner, turn id) of a memory that came from a chat turn."""
    if item.source.kind != SourceKind.CHAT or not item.source.turn_id:
        return None
    return item.user_id, item.source.turn_id


def _words(text: str) -> set[str]:
    """Content words, lower-cased, with a plural or third-person 's' taken off."""
    words = re.findall(r"[a-z0-9']+", text.casefold())
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words if w not in _STOP}
