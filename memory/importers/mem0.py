"""A Mem0 ``get_all`` dump: ``{"results": [{"id", "memory", "user_id", "created_at", ...}]}``, or the
older plain list of the same records. Each becomes a semantic memory, stored as written (Mem0's
memories are already facts), with its time and Mem0's ids kept in the metadata."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from memory.errors import ImportFormatError
from memory.types import MemoryInput, MemoryType, Source, SourceKind

if TYPE_CHECKING:
    from memory.importers import ImportReport, Progress
    from memory.memory import Memory

CHUNK = 500  # memories per write (and per progress step)
_KEPT = ("id", "user_id", "agent_id", "run_id", "hash", "categories")


def parse(data: Any, max_chars: int) -> list[MemoryInput]:
    """Every record as a memory to store, or an error naming the first bad record."""
    records = data.get("results") if isinstance(data, dict) else data
    if not isinstance(records, list):
        raise ImportFormatError("A Mem0 dump is a list of memories, or an object with a 'results' list.")
    out = []
    for n, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise ImportFormatError(f"Entry {n} of the Mem0 dump is not an object; nothing was imported.")
        text = record.get("memory")
        if not isinstance(text, str) or not text.strip():
            raise ImportFormatError(f"Entry {n} of the Mem0 dump has no 'memory' text; nothing was imported.")
        if len(text) > max_chars or "\x00" in text:
            raise ImportFormatError(
                f"Entry {n} of the Mem0 dump is not a storable text (over {max_chars:,} characters, or "
                "holding a NUL character); nothing was imported."
            )
        metadata = record.get("metadata") if isinstance(record.get("metadata"), dict) else {}
        kept = {f"mem0_{k}": record[k] for k in _KEPT if record.get(k) is not None}
        out.append(
            MemoryInput(
                text=text.strip(),
                type=MemoryType.SEMANTIC,
                source=Source(kind=SourceKind.IMPORT),
                occurred_at=_time(record.get("created_at"), n),
                metadata={**metadata, **kept, "imported_from": "mem0"},
            )
        )
    return out


def import_dump(memory: Memory, data: Any, *, user_id: str, progress: Progress | None = None) -> ImportReport:
    from memory.importers import ImportReport

    inputs = parse(data, memory.config.max_text_chars)
    stored = 0
    for start in range(0, len(inputs), CHUNK):
        stored += len(memory.add_batch(inputs[start : start + CHUNK], user_id=user_id))
        if progress is not None:
            progress(min(start + CHUNK, len(inputs)), len(inputs))
    return ImportReport(format="mem0", memories=stored)


def _time(value: Any, n: int) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise ImportFormatError(
            f"Entry {n} of the Mem0 dump has a created_at that is not a date ({value!r}); nothing was imported."
        ) from exc
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)  # naive: UTC
