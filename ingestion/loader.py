"""``load_file``: limits, content-type dispatch and the records the memory layer receives."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from os import PathLike
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ingestion.chunking import chunk_text
from ingestion.detect import Category, check_name_matches, refuse_unrecognised, sniff
from ingestion.image import read_image
from ingestion.pdf import read_pdf
from ingestion.text import read_text_file
from memory.config import IngestionConfig
from memory.errors import EmptyFileError, FileTooLargeError, IngestionError
from memory.types import SkippedPart, Source, SourceKind

Progress = Callable[[int, int], None]
_MB = 1024 * 1024
ENV_MAX_CHUNKS = "MEMORY_INGESTION__MAX_CHUNKS"


class Chunk(BaseModel):
    """A piece of a file's text with its provenance (``page`` is 1-based; None for text files)."""

    model_config = ConfigDict(frozen=True)

    text: str
    page: int | None
    chunk_index: int
    source: Source


class LoadedFile(BaseModel):
    """Everything taken from one file; ``image_path``/``thumbnail_path`` are relative to the data dir."""

    model_config = ConfigDict(frozen=True)

    file_name: str
    sha256: str
    kind: SourceKind
    pages: int  # PDF page count; 1 for a text file or an image
    chunks: list[Chunk] = Field(default_factory=list)
    skipped: list[SkippedPart] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict)
    image_path: str | None = None
    thumbnail_path: str | None = None


def load_file(
    data: bytes | str | Path,
    *,
    filename: str | None,
    config: IngestionConfig,
    media_dir: Path,
    user_id: str | None = None,
    password: str | None = None,
    progress: Progress | None = None,
) -> LoadedFile:
    """Read a PDF, image or text file (``str`` means a path) into chunks with provenance.

    The content type comes from the bytes, not the name. Images are stored EXIF-free under
    ``media_dir`` (in ``user_id``'s own folder when given; paths are relative to
    ``media_dir.parent``, the data directory). At most ``config.max_chunks`` chunks are kept; the
    rest is listed in ``skipped``. Raises an ``IngestionError`` subclass naming the file when it
    cannot be taken.
    """
    raw, file_name = _read(data, filename, config)
    sha256 = hashlib.sha256(raw).hexdigest()
    fmt = sniff(raw)
    if fmt is None:
        refuse_unrecognised(raw, file_name)
        return _load_text(raw, file_name, sha256, config, progress)
    check_name_matches(file_name, fmt)
    if fmt.category == Category.PDF:
        return _load_pdf(raw, file_name, sha256, config, password, progress)
    return _load_image(raw, file_name, sha256, config, Path(media_dir), user_id, progress)


def _read(data: bytes | str | Path, filename: str | None, config: IngestionConfig) -> tuple[bytes, str]:
    """The file's bytes and a display name; a path is size-checked before it is read."""
    if isinstance(data, bytes | bytearray | memoryview):
        name = _display_name(filename or "upload")
        _check_size(name, len(data), config)
        return bytes(data), name
    if not isinstance(data, str | PathLike):
        name = _display_name(filename or "upload")
        raise IngestionError(
            f"{name} cannot be read: give a file path or the file's bytes, not {type(data).__name__}"
        )
    path = Path(data)
    name = _display_name(filename or path.name)
    try:
        if not path.is_file():
            raise IngestionError(
                f"{name} cannot be read: " + ("it is a folder" if path.is_dir() else "no such file")
            )
        _check_size(name, path.stat().st_size, config)
        raw = path.read_bytes()
    except (OSError, ValueError) as exc:  # no permission, a NUL in the path, a name too long
        raise IngestionError(
            f"{name} cannot be read: {exc.strerror if isinstance(exc, OSError) else exc}"
        ) from exc
    _check_size(name, len(raw), config)  # it may have changed since the stat
    return raw, name


def _check_size(name: str, size: int, config: IngestionConfig) -> None:
    limit = int(config.max_file_mb * _MB)
    if size == 0:
        raise EmptyFileError(f"{name} is empty (0 bytes)")
    if size > limit:
        raise FileTooLargeError(f"{name} is {_human_size(size)}; the limit is {_human_size(limit)}")


def _display_name(filename: object) -> str:
    """The last component of a client-supplied name, without control characters."""
    if not isinstance(filename, str):
        filename = "upload"
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).strip()
    return name[:255] or "upload"


def _human_size(size: int) -> str:
    if size >= _MB:
        return f"{size / _MB:.1f}".removesuffix(".0") + " MB"
    return f"{size / 1024:.1f}".removesuffix(".0") + " KB"


def _load_text(
    raw: bytes, file_name: str, sha256: str, config: IngestionConfig, progress: Progress | None
) -> LoadedFile:
    content = read_text_file(raw, file_name)
    source = Source(kind=SourceKind.DOCUMENT, file_name=file_name, file_sha256=sha256)
    chunks = _chunks(content.text, None, 0, source, config)
    skipped = _cap(chunks, config, pages=1)
    if progress is not None:
        progress(1, 1)
    return LoadedFile(
        file_name=file_name,
        sha256=sha256,
        kind=SourceKind.DOCUMENT,
        pages=1,
        chunks=chunks,
        skipped=skipped,
        metadata=content.metadata,
    )


def _load_pdf(
    raw: bytes,
    file_name: str,
    sha256: str,
    config: IngestionConfig,
    password: str | None,
    progress: Progress | None,
) -> LoadedFile:
    content = read_pdf(raw, file_name, config, password=password, progress=progress)
    source = Source(kind=SourceKind.DOCUMENT, file_name=file_name, file_sha256=sha256)
    chunks: list[Chunk] = []
    for number, text in enumerate(content.pages, start=1):
        chunks.extend(_chunks(text, number, len(chunks), source, config))
    skipped = content.skipped + _cap(chunks, config, pages=len(content.pages))
    return LoadedFile(
        file_name=file_name,
        sha256=sha256,
        kind=SourceKind.DOCUMENT,
        pages=len(content.pages),
        chunks=chunks,
        skipped=skipped,
        metadata=content.metadata,
    )


def _load_image(
    raw: bytes,
    file_name: str,
    sha256: str,
    config: IngestionConfig,
    media_dir: Path,
    user_id: str | None,
    progress: Progress | None,
) -> LoadedFile:
    content = read_image(raw, file_name, sha256, config, media_dir, user_id)
    image_path = content.image_path.relative_to(media_dir.parent).as_posix()
    thumbnail_path = content.thumbnail_path.relative_to(media_dir.parent).as_posix()
    source = Source(
        kind=SourceKind.IMAGE,
        file_name=file_name,
        file_sha256=sha256,
        chunk_index=0,
        image_path=image_path,
        thumbnail_path=thumbnail_path,
    )
    if progress is not None:
        progress(1, 1)
    return LoadedFile(
        file_name=file_name,
        sha256=sha256,
        kind=SourceKind.IMAGE,
        pages=1,
        chunks=[Chunk(text=content.text, page=None, chunk_index=0, source=source)],
        skipped=content.skipped,
        metadata=content.metadata,
        image_path=image_path,
        thumbnail_path=thumbnail_path,
    )


def _chunks(text: str, page: int | None, start: int, source: Source, config: IngestionConfig) -> list[Chunk]:
    """Chunks of one page (or a whole text file), numbered on from ``start``."""
    return [
        Chunk(
            text=piece,
            page=page,
            chunk_index=index,
            source=source.model_copy(update={"page": page, "chunk_index": index}),
        )
        for index, piece in enumerate(chunk_text(text, config.chunk_chars, config.chunk_overlap), start=start)
    ]


def _cap(chunks: list[Chunk], config: IngestionConfig, *, pages: int) -> list[SkippedPart]:
    """Drop the chunks past ``config.max_chunks`` (in place) and say which part of the file that was."""
    limit = config.max_chunks
    if len(chunks) <= limit:
        return []
    total = len(chunks)
    first_dropped = chunks[limit]
    del chunks[limit:]
    why = (
        f"the file gives {total:,} pieces of text and at most {limit:,} are kept per file, "
        f"so this part was not stored. Split the file, or raise {ENV_MAX_CHUNKS}"
    )
    page = first_dropped.page
    if page is None:
        share = round(100 * (total - limit) / total)
        return [SkippedPart(where=f"the end of the text (about the last {share}%)", why=why)]
    partly = " (in part)" if chunks[-1].page == page else ""
    where = f"page {page}{partly}" if page == pages else f"pages {page}{partly}-{pages}"
    return [SkippedPart(where=where, why=why)]
