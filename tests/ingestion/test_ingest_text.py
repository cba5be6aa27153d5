import codecs
from pathlib import Path

import pytest

from ingestion import load_file
from memory.config import IngestionConfig
from memory.errors import EmptyFileError, FileTooLargeError, IngestionError, UnsupportedFileError
from memory.types import SourceKind


def test_text_file_is_chunked_without_pages(config, media_dir):
    text = "\n\n".join(f"Paragraph {i}. " + "Some words about the topic. " * 10 for i in range(8))
    loaded = load_file(text.encode(), filename="notes.txt", config=config, media_dir=media_dir)
    assert loaded.kind == SourceKind.DOCUMENT
    assert loaded.file_name == "notes.txt"
    assert len(loaded.sha256) == 64
    assert len(loaded.chunks) > 1
    assert [c.chunk_index for c in loaded.chunks] == list(range(len(loaded.chunks)))
    for chunk in loaded.chunks:
        assert chunk.page is None
        assert chunk.source.kind == SourceKind.DOCUMENT
        assert chunk.source.file_name == "notes.txt"
        assert chunk.source.file_sha256 == loaded.sha256
        assert chunk.source.chunk_index == chunk.chunk_index
    assert loaded.metadata["encoding"] == "utf-8"
    assert not media_dir.exists()


def test_markdown_title_and_path_input(config, media_dir, tmp_path):
    path = tmp_path / "guide.md"
    path.write_text("# Packing list\n\nBring the blue tent.\n", encoding="utf-8")
    for data in (path, str(path)):
        loaded = load_file(data, filename=None, config=config, media_dir=media_dir)
        assert loaded.file_name == "guide.md"
        assert loaded.metadata["title"] == "Packing list"
        assert loaded.metadata["mime"] == "text/markdown"
        assert "blue tent" in loaded.chunks[0].text


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        (codecs.BOM_UTF8 + "Café crème".encode(), "utf-8-sig"),
        ("Café crème".encode("utf-16"), "utf-16"),
        ("Café crème".encode("cp1252"), "cp1252"),
        ("Café crème – “quoted”".encode("cp1252"), "cp1252"),
    ],
)
def test_text_encodings_are_decoded(config, media_dir, raw, encoding):
    loaded = load_file(raw, filename="menu.txt", config=config, media_dir=media_dir)
    assert loaded.chunks[0].text.startswith("Café crème")
    assert loaded.metadata["encoding"] == encoding


def test_binary_junk_named_txt_is_refused(config, media_dir):
    junk = bytes(range(256)) * 40
    with pytest.raises(UnsupportedFileError, match=r"junk\.txt.*binary data"):
        load_file(junk, filename="junk.txt", config=config, media_dir=media_dir)


def test_a_zip_archive_is_named_in_the_refusal(config, media_dir):
    with pytest.raises(UnsupportedFileError, match=r"report\.docx.*ZIP archive"):
        load_file(b"PK\x03\x04" + bytes(200), filename="report.docx", config=config, media_dir=media_dir)


def test_empty_file_is_refused(config, media_dir, tmp_path):
    with pytest.raises(EmptyFileError, match=r"empty\.txt is empty"):
        load_file(b"", filename="empty.txt", config=config, media_dir=media_dir)
    path = tmp_path / "blank.md"
    path.write_text("  \n\n ")
    with pytest.raises(EmptyFileError, match=r"blank\.md"):
        load_file(path, filename=None, config=config, media_dir=media_dir)


def test_file_over_the_limit_is_refused_before_reading(media_dir, tmp_path):
    config = IngestionConfig(max_file_mb=0.001)
    path = tmp_path / "big.txt"
    path.write_text("a" * 5000)
    with pytest.raises(FileTooLargeError, match=r"big\.txt is 4\.9 KB; the limit is 1 KB"):
        load_file(path, filename=None, config=config, media_dir=media_dir)
    with pytest.raises(FileTooLargeError, match=r"report\.pdf is 61\.2 MB; the limit is 50 MB"):
        load_file(
            b"x" * int(61.2 * 1024 * 1024),
            filename="report.pdf",
            config=IngestionConfig(),
            media_dir=media_dir,
        )


def test_missing_path_is_a_plain_error(config, media_dir, tmp_path):
    with pytest.raises(IngestionError, match="no such file"):
        load_file(tmp_path / "nope.txt", filename=None, config=config, media_dir=media_dir)


@pytest.mark.parametrize("data", [None, 12345, 1.5, ["a.txt"], {"path": "a.txt"}])
def test_something_that_is_neither_a_path_nor_bytes_is_refused_in_words(config, media_dir, data):
    with pytest.raises(IngestionError, match="give a file path or the file's bytes"):
        load_file(data, filename="notes.txt", config=config, media_dir=media_dir)


@pytest.mark.parametrize("path", ["bad\x00name.txt", "x" * 5000])
def test_a_path_the_system_cannot_open_is_refused_in_words(config, media_dir, path):
    with pytest.raises(IngestionError, match="cannot be read"):
        load_file(path, filename=None, config=config, media_dir=media_dir)


def test_a_name_that_is_not_text_becomes_upload(config, media_dir):
    assert load_file(b"hello world", filename=42, config=config, media_dir=media_dir).file_name == "upload"


def test_client_supplied_name_loses_its_folders(config, media_dir):
    loaded = load_file(
        b"hello world", filename="..\\..\\etc/evil\x00.txt", config=config, media_dir=media_dir
    )
    assert loaded.file_name == "evil.txt"


def test_progress_is_called_once(config, media_dir):
    calls = []
    load_file(
        b"hello world",
        filename="a.txt",
        config=config,
        media_dir=media_dir,
        progress=lambda d, t: calls.append((d, t)),
    )
    assert calls == [(1, 1)]


def test_nothing_is_written_for_text(config, media_dir):
    load_file(b"hello world", filename="a.txt", config=config, media_dir=media_dir)
    assert not Path(media_dir).exists()


def test_text_that_mentions_the_pdf_header_is_still_text(config, media_dir):
    text = b"Notes on the format.\nA PDF starts with %PDF-1.7 on its first line.\n"
    loaded = load_file(text, filename="notes.md", config=config, media_dir=media_dir)
    assert "%PDF-1.7" in loaded.chunks[0].text
