"""Export and import of a user's memories (format: ``docs/export.md``, ``docs/export-v2.schema.json``).

An export (version 2) holds every memory of the user, past ones included, each with its history,
validity times and provenance, plus the user's graph edges and uploaded documents; as a zip it also
carries the stored media. An import is all or nothing. It never trusts the file: ids are
canonicalised and an id that belongs to another user (in any spelling) gets a new one; rules arrive
inactive until the user confirms them; paths to stored files that would leave this user's media are
dropped. Version 1 files (memories only) still import. Other products' files: ``memory.importers``.
"""

from __future__ import annotations

import io
import json
import re
import uuid
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingestion import media
from memory.agent_scope import agent_of, is_agent_owner
from memory.checks import check_owner
from memory.errors import ImportFormatError, InvalidInputError, UnsafePathError
from memory.stores.base import ScopeFilter, VectorStore
from memory.types import Event, GraphEdge, MemoryItem, MemoryType, canonical_id, utcnow
from memory.writes import HistoryRow, Stores, Writing

if TYPE_CHECKING:
    from memory.memory import Memory

EXPORT_VERSION = 2
FORMAT = "memory-export"
MAX_IMPORT = 100_000  # memories in one import
ARCHIVE_JSON = "export.json"
MAX_ARCHIVE_BYTES = 2 * 1024**3  # uncompressed, all media together
_MEDIA_NAME = re.compile(r"^[0-9a-f]{64}(?:_thumb)?\.[a-z0-9]{1,8}$")
_HISTORY_KEYS = ("event", "old_text", "new_text", "at", "actor", "reason")


# -- export ------------------------------------------------------------------------------------------
def export_memories(memory: Memory, user_id: str) -> dict[str, Any]:
    """The user's memories with history, graph edges and documents, as one JSON-serialisable dict."""
    items = sorted(memory.iter_all(user_id=user_id), key=lambda i: (i.created_at, i.id))
    history = memory._history  # the raw rows of each memory (``Memory.history`` adds predecessors)
    edges = memory.graph.edges(user_id, include_past=True) if memory.graph is not None else []
    return {
        "format": FORMAT,
        "version": EXPORT_VERSION,
        "user_id": user_id,
        "exported_at": utcnow().isoformat(),
        "memories": [
            {
                **i.model_dump(mode="json", exclude={"user_id"}),
                "history": [
                    h.model_dump(mode="json", include=set(_HISTORY_KEYS))
                    for h in history.for_memory(i.id, user_id)
                ],
            }
            for i in items
        ],
        "edges": [e.model_dump(mode="json") for e in edges],
        "documents": [
            {**d, "uploaded_at": d["uploaded_at"].isoformat()} for d in memory.documents(user_id=user_id)
        ],
    }


def export_archive(memory: Memory, user_id: str) -> bytes:
    """A zip: ``export.json`` and, under ``media/``, every stored file the memories refer to."""
    data = export_memories(memory, user_id)
    root = Path(memory.config.data_dir)
    buffer = io.BytesIO()
    listed: list[dict[str, Any]] = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for rel in sorted({p for m in data["memories"] for p in _media_of(m)}):
            try:
                path = media.media_path_for(root, rel, user_id=user_id)
            except UnsafePathError:
                continue
            if path.is_file():
                archive.write(path, f"media/{path.name}")
                listed.append({"path": rel, "file": f"media/{path.name}", "bytes": path.stat().st_size})
        data["media"] = listed
        archive.writestr(ARCHIVE_JSON, json.dumps(data, indent=1))
    return buffer.getvalue()


def _media_of(record: dict[str, Any]) -> list[str]:
    source = record.get("source") or {}
    return [p for p in (source.get("image_path"), source.get("thumbnail_path")) if isinstance(p, str) and p]


# -- import ------------------------------------------------------------------------------------------
def import_memories(memory: Memory, data: Any, user_id: str) -> int:
    """Validate the whole file first, then write it in one unit of work."""
    if not isinstance(data, dict) or not isinstance(data.get("memories"), list):
        raise InvalidInputError("This is not a memory export (no 'memories' list).")
    version = data.get("version", 1)
    if version not in (1, EXPORT_VERSION):
        raise ImportFormatError(
            f"This export is version {version!r}; this library reads versions 1 and {EXPORT_VERSION}. "
            "Update the library, or export again with version 2."
        )
    if len(data["memories"]) > MAX_IMPORT:
        raise InvalidInputError(f"An import holds at most {MAX_IMPORT:,} memories; split the file.")
    items = [_parse(n, raw, user_id, memory) for n, raw in enumerate(data["memories"], start=1)]
    ids = [i.id for i in items]
    if len(set(ids)) != len(ids):
        raise InvalidInputError("The export lists the same memory id twice; nothing was imported.")
    taken = memory.taken_ids(ids, user_id)
    renamed = {old: str(uuid.uuid4()) for old in taken}
    items = [_rekey(i, renamed) for i in items]
    if version == 1:
        memory.write_imported(items, user_id)
        return len(items)
    history = {
        renamed.get(old, old): _history(n, raw.get("history"), renamed.get(old, old), user_id)
        for n, (old, raw) in enumerate(zip(ids, data["memories"], strict=True), start=1)
    }
    edges = _edges(data.get("edges"), set(ids), renamed)
    memory.write_imported(items, user_id, edges=edges, history=history)
    return len(items)


def import_archive(memory: Memory, blob: bytes, user_id: str) -> int:
    """An export zip: its media go into this user's media folder (taken back if the import fails),
    then its ``export.json`` is imported with the paths pointing there."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(blob))
        names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise ImportFormatError(f"The archive is not a readable zip file ({exc}).") from exc
    if ARCHIVE_JSON not in names:
        raise ImportFormatError(f"The archive holds no {ARCHIVE_JSON}; it is not a memory export archive.")
    if sum(info.file_size for info in archive.infolist()) > MAX_ARCHIVE_BYTES:
        raise ImportFormatError("The archive unpacks to more than 2 GB; import the memories without media.")
    data = read_json(archive.read(ARCHIVE_JSON), ARCHIVE_JSON)
    if not isinstance(data, dict) or not isinstance(data.get("memories"), list):
        raise ImportFormatError(f"{ARCHIVE_JSON} in the archive is not a memory export.")
    folder = media.user_media_dir(Path(memory.config.data_dir), user_id)
    written: list[Path] = []
    moved: dict[str, str] = {}
    try:
        for entry in data.get("media") or []:
            if not isinstance(entry, dict) or entry.get("file") not in names:
                raise ImportFormatError(f"A media entry of the archive names no file in it: {entry!r}.")
            name = Path(entry["file"]).name
            if not _MEDIA_NAME.match(name):
                raise ImportFormatError(f"The archive holds a media file with an unexpected name: {name!r}.")
            target = folder / name
            if not target.exists():
                folder.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(entry["file"]))
                written.append(target)
            moved[str(entry.get("path"))] = media.relative_path(Path(memory.config.data_dir), target)
        for record in data["memories"]:
            source = record.get("source") if isinstance(record, dict) else None
            if isinstance(source, dict):
                for key in ("image_path", "thumbnail_path"):
                    if source.get(key) in moved:
                        source[key] = moved[source[key]]
        return import_memories(memory, data, user_id)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def write_imported(
    stores: Stores,
    writing: Writing,
    items: list[MemoryItem],
    user_id: str,
    edges: list[GraphEdge] | None,
    history: dict[str, list[HistoryRow]] | None,
) -> None:
    """Store prepared import records in one unit of work: each id is new, or already this owner's.
    Records imported into an agent's shared memory belong to that agent. ``edges`` and ``history``
    (export version 2): a new memory gets the graph edges and history rows exported with it,
    instead of edges derived from its relations and an "imported" row."""
    user_id = check_owner(user_id)
    if is_agent_owner(user_id):
        items = [i.model_copy(update={"agent_id": agent_of(user_id)}) for i in items]
    vectors = stores.embed([i.text for i in items])
    with writing(user_id) as uow:
        assert uow is not None
        owned = {
            i.id: i
            for i in stores.vectors.get(
                [i.id for i in items], ScopeFilter(user_id=user_id, include_past=True)
            )
        }
        fresh = [(i, v) for i, v in zip(items, vectors, strict=True) if i.id not in owned]
        uow.add(
            [i for i, _ in fresh],
            actor="user",
            reason="imported",
            vectors=[v for _, v in fresh],
            link=edges is None,
            record=history is None,
        )
        for item, _ in fresh if history is not None else ():
            for row in history.get(item.id) or [
                (item.id, user_id, Event.ADD, None, item.text, "user", "imported")
            ]:
                uow.record(row)
        uow.restore_edges(edges or [])
        for item in items:
            if item.id in owned:
                uow.rewrite(owned[item.id], item, event=Event.UPDATE, actor="user", reason="imported")


def taken_ids(vectors: VectorStore, ids: list[str], user_id: str) -> set[str]:
    """Which of these (canonical) ids belong to someone other than this user."""
    mine = {i.id for i in vectors.get(ids, ScopeFilter(user_id=user_id, include_past=True))}
    return vectors.existing_ids(ids) - mine


def read_json(raw: bytes, name: str) -> Any:
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"{name} is not UTF-8 text; export it again as JSON.") from exc
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "was the file cut short?"
        ) from exc


def _parse(n: int, raw: Any, user_id: str, memory: Memory) -> MemoryItem:
    if not isinstance(raw, dict):
        raise InvalidInputError(f"Memory {n} of the export is not an object; nothing was imported.")
    fields = {k: v for k, v in raw.items() if k not in ("user_id", "history")}
    for key in ("id", "supersedes", "superseded_by"):
        if fields.get(key) is not None:
            fields[key] = _canonical(fields[key], f"Memory {n} has an invalid {key}")
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


def _history(n: int, rows: Any, memory_id: str, user_id: str) -> list[HistoryRow]:
    if rows is None:
        return []
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ImportFormatError(f"The history of memory {n} is not a list of rows; nothing was imported.")
    out: list[HistoryRow] = []
    for row in rows:
        texts = [row.get(k) for k in ("old_text", "new_text", "actor", "reason")]
        if row.get("event") not in Event.__members__ or not all(
            t is None or isinstance(t, str) for t in texts
        ):
            raise ImportFormatError(
                f"A history row of memory {n} is malformed: {row!r}; nothing was imported."
            )
        old, new, actor, reason = texts
        out.append((memory_id, user_id, Event(row["event"]), old, new, actor or "system", reason))
    return out


def _edges(raw: Any, ids: set[str], renamed: dict[str, str]) -> list[GraphEdge]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ImportFormatError("'edges' of the export is not a list; nothing was imported.")
    out = []
    for n, entry in enumerate(raw, start=1):
        try:
            edge = GraphEdge.model_validate(entry)
        except Exception as exc:
            raise ImportFormatError(
                f"Graph edge {n} of the export is malformed: {_first_error(exc)}"
            ) from exc
        memory_id = _canonical(edge.memory_id, f"Graph edge {n} has an invalid memory_id")
        if memory_id not in ids:
            raise ImportFormatError(
                f"Graph edge {n} belongs to no memory of the export; nothing was imported."
            )
        out.append(edge.model_copy(update={"memory_id": renamed.get(memory_id, memory_id)}))
    return out


def _canonical(value: Any, what: str) -> str:
    canonical = canonical_id(value)
    if canonical is None:
        raise InvalidInputError(f"{what} {value!r}; nothing was imported.")
    return canonical


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
