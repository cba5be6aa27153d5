import io

import pytest
from pypdf import PdfReader, PdfWriter

from ingestion import load_file
from memory.config import IngestionConfig
from memory.errors import CorruptFileError, EmptyFileError, EncryptedFileError, FileTooLargeError
from memory.types import SourceKind

FILLER = "The quarterly review covered budgets, staffing and the office move. " * 12


def _five_pages(samples) -> bytes:
    pages = [f"Page {n}. {FILLER}" for n in range(1, 6)]
    pages[2] = f"Page 3. {FILLER}\n\nThe vault code is 7141.\n\n{FILLER}"
    return samples.make_pdf(pages, title="Quarterly review", author="Ada Lovelace")


def _encrypted(data: bytes, user_password: str, owner_password: str | None = None) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password=owner_password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_fact_on_page_three_is_attributed_to_page_three(samples, config, media_dir):
    calls = []
    loaded = load_file(
        _five_pages(samples),
        filename="review.pdf",
        config=config,
        media_dir=media_dir,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert loaded.kind == SourceKind.DOCUMENT
    assert loaded.pages == 5
    hits = [c for c in loaded.chunks if "vault code is 7141" in c.text]
    assert hits and all(c.page == 3 and c.source.page == 3 for c in hits)
    assert all(c.source.label().startswith("review.pdf p. ") for c in loaded.chunks)
    assert {c.page for c in loaded.chunks} == {1, 2, 3, 4, 5}
    assert [c.chunk_index for c in loaded.chunks] == list(range(len(loaded.chunks)))
    assert all(len(c.text) <= config.chunk_chars for c in loaded.chunks)
    assert loaded.metadata["title"] == "Quarterly review"
    assert loaded.metadata["author"] == "Ada Lovelace"
    assert loaded.metadata["page_count"] == 5
    assert loaded.metadata["ocr_used"] is False
    assert loaded.skipped == []
    assert calls == [(n, 5) for n in range(1, 6)]


def test_chunks_never_cross_pages(samples, config, media_dir):
    data = samples.make_pdf(["Alpha only here. " * 5, "Beta only here. " * 5])
    loaded = load_file(data, filename="ab.pdf", config=config, media_dir=media_dir)
    for chunk in loaded.chunks:
        assert ("Alpha" in chunk.text) != ("Beta" in chunk.text)


def test_password_protected_pdf(samples, config, media_dir):
    data = _encrypted(_five_pages(samples), "s3cret")
    with pytest.raises(EncryptedFileError, match=r"locked\.pdf is password-protected; enter its password"):
        load_file(data, filename="locked.pdf", config=config, media_dir=media_dir)
    with pytest.raises(EncryptedFileError, match=r"password for locked\.pdf is not correct"):
        load_file(data, filename="locked.pdf", config=config, media_dir=media_dir, password="wrong")
    loaded = load_file(data, filename="locked.pdf", config=config, media_dir=media_dir, password="s3cret")
    assert any("7141" in c.text for c in loaded.chunks)


def test_owner_password_only_opens_without_asking(samples, config, media_dir):
    data = _encrypted(samples.make_pdf(["Open to read. " * 3]), "", owner_password="owner")
    loaded = load_file(data, filename="perm.pdf", config=config, media_dir=media_dir)
    assert "Open to read" in loaded.chunks[0].text


def test_truncated_pdf_is_corrupt(samples, config, media_dir):
    data = _five_pages(samples)
    with pytest.raises(CorruptFileError, match=r"half\.pdf is incomplete"):
        load_file(data[: len(data) // 2], filename="half.pdf", config=config, media_dir=media_dir)


def test_garbage_after_the_pdf_header_is_corrupt(config, media_dir):
    data = b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"
    with pytest.raises(CorruptFileError, match=r"fake\.pdf is damaged"):
        load_file(data, filename="fake.pdf", config=config, media_dir=media_dir)


def test_too_many_pages_is_refused(samples, media_dir):
    data = samples.make_pdf([f"Page {n}" for n in range(1, 5)])
    with pytest.raises(FileTooLargeError, match=r"long\.pdf has 4 pages; the limit is 3 pages"):
        load_file(data, filename="long.pdf", config=IngestionConfig(max_pages=3), media_dir=media_dir)


def test_pdf_without_text_is_empty(samples, config, media_dir):
    with pytest.raises(EmptyFileError, match=r"blank\.pdf has no extractable text"):
        load_file(samples.make_pdf(["", ""]), filename="blank.pdf", config=config, media_dir=media_dir)


def test_blank_page_is_reported_as_skipped(samples, config, media_dir):
    loaded = load_file(
        samples.make_pdf(["Real text here.", ""]), filename="two.pdf", config=config, media_dir=media_dir
    )
    assert [s.where for s in loaded.skipped] == ["page 2"]


def test_scanned_page_is_read_with_ocr(samples, config, media_dir):
    data = samples.make_scanned_pdf(
        samples.text_image("INVOICE 2024"), text_pages_before=("Cover page text.",)
    )
    loaded = load_file(data, filename="scan.pdf", config=config, media_dir=media_dir)
    scanned = [c for c in loaded.chunks if c.page == 2]
    assert scanned and "invoice" in scanned[0].text.lower()
    assert loaded.metadata["ocr_used"] is True
    assert loaded.metadata["ocr_pages"] == [2]
    assert not media_dir.exists()


def test_scanned_page_is_skipped_when_ocr_is_off(samples, media_dir):
    data = samples.make_scanned_pdf(samples.text_image("INVOICE"), text_pages_before=("Cover page text.",))
    loaded = load_file(data, filename="scan.pdf", config=IngestionConfig(ocr=False), media_dir=media_dir)
    assert [c.page for c in loaded.chunks] == [1]
    assert loaded.skipped[0].where == "page 2"
    assert "no text layer (scanned page?)" in loaded.skipped[0].why
    assert "OCR is turned off" in loaded.skipped[0].why


def test_only_scanned_pages_without_ocr_is_empty(samples, media_dir):
    data = samples.make_scanned_pdf(samples.text_image("INVOICE"))
    with pytest.raises(EmptyFileError, match=r"scan\.pdf has no extractable text \(OCR is turned off"):
        load_file(data, filename="scan.pdf", config=IngestionConfig(ocr=False), media_dir=media_dir)
