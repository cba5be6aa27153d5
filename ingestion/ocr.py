"""Optical character recognition with Tesseract, used only when it is installed and turned on."""

from __future__ import annotations

import logging
import time
from functools import lru_cache

from PIL import Image

from memory.config import IngestionConfig

log = logging.getLogger(__name__)

ENV_PER_FILE = "MEMORY_INGESTION__OCR_SECONDS_PER_FILE"
ENV_PER_IMAGE = "MEMORY_INGESTION__OCR_TIMEOUT_S"
_MIN_SLICE_S = 0.05  # less time than this left in the budget and OCR does not start another image


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


class OcrBudget:
    """The OCR seconds one file may use: each image gets the per-image timeout or what is left.

    ``read`` returns None once the file's budget is spent (``exhausted`` then says so), and ""
    when one image ran past its own timeout or gave no text.
    """

    def __init__(self, config: IngestionConfig) -> None:
        self.per_file_s = config.ocr_seconds_per_file
        self.per_image_s = config.ocr_timeout_s
        self.lang = config.ocr_lang
        self.used_s = 0.0
        self.exhausted = False
        self.images_timed_out = 0

    def read(self, image: Image.Image) -> str | None:
        left = self.per_file_s - self.used_s
        if self.exhausted or left < _MIN_SLICE_S:
            self.exhausted = True
            return None
        timeout = min(self.per_image_s, left)
        started = time.monotonic()
        text, timed_out = _tesseract(image, self.lang, timeout)
        self.used_s += time.monotonic() - started
        if timed_out:
            if timeout < self.per_image_s:
                self.exhausted = True
                return None
            self.images_timed_out += 1
        return text

    def stopped_note(self) -> str:
        """Why the rest was not read, in words that say what to do."""
        return (
            f"OCR stopped after {self.per_file_s:g} s (the OCR time allowed per file): not read. "
            f"Upload fewer scanned pages at a time, or raise {ENV_PER_FILE}"
        )

    def image_note(self) -> str:
        return (
            f"OCR gave up on this image after {self.per_image_s:g} s (the OCR time allowed per image): "
            f"its text was not read. Upload a smaller or clearer image, or raise {ENV_PER_IMAGE}"
        )


def _tesseract(image: Image.Image, lang: str, timeout_s: float) -> tuple[str, bool]:
    """(text, timed out); a crash counts as no text. ``timeout_s`` must be positive (0 = no limit)."""
    import pytesseract

    try:
        return pytesseract.image_to_string(_prepared(image), lang=lang, timeout=timeout_s).strip(), False
    except RuntimeError as exc:  # pytesseract's way of saying the process was killed at the timeout
        if "timeout" in str(exc).lower():
            log.warning("OCR stopped at its time limit (%.2f s)", timeout_s)
            return "", True
        log.warning("OCR failed on an image: %s", exc)
        return "", False
    except Exception as exc:  # a Tesseract crash on one image must not fail the upload
        log.warning("OCR failed on an image: %s", exc)
        return "", False


def _prepared(image: Image.Image) -> Image.Image:
    """Greyscale on a white background: transparent pixels would otherwise read as black."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    return image.convert("L")
