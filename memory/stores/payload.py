"""The payload schema shared by both Qdrant stores, and the scope filter built from it.

Both qdrant_edge and qdrant_client expose FieldCondition / MatchValue / MatchAny / Filter with the
same arguments; ``scope_conditions`` builds the list of conditions with whichever module it is given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import qdrant_edge as qe

from memory.stores.base import ScopeFilter
from memory.types import MemoryItem, MemoryType, slot_family

DENSE = "dense"
SPARSE = "bm25"
# Payload fields with an index: the scope fields every query filters on, plus the filters of the manager.
KEYWORD_FIELDS = ("user_id", "agent_id", "session_id", "type", "slot", "source_kind", "file_sha256", "state")
PAST = "past"  # ``state`` of a superseded or retracted memory; current ones say "current"
FLOAT_FIELDS = ("created_ts", "index_recipe")
# The version of ``index_text``: raised whenever what a memory's keyword vector is built from changes, so
# memories written before are rebuilt (``refresh_keywords``). 2: facts carry the words of ``ASKED_WITH``.
# 3: a pet's fact carries "pet" and, for a breed, its animal; a partner's, the bond (``_kin_words``).
INDEX_RECIPE = 3
_REFRESH_PAGE = 256


def make_bm25() -> qe.Bm25:
    """The BM25 sparse encoder both stores use (English stemming and stop words; chat-sized documents)."""
    return qe.Bm25(qe.Bm25Config(language="english", avg_len=24.0))


INDEX_CONTEXT = "index_context"  # metadata key: text that helps find a memory without being part of it


# The words people ask about a kind of fact with, by its slot (the part before ":"): "what do I eat?"
# finds "User is vegan." (slot "diet"), which shares no word with it and is too short for the embedding
# to place it near the question.
ASKED_WITH: dict[str, str] = {
    "diet": "diet eat food",
    "eats": "diet eat food",
    "allergy": "allergy allergic food",
    "home_city": "live home city town",
    "hometown": "grew up home town",
    "birthplace": "born",
    "employer": "work job company employer",
    "job_title": "work job profession",
    "job_field": "work job field",
    "school": "study school university",
    "health": "health condition",
    "takes": "medication medicine take",
    "family": "family",
    "relationship status": "relationship partner married single",
    "speaks": "language speak",
    "learning": "learn",
    "likes": "like favourite",
    "favorite": "favourite like",
    "age": "age old",
    "birthday": "birthday born",
    "birth_year": "born age",
    "name": "name",
    "nickname": "name",
    "car": "car drive",
    "plays": "play hobby",
    "member": "member club",
    "timezone": "timezone time",
}


# A pet's "family:<kind>:<name>" slot ("family:retriever:biscuit") is asked about as a pet, and a breed
# also by its animal ("what's my dog's name?").
_BREEDS = {
    **dict.fromkeys(
        """corgi labrador lab poodle beagle husky terrier retriever dachshund pug chihuahua spaniel collie
        shepherd bulldog greyhound whippet schnauzer doodle labradoodle cockapoo puppy pup""".split(),
        "dog",
    ),
    **dict.fromkeys("tabby maine_coon siamese kitten kitty".split(), "cat"),
}
_PETS = frozenset(_BREEDS) | frozenset(
    """dog cat pet parrot rabbit bunny hamster horse pony turtle tortoise snake fish goldfish guinea_pig gecko
    lizard ferret budgie hedgehog""".split()
)


# A partner is asked about by the bond: "am I married?" finds "User's husband is named Tom.".
_PARTNERS = {
    **dict.fromkeys(("husband", "wife", "spouse"), "married spouse partner"),
    **dict.fromkeys(("partner", "boyfriend", "girlfriend"), "partner relationship dating"),
    **dict.fromkeys(("fiance", "fiancee", "fiancé", "fiancée"), "engaged partner relationship"),
}


def _kin_words(slot: str | None) -> str:
    """What a relative's or a pet's fact is asked about with, beyond "family"."""
    parts = (slot or "").split(":")
    if len(parts) < 2 or parts[0] != "family":
        return ""
    if parts[1] in _PETS:
        return f"pet animal {_BREEDS.get(parts[1], '')}".strip()
    return _PARTNERS.get(parts[1], "")


def index_text(item: MemoryItem) -> str:
    """The text the BM25 vector is computed from: the memory, the context it was said in (for a chat
    turn, the turn before it, in ``metadata["index_context"]``), for an episode its date in words, and
    for a fact the words its kind is asked about with (``ASKED_WITH``).

    A reply like "Yes, last Friday!" is found by the words of the question it answers, "in May 2023" by
    its session date, and "User is vegan." by "what do I eat?"; the stored and displayed text stays the
    memory alone.
    """
    parts = [item.text]
    if asked := ASKED_WITH.get(slot_family(item.slot) or ""):
        parts.append(asked)
    if kin := _kin_words(item.slot):
        parts.append(kin)
    context = item.metadata.get(INDEX_CONTEXT)
    if isinstance(context, str) and context.strip():
        parts.append(context)
    if item.type == MemoryType.EPISODIC and item.valid_from is not None:
        parts.append(f"{item.valid_from.day} {item.valid_from:%B %Y}")
    return "\n".join(parts)


def to_payload(item: MemoryItem) -> dict[str, Any]:
    data = item.model_dump(mode="json", exclude={"id", "scope"})
    data["source_kind"] = item.source.kind.value
    data["file_sha256"] = item.source.file_sha256
    data["created_ts"] = item.created_at.timestamp()
    data["state"] = "current" if item.current else PAST
    data["index_recipe"] = INDEX_RECIPE
    return data


_DERIVED = ("source_kind", "file_sha256", "created_ts", "state", "index_recipe")


def from_payload(point_id: Any, payload: dict[str, Any]) -> MemoryItem:
    data = {k: v for k, v in payload.items() if k not in _DERIVED}
    return MemoryItem.model_validate({"id": str(point_id), **data})


def scope_filter(scope: ScopeFilter, m: Any, range_cls: Any, extra: list[Any] | None = None) -> Any:
    """The engine filter for a scope: its conditions, and past memories left out unless asked for."""
    must_not = [] if scope.include_past else [m.FieldCondition(key="state", match=m.MatchValue(value=PAST))]
    if scope.stale_index:  # written under an older recipe, or before there was one
        must_not.append(m.FieldCondition(key="index_recipe", range=range_cls(gte=INDEX_RECIPE)))
    return m.Filter(must=scope_conditions(scope, m, range_cls) + (extra or []), must_not=must_not)


def in_scope(item: MemoryItem, scope: ScopeFilter) -> bool:
    """Second check after the engine filter: a record outside the scope never leaves the store."""
    checks = (
        item.user_id in scope.owners,
        scope.agent_id is None or item.agent_id == scope.agent_id,
        scope.session_id is None or item.session_id == scope.session_id,
        not scope.types or item.type in scope.types,
        scope.slot is None or item.slot == scope.slot,
        scope.source_kind is None or item.source.kind.value == scope.source_kind,
        scope.file_sha256 is None or item.source.file_sha256 == scope.file_sha256,
        scope.created_after is None or item.created_at.timestamp() >= scope.created_after.timestamp(),
        scope.created_before is None or item.created_at.timestamp() <= scope.created_before.timestamp(),
        scope.include_past or item.current,
    )
    return all(checks)


def foreign_ids(records: list[Any], user_id: str) -> list[str]:
    """Ids among existing points (records with payloads) that belong to another user."""
    return [str(r.id) for r in records if (r.payload or {}).get("user_id") != user_id]


def scope_conditions(scope: ScopeFilter, m: Any, range_cls: Any) -> list[Any]:
    """Filter conditions for a scope. ``m`` is qdrant_edge or qdrant_client.models."""
    conds = [owner_condition(scope, m)]
    for key in ("agent_id", "session_id", "slot", "source_kind", "file_sha256"):
        value = getattr(scope, key)
        if value is not None:
            conds.append(m.FieldCondition(key=key, match=m.MatchValue(value=value)))
    if scope.types:
        conds.append(m.FieldCondition(key="type", match=m.MatchAny(any=[t.value for t in scope.types])))
    if scope.created_after or scope.created_before:
        conds.append(
            m.FieldCondition(
                key="created_ts",
                range=range_cls(gte=_ts(scope.created_after), lte=_ts(scope.created_before)),
            )
        )
    return conds


def owner_condition(scope: ScopeFilter, m: Any) -> Any:
    """The mandatory condition on the owner: the user alone, or the user and their agent's shared scope."""
    if not scope.user_id:
        raise ValueError("user_id is required for every store call")
    owners = scope.owners
    if len(owners) == 1:
        return m.FieldCondition(key="user_id", match=m.MatchValue(value=owners[0]))
    return m.FieldCondition(key="user_id", match=m.MatchAny(any=owners))


def _ts(value: datetime | None) -> float | None:
    return value.timestamp() if value else None


def paged_items(
    fetch: Callable[[Any, int], tuple[list[Any], Any]], limit: int | None, page_size: int = 512
) -> Iterator[MemoryItem]:
    """Walk a scroll API page by page: ``fetch(offset, n)`` returns (records, next offset or None)."""
    offset, seen = None, 0
    while limit is None or seen < limit:
        records, offset = fetch(offset, page_size if limit is None else min(page_size, limit - seen))
        for r in records:
            yield from_payload(r.id, r.payload or {})
        seen += len(records)
        if offset is None or not records:
            return


def refresh_keywords(
    fetch: Callable[[int], list[Any]], upsert: Callable[[list[MemoryItem], list[list[float]]], None]
) -> int:
    """Rebuild the keyword vectors of the points a stale-index scope selects, a page at a time, from their
    stored payloads and dense vectors: nothing is embedded again, and text, times and history stay as they
    are. ``fetch(n)`` reads the first n stale points with payload and dense vector; a rewritten point
    leaves the selection, so each page is read from the start. The number of memories rewritten."""
    done: set[str] = set()
    while records := [r for r in fetch(_REFRESH_PAGE) if r.vector and DENSE in r.vector]:
        if all(str(r.id) in done for r in records):
            break  # the engine did not take the rewrite: do not loop on it
        upsert([from_payload(r.id, r.payload or {}) for r in records], [r.vector[DENSE] for r in records])
        done.update(str(r.id) for r in records)
    return len(done)
