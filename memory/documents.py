"""Memory.ingest: a loaded file (ingestion/) becomes document memories with provenance.

Chunks are stored verbatim as semantic memories of source kind document/image; with an LLM
configured, facts are also extracted from them as *data* (never as rules for the assistant).
One episodic memory records the upload itself. Nothing of a file is kept if storing it fails.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ingestion import LoadedFile, load_file
from memory.agent_scope import is_agent_owner, owner_args
from memory.errors import MemoryLayerError, StoreError
from memory.extraction import Turn
from memory.types import IngestResult, MemoryInput, MemoryType, SkippedPart, Source, SourceKind, utcnow

if TYPE_CHECKING:
    from memory.memory import Memory

MAX_LLM_CHUNKS = 20  # facts are extracted from the first chunks only: one LLM call each


def ingest_file(
    memory: Memory,
    file: str | Path | bytes,
    *,
    user_id: str,
    filename: str | None,
    session_id: str | None,
    agent_id: str | None,
    password: str | None,
    progress: Callable[[int, int], None] | None,
) -> IngestResult:
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
