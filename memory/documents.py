"""Uploaded files as memories: ``Memory.ingest`` turns a loaded file (ingestion/) into document
memories with provenance, and ``Documents`` stores, counts, lists and forgets a file's memories.

Chunks are stored verbatim as semantic memories of source kind document/image; with an LLM
configured, facts are also extracted from them as *data* (never as rules for the assistant).
One episodic memory records the upload itself. Nothing of a file is kept if storing it fails.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingestion import LoadedFile, load_file
from memory.agent_scope import Scope, check_agent, is_agent_owner, owner_args
from memory.checks import check_owner
from memory.errors import MemoryLayerError, StoreError
from memory.extraction import Turn
from memory.forgetting import Forgetting
from memory.reading import owner_of, store_scope
from memory.remembering import item_from_input
from memory.types import (
    IngestResult,
    MemoryInput,
    MemoryItem,
    MemoryType,
    SkippedPart,
    Source,
    SourceKind,
    utcnow,
)
from memory.writes import Epoch, Stores, Writing

if TYPE_CHECKING:
    from memory.memory import Memory

MAX_LLM_CHUNKS = 20  # facts are extracted from the first chunks only: one LLM call each


def ingest_file(
    memory: Memory,
    file: str | Path | bytes,
    user_id: str | None,
    filename: str | None,
    session_id: str | None,
    agent_id: str | None,
    password: str | None,
    progress: Callable[[int, int], None] | None,
    scope: Scope,
) -> IngestResult:
    """``Memory.ingest``: load the file, store its chunks (once per owner), then extract facts as data."""
    user_id = owner_of(user_id, agent_id, scope)
    agent_id = check_agent(agent_id)
    data_dir = Path(memory.config.data_dir)
    loaded = load_file(
        file,
        filename=filename,
        config=memory.config.ingestion,
        media_dir=data_dir / "media",
        user_id=user_id,
        password=password,
        progress=progress,
    )
    result = IngestResult(
        file_name=loaded.file_name,
        sha256=loaded.sha256,
        kind=loaded.kind,
        pages=loaded.pages,
        skipped=list(loaded.skipped),
        metadata=dict(loaded.metadata),
    )
    if memory.count_document(loaded.sha256, user_id=user_id, agent_id=agent_id):
        result.duplicate = True  # checked again under the lock by add_document
        return result

    texts = _chunk_texts(memory, loaded, data_dir, result)
    meta = {"document": True, "file_name": loaded.file_name, "title": loaded.metadata.get("title")}
    inputs = [
        MemoryInput(
            text=text,
            type=MemoryType.SEMANTIC,
            agent_id=agent_id,
            session_id=session_id,
            source=source,
            metadata=meta,
        )
        for text, source in texts
    ]
    upload = Source(
        kind=loaded.kind,
        session_id=session_id,
        file_name=loaded.file_name,
        file_sha256=loaded.sha256,
        image_path=loaded.image_path,
        thumbnail_path=loaded.thumbnail_path,
    )
    pages = f"{loaded.pages} page{'s' if loaded.pages != 1 else ''}"
    what = "an image" if loaded.kind == SourceKind.IMAGE else f"a document ({pages})"
    if not is_agent_owner(user_id):  # an agent's knowledge base holds the document, not an upload event
        inputs.append(
            MemoryInput(
                text=f"User uploaded {what}: {loaded.file_name}.",
                type=MemoryType.EPISODIC,
                agent_id=agent_id,
                session_id=session_id,
                source=upload,
                metadata=meta,
            )
        )
    items = memory.add_document(inputs, user_id=user_id, sha256=loaded.sha256, agent_id=agent_id)
    if items is None:
        result.duplicate = True
        return result
    result.memories_added = [i.id for i in items]
    if not memory.config.llm.enabled:
        return result
    try:
        result.memories_added += _extract_facts(memory, texts, user_id, agent_id, session_id, result)
    except BaseException as exc:
        memory.delete_document(loaded.sha256, agent_id=agent_id, **owner_args(user_id))
        if not isinstance(exc, MemoryLayerError):
            raise
        raise StoreError(f"{loaded.file_name} could not be stored ({exc}); nothing of it was kept.") from exc
    return result


def _chunk_texts(
    memory: Memory, loaded: LoadedFile, data_dir: Path, result: IngestResult
) -> list[tuple[str, Source]]:
    if loaded.kind != SourceKind.IMAGE:
        return [(c.text, c.source) for c in loaded.chunks if c.text.strip()]
    source = (
        loaded.chunks[0].source
        if loaded.chunks
        else Source(
            kind=SourceKind.IMAGE,
            file_name=loaded.file_name,
            file_sha256=loaded.sha256,
            image_path=loaded.image_path,
            thumbnail_path=loaded.thumbnail_path,
        )
    )
    ocr = " ".join(c.text for c in loaded.chunks).strip()
    caption = _caption(memory, loaded, data_dir, result)
    parts = [f"Image {loaded.file_name}"]
    if caption:
        parts.append(f"shows: {caption}")
    if ocr:
        parts.append(f"text in the image: {ocr}")
    if not caption and not ocr:
        parts.append("(no text was found in it and no vision model is configured to describe it)")
    return [(" — ".join(parts), source)]


def _caption(memory: Memory, loaded: LoadedFile, data_dir: Path, result: IngestResult) -> str:
    from memory.llm import make_captioner

    caption = make_captioner(memory.config.llm)
    if caption is None or not loaded.image_path:
        return ""
    try:
        data = (data_dir / loaded.image_path).read_bytes()
        return caption(data, loaded.metadata.get("mime", "image/png")).strip()
    except MemoryLayerError as exc:
        result.metadata["caption_error"] = str(exc)
        return ""


def _extract_facts(
    memory: Memory,
    texts: list[tuple[str, Source]],
    user_id: str,
    agent_id: str | None,
    session_id: str | None,
    result: IngestResult,
) -> list[str]:
    """Facts from the first chunks, as data: reconcile refuses procedural facts from documents."""
    added: list[str] = []
    for text, source in texts[:MAX_LLM_CHUNKS]:
        turn = Turn(
            text=text,
            user_id=user_id,
            agent_id=agent_id,
            session_id=session_id,
            at=utcnow(),
            source=source,
            from_document=True,
        )
        outcome = memory.remember_turn(turn, keep_episode=False)
        added += [op.memory_id for op in outcome.changed() if op.memory_id and op.event.value == "ADD"]
        result.warnings.extend(w for w in outcome.warnings if w not in result.warnings)
    if len(texts) > MAX_LLM_CHUNKS:
        result.skipped.append(
            SkippedPart(
                where=f"chunks {MAX_LLM_CHUNKS + 1}-{len(texts)}",
                why="facts were extracted from the first chunks only; every chunk is searchable",
            )
        )
    return added


class Documents:
    """The stored memories of uploaded files, per owner: a file is stored at most once."""

    def __init__(
        self, stores: Stores, forgetting: Forgetting, max_text_chars: int, writing: Writing, epoch: Epoch
    ) -> None:
        self._stores = stores
        self._forgetting = forgetting
        self._max_text_chars = max_text_chars
        self._writing = writing
        self._epoch = epoch

    def add(
        self, entries: list[MemoryInput], user_id: str, sha256: str, agent_id: str | None
    ) -> list[MemoryItem] | None:
        """Store a file's memories in one unit of work, unless this owner (and agent) already has the
        file: the check and the write happen under one lock. None means it was already there.
        ``user_id`` is the owner ``ingest`` resolved (a user, or the agent's reserved owner)."""
        user_id = check_owner(user_id)
        items = [item_from_input(e, user_id, self._max_text_chars) for e in entries]
        since = self._epoch(user_id)
        vectors = self._stores.embed([i.text for i in items])
        with self._writing(user_id, since) as uow:
            if uow is None:
                return []
            scope = store_scope(user_id, agent_id, None, None, {"file_sha256": sha256}, include_past=True)
            if self._stores.vectors.count(scope):
                return None
            uow.add(items, reason="uploaded", vectors=vectors)
        return items

    def count(self, sha256: str, user_id: str, agent_id: str | None) -> int:
        """How many current memories this owner has of one file."""
        owner = check_owner(user_id)
        return self._stores.vectors.count(store_scope(owner, agent_id, None, None, {"file_sha256": sha256}))

    def listed(self, user_id: str | None, agent_id: str | None, scope: Scope) -> list[dict[str, Any]]:
        """Uploaded files of a user (or of the agent's knowledge base): name, hash, kind, pages seen,
        number of memories."""
        docs: dict[str, dict[str, Any]] = {}
        # A read: export passes the owner it resolved (possibly the agent's reserved one).
        owner = (
            check_owner(user_id)
            if scope == "user" and is_agent_owner(user_id)
            else owner_of(user_id, agent_id, scope)
        )
        for item in self._stores.vectors.scroll(store_scope(owner, None, None, None)):
            sha = item.source.file_sha256
            if not sha:
                continue
            doc = docs.setdefault(
                sha,
                {
                    "sha256": sha,
                    "file_name": item.source.file_name,
                    "kind": item.source.kind.value,
                    "memories": 0,
                    "uploaded_at": item.created_at,
                },
            )
            doc["memories"] += 1
            doc["uploaded_at"] = min(doc["uploaded_at"], item.created_at)
        return sorted(docs.values(), key=lambda d: d["uploaded_at"], reverse=True)

    def delete(self, sha256: str, user_id: str | None, agent_id: str | None, scope: Scope) -> int:
        """Forget every memory that came from one uploaded file, and the stored file itself."""
        owner = owner_of(user_id, agent_id, scope)
        agent_id = check_agent(agent_id)
        found = store_scope(owner, agent_id, None, None, {"file_sha256": sha256}, include_past=True)
        return self._forgetting.erase(found, "document deleted")
