"""Generated texts and files for the reliability benchmark: deterministic for a seed, varied enough
that no two notes or documents are the same."""

from __future__ import annotations

import random
import struct
import zlib

_WORDS = (
    "garden invoice lantern meeting orchard ticket violin harbour recipe budget kettle museum "
    "bicycle ledger meadow pottery satchel thunder compass saffron glacier walnut quarry almanac "
    "beacon cobalt dentist ferry granite hammock island juniper kiosk lagoon marble nectar"
).split()


def note(rng: random.Random, label: str) -> str:
    """A short unique note such as 'u03 t1 n17: the walnut ferry near the cobalt museum'."""
    words = " ".join(rng.choice(_WORDS) for _ in range(6))
    return f"{label}: {words} {rng.randrange(10**9)}"


def paragraph(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(3, 6)):
        words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 16))]
        sentences.append(" ".join(words).capitalize() + f" {rng.randrange(10**6)}.")
    return " ".join(sentences)


def text_document(rng: random.Random, size_bytes: int) -> bytes:
    """Plain text of about ``size_bytes`` in paragraphs."""
    parts: list[str] = []
    total = 0
    while total < size_bytes:
        parts.append(paragraph(rng))
        total += len(parts[-1]) + 2
    return "\n\n".join(parts).encode()


def pdf_document(rng: random.Random, pages: int) -> bytes:
    """A PDF with real text on every page (fpdf2, a dev dependency)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    for _ in range(pages):
        pdf.add_page()
        pdf.multi_cell(0, 5, "\n\n".join(paragraph(rng) for _ in range(4)))
    return bytes(pdf.output())


def pixel_bomb_png(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` x ``height`` pixels and carries almost no data (a pixel bomb)."""

    def chunk(tag: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + tag + payload + struct.pack(">I", zlib.crc32(tag + payload))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
