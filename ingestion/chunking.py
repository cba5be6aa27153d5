"""Split text into overlapping chunks that break at paragraphs, then sentences, then lines, then words."""

from __future__ import annotations

import re

# Coarsest boundary first; each pattern captures the whitespace it splits on so it can be kept.
_BOUNDARIES = (
    re.compile(r"(\n[ \t]*\n\s*)"),  # paragraph
    re.compile(r"((?:(?<=[.!?\u2026\u3002])|(?<=[.!?\u2026\u3002][\"')\]\u201d\u2019]))\s+)"),  # sentence
    re.compile(r"(\s*\n\s*)"),  # line
    re.compile(r"(\s+)"),  # word
)
_SENTENCE_END = re.compile(r"[.!?\u2026\u3002][\"')\]\u201d\u2019]*\s+")

Unit = tuple[str, str]  # (whitespace before the piece in the original text, piece)


def chunk_text(text: str, chunk_chars: int, overlap: int) -> list[str]:
    """Split ``text`` into chunks of at most ``chunk_chars`` characters.

    A chunk ends at the coarsest boundary that fits; each chunk after the first starts with up to
    ``overlap`` characters from the end of the previous one, cut at a sentence (else word) start.
    ``overlap`` is capped at half of ``chunk_chars`` so that every chunk brings new text.
    """
    if chunk_chars <= 0:
        raise ValueError("chunk_chars must be positive")
    overlap = max(0, min(overlap, chunk_chars // 2))
    text = text.strip()
    if not text:
        return []
    chunks: list[str] = []
    current = ""
    for sep, piece in _split(text, 0, chunk_chars):
        if not current:
            current = piece
        elif len(current) + len(sep) + len(piece) <= chunk_chars:
            current += sep + piece
        else:
            chunks.append(current)
            carry = _tail(current, min(overlap, chunk_chars - len(piece) - len(sep)))
            current = carry + sep + piece if carry else piece
    if current:
        chunks.append(current)
    return [c.strip() for c in chunks if c.strip()]


def _split(text: str, level: int, limit: int) -> list[Unit]:
    """Pieces of ``text`` no longer than ``limit``, each with the whitespace that preceded it."""
    if len(text) <= limit:
        return [("", text)]
    if level == len(_BOUNDARIES):
        return [("", text[i : i + limit]) for i in range(0, len(text), limit)]
    parts = _BOUNDARIES[level].split(text)
    if len(parts) == 1:
        return _split(text, level + 1, limit)
    units: list[Unit] = []
    sep = ""
    for i, part in enumerate(parts):
        if i % 2:
            sep += part
            continue
        if not part:
            continue
        sub = _split(part, level + 1, limit)
        units.append((sep, sub[0][1]))
        units.extend(sub[1:])
        sep = ""
    return units


def _tail(chunk: str, size: int) -> str:
    """The last ``size`` characters or fewer of ``chunk``, starting at a sentence, else a word."""
    if size <= 0:
        return ""
    tail = chunk[-size:]
    if len(chunk) <= size:
        return tail
    match = _SENTENCE_END.search(tail)
    if match and match.end() < len(tail):
        return tail[match.end() :]
    space = re.search(r"\s+", tail)
    if space and space.end() < len(tail):
        return tail[space.end() :]
    return ""
