"""Per-file budgets: chunks and OCR seconds; what is past a budget is listed in words, not dropped silently."""

import pytest
from pydantic import ValidationError

from ingestion import load_file
from ingestion.ocr import OcrBudget
from ingestion.pdf import page_ranges
from memory.config import IngestionConfig, MemoryConfig
from memory.errors import EmptyFileError

PARAGRAPH = "The committee met on a Tuesday and agreed the new opening hours for the library. " * 4


def test_text_past_the_chunk_cap_is_listed_as_skipped(media_dir):
    text = "\n\n".join(f"Section {n}. {PARAGRAPH}" for n in range(60)).encode()
    config = IngestionConfig(chunk_chars=400, chunk_overlap=0, max_chunks=5)
    loaded = load_file(text, filename="minutes.txt", config=config, media_dir=media_dir)
    assert len(loaded.chunks) == 5
    assert [c.chunk_index for c in loaded.chunks] == [0, 1, 2, 3, 4]
    [note] = loaded.skipped
    assert note.where.startswith("the end of the text (about the last ")
    assert "at most 5 are kept per file" in note.why
    assert "MEMORY_INGESTION__MAX_CHUNKS" in note.why


def test_pdf_past_the_chunk_cap_names_the_pages_not_stored(samples, media_dir):
    pages = [f"Page {n}. {PARAGRAPH}" for n in range(1, 11)]  # one chunk a page at 2,000 chars
    config = IngestionConfig(chunk_chars=2000, chunk_overlap=0, max_chunks=4)
    loaded = load_file(samples.make_pdf(pages), filename="r.pdf", config=config, media_dir=media_dir)
    assert [c.page for c in loaded.chunks] == [1, 2, 3, 4]
    assert [s.where for s in loaded.skipped] == ["pages 5-10"]


def test_under_the_chunk_cap_nothing_is_skipped(media_dir):
    loaded = load_file(PARAGRAPH.encode(), filename="a.txt", config=IngestionConfig(), media_dir=media_dir)
    assert loaded.chunks and loaded.skipped == []


def test_chunk_cap_and_ocr_budget_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("MEMORY_INGESTION__MAX_CHUNKS", "77")
    monkeypatch.setenv("MEMORY_INGESTION__OCR_SECONDS_PER_FILE", "9.5")
    monkeypatch.setenv("MEMORY_INGESTION__OCR_TIMEOUT_S", "3")
    config = MemoryConfig(data_dir=tmp_path).ingestion
    assert (config.max_chunks, config.ocr_seconds_per_file, config.ocr_timeout_s) == (77, 9.5, 3)
    defaults = IngestionConfig()
    assert defaults.max_chunks == 2000 and defaults.ocr_seconds_per_file == 120


@pytest.mark.parametrize("field", ["max_chunks", "ocr_seconds_per_file", "ocr_timeout_s"])
def test_a_budget_of_zero_is_refused(field):
    with pytest.raises(ValidationError, match=field):
        IngestionConfig(**{field: 0})


def test_scanned_pages_past_the_ocr_budget_are_named(samples, media_dir):
    data = samples.make_scanned_pdf(
        samples.text_image("INVOICE 42"), text_pages_before=("Cover page with its own text layer.",), scans=3
    )
    config = IngestionConfig(ocr_seconds_per_file=0.06)  # Tesseract cannot even start in that time
    loaded = load_file(data, filename="scans.pdf", config=config, media_dir=media_dir)
    assert [c.page for c in loaded.chunks] == [1]
    [note] = loaded.skipped
    assert note.where == "pages 2-4"
    assert note.why.startswith("OCR stopped after 0.06 s")
    assert "MEMORY_INGESTION__OCR_SECONDS_PER_FILE" in note.why


def test_only_scanned_pages_past_the_budget_is_refused_with_the_reason(samples, media_dir):
    data = samples.make_scanned_pdf(samples.text_image("INVOICE"), scans=2)
    with pytest.raises(EmptyFileError, match="OCR stopped after 0.06 s"):
        load_file(
            data, filename="s.pdf", config=IngestionConfig(ocr_seconds_per_file=0.06), media_dir=media_dir
        )


def test_scanned_pages_within_the_budget_are_read(samples, media_dir):
    data = samples.make_scanned_pdf(samples.text_image("INVOICE"), scans=2)
    loaded = load_file(data, filename="s.pdf", config=IngestionConfig(), media_dir=media_dir)
    assert [c.page for c in loaded.chunks] == [1, 2]
    assert all("invoice" in c.text.lower() for c in loaded.chunks)
    assert loaded.skipped == []


def test_image_past_its_own_ocr_timeout_says_so(samples, media_dir):
    data = samples.encode(samples.text_image("RECEIPT"), "PNG")
    config = IngestionConfig(ocr_timeout_s=0.06)
    loaded = load_file(data, filename="r.png", config=config, media_dir=media_dir)
    assert loaded.chunks[0].text == ""
    [note] = loaded.skipped
    assert note.where == "image text"
    assert "after 0.06 s (the OCR time allowed per image)" in note.why
    assert "MEMORY_INGESTION__OCR_TIMEOUT_S" in note.why
    assert len(samples.files_under(media_dir)) == 2  # the image itself is still kept


def test_image_past_the_file_budget_says_so(samples, media_dir):
    data = samples.encode(samples.text_image("RECEIPT"), "PNG")
    loaded = load_file(
        data, filename="r.png", config=IngestionConfig(ocr_seconds_per_file=0.06), media_dir=media_dir
    )
    assert [s.why.split(":")[0] for s in loaded.skipped] == [
        "OCR stopped after 0.06 s (the OCR time allowed per file)"
    ]


def test_a_spent_budget_runs_no_more_ocr(samples):
    budget = OcrBudget(IngestionConfig(ocr_seconds_per_file=0.06))
    picture = samples.text_image("HELLO")
    assert budget.read(picture) is None and budget.exhausted
    used = budget.used_s
    assert budget.read(picture) is None
    assert budget.used_s == used  # nothing ran the second time


def test_budget_counts_the_time_used(samples):
    budget = OcrBudget(IngestionConfig())
    assert "HELLO" in (budget.read(samples.text_image("HELLO")) or "")
    assert 0 < budget.used_s < 60 and not budget.exhausted


@pytest.mark.parametrize(
    ("pages", "words"),
    [([4], "page 4"), ([41, 42, 43], "pages 41-43"), ([3, 7, 8, 9, 12], "pages 3, 7-9, 12")],
)
def test_page_ranges(pages, words):
    assert page_ranges(pages) == words
