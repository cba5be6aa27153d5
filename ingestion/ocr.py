"""Optical character recognition with Tesseract, used only when it is installed and turned on."""

from __future__ import annotations

import logging
from functools import lru_cache

from PIL import Image

from memory.config import IngestionConfig

log = logging.getLogger(__name__)

OCR_TIMEOUT_S = 120


def ocr_unavailable_reason(config: IngestionConfig) -> str | None:
    """Why OCR cannot run with this config (e.g. "OCR is not available"), or None when it can."""
    if not config.ocr:
        return "OCR is turned off"
    return _probe(config.ocr_lang)


@lru_cache(maxsize=8)
def _probe(lang: str) -> str | None:
    try:
        import pytesseract

        pytesseract.get_tesseract_version()
        installed = set(pytesseract.get_languages(config=""))
    except Exception as exc:  # missing binary, missing package, broken install: all mean "no OCR"
        log.info("Tesseract OCR not usable: %s", exc)
        return "OCR is not available (Tesseract is not installed)"
    missing = [code for code in lang.split("+") if code not in installed]
    if missing:
        return f"OCR is not available for language {'+'.join(missing)} (Tesseract has no data for it)"
    return None


def read_text(image: Image.Image, lang: str) -> str:
    """The text Tesseract reads in ``image`` (stripped; "" when it finds none or fails)."""
    import pytesseract

    try:
        return pytesseract.image_to_string(_prepared(image), lang=lang, timeout=OCR_TIMEOUT_S).strip()
    except Exception as exc:  # a timeout or a Tesseract crash on one image must not fail the upload
        log.warning("OCR failed on an image: %s", exc)
        return ""


def _prepared(image: Image.Image) -> Image.Image:
    """Greyscale on a white background: transparent pixels would otherwise read as black."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    return image.convert("L")
