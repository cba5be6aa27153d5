"""PDF text per page with pypdf; OCR of the embedded images of pages that have no text layer."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.errors import DependencyError

from ingestion import ocr
from memory.config import IngestionConfig
from memory.errors import CorruptFileError, EmptyFileError, EncryptedFileError, FileTooLargeError
from memory.types import SkippedPart

log = logging.getLogger(__name__)

MIN_PAGE_CHARS = 3  # fewer non-space characters than this and the page counts as having no text layer


@dataclass
class PdfContent:
    """Text of each page (index 0 = page 1; "" when the page gave nothing) and what was skipped."""

    pages: list[str]
    skipped: list[SkippedPart] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)


def read_pdf(
    data: bytes,
    file_name: str,
    config: IngestionConfig,
    password: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PdfContent:
    """Extract the text of every page; raises an IngestionError subclass when the PDF cannot be taken."""
    if b"%%EOF" not in data[-2048:]:
        raise CorruptFileError(
            f"{file_name} is incomplete (the end of the PDF is missing); "
            "download or export it again and upload the full file"
        )
    reader = _open(data, file_name, password)
    try:
        total = len(reader.pages)
    except Exception as exc:
        raise CorruptFileError(f"{file_name} is damaged: its list of pages cannot be read") from exc
    if total == 0:
        raise EmptyFileError(f"{file_name} has no pages")
    if total > config.max_pages:
        raise FileTooLargeError(
            f"{file_name} has {total} pages; the limit is {config.max_pages} pages. "
            "Split it into smaller files and upload them one by one"
        )
    no_ocr = ocr.ocr_unavailable_reason(config)
    budget = ocr.OcrBudget(config)
    content = PdfContent(pages=[], metadata=_metadata(reader, total))
    ocr_pages: list[int] = []
    not_read: list[int] = []  # scanned pages past the OCR budget
    unreadable = 0
    for number, page in enumerate(reader.pages, start=1):
        where = f"page {number}"
        try:
            text = (page.extract_text() or "").strip()
        except Exception as exc:  # pypdf raises many kinds of errors on a damaged content stream
            log.info("%s %s: text extraction failed: %s", file_name, where, exc)
            unreadable += 1
            text = ""
            content.skipped.append(SkippedPart(where=where, why="its text could not be read (damaged page)"))
        else:
            if len("".join(text.split())) < MIN_PAGE_CHARS:
                was_exhausted = budget.exhausted
                text, why = _ocr_page(page, config, no_ocr, budget)
                if budget.exhausted and not was_exhausted or why is None:
                    not_read.append(number)  # the budget ran out on this page or before it
                if text:
                    ocr_pages.append(number)
                elif why:
                    content.skipped.append(SkippedPart(where=where, why=why))
        content.pages.append(text)
        if progress is not None:
            progress(number, total)
    if not_read:
        content.skipped.append(SkippedPart(where=page_ranges(not_read), why=budget.stopped_note()))
    if not any(content.pages):
        if unreadable == total:
            raise CorruptFileError(f"{file_name} is damaged: none of its pages can be read")
        if not_read:
            raise EmptyFileError(
                f"{file_name} has no text that could be read in time: {budget.stopped_note()}"
            )
        raise EmptyFileError(
            f"{file_name} has no extractable text"
            + (f" ({no_ocr}, so scanned pages cannot be read)" if no_ocr else "")
        )
    content.metadata["ocr_used"] = bool(ocr_pages)
    content.metadata["ocr_pages"] = ocr_pages
    return content


def _open(data: bytes, file_name: str, password: str | None) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except Exception as exc:
        raise CorruptFileError(f"{file_name} is damaged or not a real PDF and cannot be read") from exc
    if not reader.is_encrypted:
        return reader
    try:
        if reader.decrypt(""):  # owner-password-only PDFs open with an empty user password
            return reader
        if password is None:
            raise EncryptedFileError(f"{file_name} is password-protected; enter its password to upload it")
        if reader.decrypt(password):
            return reader
    except DependencyError as exc:
        raise EncryptedFileError(
            f"{file_name} uses AES encryption, which this installation cannot open; "
            "save an unprotected copy and upload that"
        ) from exc
    except EncryptedFileError:
        raise
    except Exception as exc:
        raise CorruptFileError(f"{file_name} is encrypted in a way that cannot be read") from exc
    raise EncryptedFileError(f"The password for {file_name} is not correct; enter it again")


def _metadata(reader: PdfReader, total: int) -> dict[str, Any]:
    meta: dict[str, Any] = {"page_count": total, "mime": "application/pdf", "title": None, "author": None}
    try:
        info = reader.metadata
        if info is not None:
            meta["title"] = _clean(info.title)
            meta["author"] = _clean(info.author)
    except Exception as exc:  # damaged info dictionary: the text is still worth having
        log.info("PDF metadata unreadable: %s", exc)
    return meta


def _clean(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def page_ranges(pages: list[int]) -> str:
    """'page 4', 'pages 41-300' or 'pages 3, 7-9' for a sorted list of page numbers."""
    runs: list[list[int]] = []
    for number in pages:
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    text = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)
    return ("page " if len(pages) == 1 else "pages ") + text


def _ocr_page(
    page: PageObject, config: IngestionConfig, no_ocr: str | None, budget: ocr.OcrBudget
) -> tuple[str, str | None]:
    """OCR the images of a page without a text layer: (text, why-not when empty; None = out of budget)."""
    try:
        images = list(page.images)
    except Exception as exc:
        log.info("page images unreadable: %s", exc)
        images = []
    if not images:
        return "", "no text on this page (blank, or drawn as shapes)"
    if no_ocr:
        return "", f"no text layer (scanned page?) and {no_ocr}"
    texts = []
    timed_out = budget.images_timed_out
    for embedded in images:
        if budget.exhausted:
            break
        try:
            picture = embedded.image
        except Exception as exc:  # an image filter pypdf/Pillow cannot decode (e.g. JBIG2)
            log.info("embedded image unreadable: %s", exc)
            continue
        if picture is None or picture.width * picture.height > config.max_image_pixels:
            continue
        if min(picture.size) < config.min_image_side:
            continue
        text = budget.read(picture)
        if text:
            texts.append(text)
    if texts:
        return "\n\n".join(texts), ""
    if budget.exhausted:
        return "", None
    if budget.images_timed_out > timed_out:
        return "", budget.image_note()
    return "", "no text layer (scanned page?) and OCR found no text in its images"
