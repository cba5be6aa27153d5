"""Plain text and Markdown files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingestion.detect import MARKDOWN, TEXT, decode_text
from memory.errors import EmptyFileError


@dataclass
class TextContent:
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)


def read_text_file(data: bytes, file_name: str) -> TextContent:
    """Decode a text file (UTF-8/16/32 with BOM, UTF-8, or legacy Windows-1252) and normalise newlines."""
    text, encoding = decode_text(data, file_name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyFileError(f"{file_name} has no text in it (only blank space)")
    markdown = file_name.lower().endswith((".md", ".markdown"))
    meta: dict[str, Any] = {
        "mime": (MARKDOWN if markdown else TEXT).mime,
        "encoding": encoding,
        "title": _markdown_title(text) if markdown else None,
        "author": None,
        "ocr_used": False,
        "characters": len(text),
    }
    return TextContent(text, meta)


def _markdown_title(text: str) -> str | None:
    for line in text.splitlines()[:50]:
        if line.startswith("# "):
            return line[2:].strip() or None
    return None
