"""What a file really is, from its first bytes (never its name), and how to decode text files."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from enum import StrEnum

from memory.errors import UnsupportedFileError


class Category(StrEnum):
    PDF = "pdf"
    IMAGE = "image"
    TEXT = "text"


@dataclass(frozen=True)
class Format:
    """A recognised content type: its category, a display name, MIME type and usual extension."""

    category: Category
    name: str
    mime: str
    ext: str


PDF = Format(Category.PDF, "PDF", "application/pdf", "pdf")
PNG = Format(Category.IMAGE, "PNG image", "image/png", "png")
JPEG = Format(Category.IMAGE, "JPEG image", "image/jpeg", "jpg")
GIF = Format(Category.IMAGE, "GIF image", "image/gif", "gif")
WEBP = Format(Category.IMAGE, "WEBP image", "image/webp", "webp")
BMP = Format(Category.IMAGE, "BMP image", "image/bmp", "bmp")
TIFF = Format(Category.IMAGE, "TIFF image", "image/tiff", "tif")
TEXT = Format(Category.TEXT, "text file", "text/plain", "txt")
MARKDOWN = Format(Category.TEXT, "Markdown file", "text/markdown", "md")

SUPPORTED = "PDF, PNG, JPEG, GIF, WEBP, BMP, TIFF and UTF-8 text or Markdown"

_IMAGE_SIGNATURES: tuple[tuple[bytes, Format], ...] = (
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"BM", BMP),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
)

# Formats people often upload that we do not read, so the refusal can say what the file is.
_KNOWN_UNSUPPORTED: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (Word, Excel and PowerPoint files are ZIP archives too)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
    (b"{\\rtf", "an RTF document"),
)

_EXTENSIONS: dict[str, Category] = {
    "pdf": Category.PDF,
    **{e: Category.IMAGE for e in ("png", "jpg", "jpeg", "jpe", "gif", "webp", "bmp", "tif", "tiff")},
    **{e: Category.TEXT for e in ("txt", "text", "md", "markdown", "rst", "csv", "log")},
}


def sniff(data: bytes) -> Format | None:
    """The binary format named by the magic bytes at the start of ``data``, or None (maybe text)."""
    # Some writers put a byte-order mark or blank lines before the header; readers accept that.
    if data[:1024].lstrip(b"\x00\t\n\r\f \xef\xbb\xbf").startswith(b"%PDF-"):
        return PDF
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    for signature, fmt in _IMAGE_SIGNATURES:
        if data.startswith(signature):
            return fmt
    return None


def describe_unsupported(data: bytes) -> str:
    """Plain words for a binary file we do not read."""
    for signature, what in _KNOWN_UNSUPPORTED:
        if data.startswith(signature):
            return what
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
        return "a HEIC photo (export it as JPEG first)"
    if data[4:8] == b"ftyp":
        return "a video or audio file"
    return "binary data, not text"


def extension_category(file_name: str) -> Category | None:
    """The category a file's extension claims, or None when the extension says nothing we know."""
    _, dot, ext = file_name.rpartition(".")
    return _EXTENSIONS.get(ext.lower()) if dot else None


def check_name_matches(file_name: str, fmt: Format) -> None:
    """Refuse a file whose extension claims another kind of content than its bytes hold."""
    claimed = extension_category(file_name)
    if claimed is None or claimed == fmt.category:
        return
    ext = file_name.rpartition(".")[2]
    stem = file_name.rpartition(".")[0] or file_name
    raise UnsupportedFileError(
        f"{file_name} is named .{ext} but is a {fmt.name}; rename it to {stem}.{fmt.ext} and upload it again"
    )


def refuse_unrecognised(data: bytes, file_name: str) -> None:
    """Refuse a file named like a PDF or image whose bytes are neither (text, or some other binary)."""
    claimed = extension_category(file_name)
    if claimed not in (Category.PDF, Category.IMAGE):
        return
    ext = file_name.rpartition(".")[2]
    try:
        decode_text(data, file_name)
    except UnsupportedFileError:
        what = describe_unsupported(data)
        raise UnsupportedFileError(
            f"{file_name} is named .{ext} but is not a PDF or an image that can be read (it is {what}, "
            "or the file is damaged)"
        ) from None
    raise UnsupportedFileError(
        f"{file_name} is named .{ext} but is a text file; rename it to .txt and upload it again"
    )


def decode_text(data: bytes, file_name: str) -> tuple[str, str]:
    """Decode a text file; returns (text, encoding). Refuses binary data and text it cannot decode."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), data, file_name), encoding
            except UnicodeDecodeError as exc:
                raise UnsupportedFileError(
                    f"{file_name} starts like {encoding.upper()} text but is not valid {encoding.upper()}; "
                    "save it as UTF-8 and upload it again"
                ) from exc
    try:
        return _checked(data.decode("utf-8"), data, file_name), "utf-8"
    except UnicodeDecodeError:
        pass
    if not _looks_like_text(data):
        raise _binary(data, file_name)
    # Mostly ASCII with a few high bytes: almost always Windows-1252 / Latin-1 from an older editor.
    try:
        return _checked(data.decode("cp1252"), data, file_name), "cp1252"
    except UnicodeDecodeError:
        pass
    raise UnsupportedFileError(f"{file_name} is not UTF-8 text; save it as UTF-8 and upload it again")


def _looks_like_text(data: bytes) -> bool:
    """No NUL bytes, few control characters and mostly ASCII: the shape of a legacy-encoded text file."""
    sample = data[:65536]
    if b"\x00" in sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    high = sum(1 for b in sample if b >= 128)
    return controls <= len(sample) // 200 and high <= len(sample) // 3


def _checked(text: str, data: bytes, file_name: str) -> str:
    """Refuse decoded text that is really binary data (NULs, many control characters)."""
    sample = text[:65536]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\f\r")
    if "\x00" in sample or controls > len(sample) // 200:
        raise _binary(data, file_name)
    return text


def _binary(data: bytes, file_name: str) -> UnsupportedFileError:
    return UnsupportedFileError(
        f"{file_name} cannot be read: it is {describe_unsupported(data)}. Supported files: {SUPPORTED}"
    )
