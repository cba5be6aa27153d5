"""Fixtures that build every test file in memory: PDFs with fpdf2, images with Pillow."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from memory.bench.reliability.corpus import pixel_bomb_png
from memory.config import IngestionConfig

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.fixture
def config() -> IngestionConfig:
    return IngestionConfig(chunk_chars=400, chunk_overlap=80)


@pytest.fixture
def media_dir(tmp_path: Path) -> Path:
    return tmp_path / "data" / "media"


@pytest.fixture
def samples() -> type[Samples]:
    return Samples


class Samples:
    """Builders for test files."""

    @staticmethod
    def make_pdf(pages: list[str], *, title: str | None = None, author: str | None = None) -> bytes:
        """A PDF with one page per string, each drawn as real text."""
        pdf = FPDF()
        pdf.set_font("Helvetica", size=11)
        if title:
            pdf.set_title(title)
        if author:
            pdf.set_author(author)
        for text in pages:
            pdf.add_page()
            if text:
                pdf.multi_cell(0, 6, text)
        return bytes(pdf.output())

    @staticmethod
    def make_scanned_pdf(
        image: Image.Image, *, text_pages_before: tuple[str, ...] = (), scans: int = 1
    ) -> bytes:
        """A PDF whose last ``scans`` pages hold only a picture of text (no text layer), like a scan."""
        pdf = FPDF()
        pdf.set_font("Helvetica", size=11)
        for text in text_pages_before:
            pdf.add_page()
            pdf.multi_cell(0, 6, text)
        for _ in range(scans):
            pdf.add_page()
            pdf.image(image, x=10, y=10, w=190)
        return bytes(pdf.output())

    @staticmethod
    def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        if DEJAVU.exists():
            return ImageFont.truetype(str(DEJAVU), size)
        return ImageFont.load_default(size=size)

    @staticmethod
    def text_image(text: str, size: tuple[int, int] = (900, 220), mode: str = "RGB") -> Image.Image:
        """Large black text on white, easy for OCR."""
        image = Image.new(mode, size, "white")
        ImageDraw.Draw(image).text((40, 50), text, fill="black", font=Samples.font(96))
        return image

    @staticmethod
    def encode(image: Image.Image, fmt: str, **options) -> bytes:
        out = io.BytesIO()
        image.save(out, format=fmt, **options)
        return out.getvalue()

    @staticmethod
    def png_header_only(width: int, height: int) -> bytes:
        """A PNG whose header declares ``width`` x ``height`` pixels but carries almost no data (a bomb)."""
        return pixel_bomb_png(width, height)

    @staticmethod
    def files_under(folder: Path) -> list[Path]:
        return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
