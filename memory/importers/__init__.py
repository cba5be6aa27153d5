"""Import from files: this library's own export (version 1 or 2, JSON or zip), a ChatGPT data export
(``conversations.json``, alone or in its zip) and a Mem0 ``get_all`` dump. One module per format.

Each importer reads and validates the whole file before it stores anything, so a bad file leaves
nothing behind and says what is wrong in words (``ImportFormatError``). ``progress(done, total)``
is called as the work goes, for large files.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from memory import portable
from memory.errors import ImportFormatError

if TYPE_CHECKING:
    from memory.memory import Memory

Progress = Callable[[int, int], None]
FORMATS = ("memory", "chatgpt", "mem0")
MAX_FILE_BYTES = 1024**3


class ImportReport(BaseModel):
    """What an import stored, and what it passed over and why."""

    format: str
    memories: int = 0  # memories stored (episodes and extracted facts included)
    conversations: int = 0
    turns: int = 0
    skipped: list[str] = Field(default_factory=list)


def import_file(
    memory: Memory,
    source: Any,
    *,
    user_id: str,
    format: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import ``source`` (parsed JSON, the bytes of a JSON or zip file, or a path) into ``user_id``.
    ``format`` is one of ``FORMATS``, or None to recognise it from the content."""
    if format is not None and format not in FORMATS:
        raise ImportFormatError(f"Unknown import format {format!r}; use one of {', '.join(FORMATS)}.")
    name, data = _load(source)
    if isinstance(data, bytes):  # a zip
        return _import_zip(memory, data, name, user_id, format, progress)
    kind = format or detect(data, name)
    if kind == "memory":
        return ImportReport(format=kind, memories=portable.import_memories(memory, data, user_id))
    if kind == "chatgpt":
        from memory.importers import chatgpt

        return chatgpt.import_conversations(memory, data, user_id=user_id, progress=progress)
    from memory.importers import mem0

    return mem0.import_dump(memory, data, user_id=user_id, progress=progress)


def detect(data: Any, name: str = "The file") -> str:
    """Which format parsed JSON is in, from its shape."""
    if isinstance(data, dict) and "memories" in data:
        return "memory"
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return "mem0"
    if isinstance(data, list) and data and all(isinstance(d, dict) for d in data[:50]):
        if any("mapping" in d for d in data[:50]):
            return "chatgpt"
        if any("memory" in d for d in data[:50]):
            return "mem0"
    raise ImportFormatError(
        f"{name} is not a memory export (no 'memories' list), a ChatGPT conversations.json or a Mem0 "
        "get_all dump; nothing was imported."
    )


def _load(source: Any) -> tuple[str, Any]:
    """(a name for messages, parsed JSON or the bytes of a zip)."""
    name = "The file"
    if isinstance(source, Path):
        name = source.name
        try:
            if source.stat().st_size > MAX_FILE_BYTES:
                raise ImportFormatError(f"{name} is larger than 1 GB; split it before importing.")
            source = source.read_bytes()
        except OSError as exc:
            raise ImportFormatError(f"Could not read {name}: {exc.strerror or exc}.") from exc
    if isinstance(source, bytes | bytearray):
        raw = bytes(source)
        if not raw.strip():
            raise ImportFormatError(f"{name} is empty; nothing was imported.")
        if raw[:4] == b"PK\x03\x04":
            return name, raw
        return name, portable.read_json(raw, name)
    return name, source


def _import_zip(
    memory: Memory, blob: bytes, name: str, user_id: str, format: str | None, progress: Progress | None
) -> ImportReport:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(blob)).namelist())
    except zipfile.BadZipFile as exc:
        raise ImportFormatError(f"{name} is not a readable zip file ({exc}).") from exc
    if portable.ARCHIVE_JSON in names and format in (None, "memory"):
        return ImportReport(format="memory", memories=portable.import_archive(memory, blob, user_id))
    if "conversations.json" in names and format in (None, "chatgpt"):
        from memory.importers import chatgpt

        archive = zipfile.ZipFile(io.BytesIO(blob))
        if archive.getinfo("conversations.json").file_size > MAX_FILE_BYTES:
            raise ImportFormatError("conversations.json unpacks to more than 1 GB; split the export.")
        raw = archive.read("conversations.json")
        data = portable.read_json(raw, "conversations.json")
        return chatgpt.import_conversations(memory, data, user_id=user_id, progress=progress)
    raise ImportFormatError(
        f"{name} holds neither {portable.ARCHIVE_JSON} (a memory export) nor conversations.json "
        "(a ChatGPT data export); nothing was imported."
    )
