"""Export and import of a user's memories.

An export holds every memory of the user, past ones included, with provenance and validity.
An import is all or nothing. It never trusts the file: ids are canonicalised and an id that belongs
to another user (in any spelling) gets a new one; rules arrive inactive until the user confirms them;
paths to stored files that would leave this user's media are dropped.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingestion import media
from memory.errors import InvalidInputError, UnsafePathError
from memory.types import MemoryItem, MemoryType, canonical_id, utcnow

if TYPE_CHECKING:
    from memory.memory import Memory

EXPORT_VERSION = 1
MAX_IMPORT = 100_000  # memories in one import


def export_memories(memory: Memory, user_id: str) -> dict[str, Any]:
    items = sorted(memory.iter_all(user_id=user_id), key=lambda i: i.created_at)
    return {
        "version": EXPORT_VERSION,
        "user_id": user_id,
        "exported_at": utcnow().isoformat(),
        "memories": [i.model_dump(mode="json") for i in items],
    }


def import_memories(memory: Memory, data: Any, user_id: str) -> int:
    """Validate the whole file first, then write it in one unit of work."""
    if not isinstance(data, dict) or not isinstance(data.get("memories"), list):
        raise InvalidInputError("This is not a memory export (no 'memories' list).")
    if len(data["memories"]) > MAX_IMPORT:
        raise InvalidInputError(f"An import holds at most {MAX_IMPORT:,} memories; split the file.")
    items = [_parse(n, raw, user_id, memory) for n, raw in enumerate(data["memories"], start=1)]
    ids = [i.id for i in items]
    if len(set(ids)) != len(ids):
        raise InvalidInputError("The export lists the same memory id twice; nothing was imported.")
    taken = memory.taken_ids(ids, user_id)
    renamed = {old: str(uuid.uuid4()) for old in taken}
    items = [_rekey(i, renamed) for i in items]
    memory.write_imported(items, user_id)
    return len(items)


def _parse(n: int, raw: Any, user_id: str, memory: Memory) -> MemoryItem:
    if not isinstance(raw, dict):
        raise InvalidInputError(f"Memory {n} of the export is not an object; nothing was imported.")
    fields = {k: v for k, v in raw.items() if k not in ("user_id",)}
    for key in ("id", "supersedes", "superseded_by"):
        if fields.get(key) is not None:
            canonical = canonical_id(fields[key])
            if canonical is None:
                raise InvalidInputError(
                    f"Memory {n} has an invalid {key} {fields[key]!r}; nothing was imported."
                )
            fields[key] = canonical
    try:
        item = MemoryItem.model_validate({**fields, "user_id": user_id})
    except Exception as exc:
        raise InvalidInputError(f"Memory {n} of the export is malformed: {_first_error(exc)}") from exc
    item = item.model_copy(
        update={"text": memory._check_text(item.text), "source": _safe_source(item, memory)}
    )
    if item.type == MemoryType.PROCEDURAL:  # a rule from a file waits for the user's confirmation
        item = item.model_copy(update={"metadata": {**item.metadata, "inactive": True, "imported": True}})
    return item


def _safe_source(item: MemoryItem, memory: Memory) -> Any:
    """Stored-file paths are kept only when they point at an existing file in this user's own media."""
    keep: dict[str, str | None] = {}
    for key in ("image_path", "thumbnail_path"):
        rel = getattr(item.source, key)
        if rel is None:
            continue
        try:
            ok = media.media_path_for(Path(memory.config.data_dir), rel, user_id=item.user_id).is_file()
        except UnsafePathError:
            ok = False
        keep[key] = rel if ok else None
    return item.source.model_copy(update=keep) if keep else item.source


def _rekey(item: MemoryItem, renamed: dict[str, str]) -> MemoryItem:
    if not renamed:
        return item
    return item.model_copy(
        update={
            "id": renamed.get(item.id, item.id),
            "supersedes": renamed.get(item.supersedes or "", item.supersedes),
            "superseded_by": renamed.get(item.superseded_by or "", item.superseded_by),
        }
    )


def _first_error(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return f"{where}: {first.get('msg')}"
    return str(exc)
