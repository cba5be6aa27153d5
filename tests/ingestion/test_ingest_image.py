import hashlib
import io

import pytest
from PIL import ExifTags, Image, ImageDraw

from ingestion import load_file
from memory.config import IngestionConfig
from memory.errors import ImageRejectedError, UnsupportedFileError
from memory.types import SourceKind


def test_ocr_reads_the_drawn_word_and_files_are_stored(samples, config, media_dir):
    data = samples.encode(samples.text_image("INVOICE 42"), "PNG")
    loaded = load_file(data, filename="receipt.png", config=config, media_dir=media_dir)
    assert loaded.kind == SourceKind.IMAGE
    assert loaded.pages == 1
    assert len(loaded.chunks) == 1
    chunk = loaded.chunks[0]
    assert "invoice" in chunk.text.lower()
    assert chunk.page is None and chunk.chunk_index == 0
    assert chunk.source.kind == SourceKind.IMAGE
    assert chunk.source.file_sha256 == hashlib.sha256(data).hexdigest() == loaded.sha256
    sha = loaded.sha256
    assert loaded.image_path == f"media/{sha[:2]}/{sha}.png"
    assert loaded.thumbnail_path == f"media/{sha[:2]}/{sha}_thumb.jpg"
    assert chunk.source.image_path == loaded.image_path
    assert chunk.source.thumbnail_path == loaded.thumbnail_path
    data_dir = media_dir.parent
    with Image.open(data_dir / loaded.image_path) as stored:
        assert stored.size == (900, 220)
    with Image.open(data_dir / loaded.thumbnail_path) as thumb:
        assert max(thumb.size) == 256
    assert loaded.metadata["ocr_used"] is True
    assert loaded.metadata["mime"] == "image/png"
    assert (loaded.metadata["width"], loaded.metadata["height"]) == (900, 220)


def test_jpeg_orientation_is_applied_and_exif_with_gps_is_stripped(samples, config, media_dir):
    image = Image.new("RGB", (300, 120), "white")
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # stored sideways: the viewer must rotate it
    exif[ExifTags.Base.Make] = "TestCam"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (52.0, 31.0, 12.0)}
    )
    data = samples.encode(image, "JPEG", exif=exif)
    loaded = load_file(data, filename="holiday.jpg", config=config, media_dir=media_dir)
    assert (loaded.metadata["width"], loaded.metadata["height"]) == (120, 300)
    assert loaded.image_path.endswith(".jpg")
    stored_bytes = (media_dir.parent / loaded.image_path).read_bytes()
    with Image.open(io.BytesIO(stored_bytes)) as stored:
        assert stored.size == (120, 300)
        assert dict(stored.getexif()) == {}
        assert stored.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert b"TestCam" not in stored_bytes and b"Exif" not in stored_bytes
    with Image.open(media_dir.parent / loaded.thumbnail_path) as thumb:
        assert dict(thumb.getexif()) == {}


def test_same_bytes_reuse_the_stored_files(samples, config, media_dir):
    data = samples.encode(Image.new("RGB", (64, 48), "navy"), "PNG")
    first = load_file(data, filename="a.png", config=config, media_dir=media_dir)
    stored = media_dir.parent / first.image_path
    before = stored.stat().st_mtime_ns
    second = load_file(data, filename="b.png", config=config, media_dir=media_dir)
    assert second.sha256 == first.sha256
    assert second.image_path == first.image_path
    assert stored.stat().st_mtime_ns == before
    assert len(samples.files_under(media_dir)) == 2


@pytest.mark.parametrize("size", [(100_000, 100_000), (300, 300)])
def test_decompression_bomb_is_rejected_and_nothing_is_written(samples, media_dir, size):
    config = IngestionConfig(max_image_pixels=50_000)
    with pytest.raises(ImageRejectedError, match=r"bomb\.png"):
        load_file(samples.png_header_only(*size), filename="bomb.png", config=config, media_dir=media_dir)
    assert samples.files_under(media_dir) == []


def test_tiny_image_is_rejected(samples, config, media_dir):
    data = samples.encode(Image.new("RGB", (1, 1), "red"), "PNG")
    with pytest.raises(ImageRejectedError, match=r"dot\.png is too small to read"):
        load_file(data, filename="dot.png", config=config, media_dir=media_dir)
    assert samples.files_under(media_dir) == []


def test_truncated_image_is_rejected(samples, config, media_dir):
    data = samples.encode(samples.text_image("HELLO"), "JPEG")
    with pytest.raises(ImageRejectedError, match=r"cut\.jpg is damaged or incomplete"):
        load_file(data[: len(data) // 2], filename="cut.jpg", config=config, media_dir=media_dir)
    assert samples.files_under(media_dir) == []


def test_png_named_pdf_is_refused_with_what_it_is(samples, config, media_dir):
    data = samples.encode(Image.new("RGB", (64, 64), "white"), "PNG")
    with pytest.raises(
        UnsupportedFileError, match=r"scan\.pdf is named \.pdf but is a PNG image; rename it to scan\.png"
    ):
        load_file(data, filename="scan.pdf", config=config, media_dir=media_dir)
    assert samples.files_under(media_dir) == []


def test_pdf_named_txt_is_refused(samples, config, media_dir):
    with pytest.raises(UnsupportedFileError, match=r"notes\.txt is named \.txt but is a PDF"):
        load_file(samples.make_pdf(["hi"]), filename="notes.txt", config=config, media_dir=media_dir)


def test_image_extension_mismatch_between_image_types_is_accepted(samples, config, media_dir):
    data = samples.encode(Image.new("RGB", (64, 64), "white"), "PNG")
    loaded = load_file(data, filename="photo.jpg", config=config, media_dir=media_dir)
    assert loaded.metadata["format"] == "PNG"
    assert loaded.image_path.endswith(".png")


def test_animated_gif_reads_the_first_frame(config, media_dir):
    frames = []
    for i in range(3):
        frame = Image.new("RGB", (40, 40), "white")
        ImageDraw.Draw(frame).rectangle((i * 10, 0, i * 10 + 9, 9), fill="black")
        frames.append(frame)
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    loaded = load_file(out.getvalue(), filename="anim.gif", config=config, media_dir=media_dir)
    assert loaded.metadata["frames"] == 3
    assert loaded.skipped[0].where == "frames 2-3"
    assert loaded.image_path.endswith(".png")


def test_ocr_off_gives_empty_text_and_says_why(samples, media_dir):
    data = samples.encode(samples.text_image("INVOICE"), "PNG")
    loaded = load_file(data, filename="r.png", config=IngestionConfig(ocr=False), media_dir=media_dir)
    assert loaded.chunks[0].text == ""
    assert loaded.metadata["ocr_used"] is False
    assert loaded.metadata["ocr_note"] == "OCR is turned off"


def test_text_named_png_is_refused(config, media_dir):
    with pytest.raises(UnsupportedFileError, match=r"pic\.png is named \.png but is a text file"):
        load_file(b"just some words", filename="pic.png", config=config, media_dir=media_dir)


def test_junk_named_pdf_is_refused(config, media_dir):
    with pytest.raises(UnsupportedFileError, match=r"doc\.pdf is named \.pdf but is not a PDF"):
        load_file(bytes(range(256)) * 4, filename="doc.pdf", config=config, media_dir=media_dir)
