"""Throughput of ``load_file`` on generated PDFs and images (fpdf2, a dev dependency, makes the PDF)."""

from __future__ import annotations

import io
import tempfile
import time
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from ingestion.loader import load_file
from memory.config import IngestionConfig

_SENTENCE = "Invoice {n} lists {n} items shipped to the warehouse on time, signed by the manager. "


def measure(n_pages: int = 100, n_images: int = 20, config: IngestionConfig | None = None) -> dict[str, Any]:
    """Time ``load_file`` on an ``n_pages`` PDF and ``n_images`` distinct images (OCR included when available)."""
    config = config or IngestionConfig()
    pdf = _pdf(n_pages)
    images = [_image(i) for i in range(n_images)]
    with tempfile.TemporaryDirectory() as tmp:
        media_dir = Path(tmp) / "media"
        started = time.perf_counter()
        loaded = load_file(pdf, filename="bench.pdf", config=config, media_dir=media_dir)
        pdf_s = time.perf_counter() - started
        started = time.perf_counter()
        ocr_used = False
        for i, data in enumerate(images):
            ocr_used = load_file(data, filename=f"bench{i}.png", config=config, media_dir=media_dir).metadata[
                "ocr_used"
            ]
        images_s = time.perf_counter() - started
    return {
        "pdf_pages_per_s": round(loaded.pages / pdf_s, 1),
        "images_per_s": round(n_images / images_s, 2) if n_images else 0.0,
        "pdf_pages": loaded.pages,
        "pdf_chunks": len(loaded.chunks),
        "images": n_images,
        "ocr": ocr_used,
    }


def _pdf(n_pages: int) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    for page in range(1, n_pages + 1):
        pdf.add_page()
        pdf.multi_cell(0, 5, "".join(_SENTENCE.format(n=page * 100 + i) for i in range(30)))
    return bytes(pdf.output())


def _image(index: int) -> bytes:
    image = Image.new("RGB", (1024, 768), "white")
    draw = ImageDraw.Draw(image)
    for line in range(12):
        draw.text(
            (40, 40 + line * 55), f"Receipt {index} line {line}: total {index * 7 + line} EUR", fill="black"
        )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
