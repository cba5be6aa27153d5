"""Images: validate with Pillow, store an EXIF-free copy and a thumbnail per user, OCR the text."""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from ingestion import media, ocr
from memory.config import IngestionConfig
from memory.errors import ImageRejectedError
from memory.types import SkippedPart

THUMBNAIL_SIDE = 256
_PNG_MODES = ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16")


@dataclass
class ImageContent:
    """OCR text of an image, where its cleaned copy and thumbnail are stored, and what was noted."""

    text: str
    image_path: Path
    thumbnail_path: Path
    skipped: list[SkippedPart] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)


def read_image(
    data: bytes,
    file_name: str,
    sha256: str,
    config: IngestionConfig,
    media_dir: Path,
    user_id: str | None = None,
) -> ImageContent:
    """Validate an image, OCR it, then store it; nothing is written unless every check passed.

    With ``user_id`` the copy goes to that user's own media folder (see ``ingestion.media``);
    without it, to the older shared layout ``media_dir/<sha[:2]>/``.
    """
    picture, fmt, frames = _decode(data, file_name, config)
    meta: dict[str, Any] = {
        "mime": Image.MIME.get(fmt, "image/" + fmt.lower()),
        "format": fmt,
        "width": picture.width,
        "height": picture.height,
        "title": None,
        "author": None,
    }
    skipped: list[SkippedPart] = []
    if frames > 1:
        meta["frames"] = frames
        skipped.append(
            SkippedPart(
                where=f"frames 2-{frames}",
                why="only the first frame of a multi-frame image (animation, multi-page TIFF) is read",
            )
        )
    text = _ocr(picture, config, meta, skipped)
    ext = "jpg" if fmt == "JPEG" else "png"
    if user_id is not None:
        image_path, thumbnail_path = media.stored_paths(media_dir.parent, user_id, sha256, ext)
    else:
        image_path, thumbnail_path = (
            media_dir / sha256[:2] / f"{sha256}.{ext}",
            media_dir / sha256[:2] / f"{sha256}_thumb.jpg",
        )
    if not image_path.exists():
        _write_atomically(image_path, _encode(picture, ext))
    if not thumbnail_path.exists():
        _write_atomically(thumbnail_path, _thumbnail(picture))
    return ImageContent(text, image_path, thumbnail_path, skipped, meta)


def _ocr(
    picture: Image.Image, config: IngestionConfig, meta: dict[str, Any], skipped: list[SkippedPart]
) -> str:
    """The image's text within the OCR budget; why not, in ``skipped``, when it was not read."""
    no_ocr = ocr.ocr_unavailable_reason(config)
    meta["ocr_used"] = no_ocr is None
    if no_ocr:
        meta["ocr_note"] = no_ocr
        skipped.append(SkippedPart(where="image text", why=no_ocr))
        return ""
    budget = ocr.OcrBudget(config)
    text = budget.read(picture)
    if text is None:
        skipped.append(SkippedPart(where="image text", why=budget.stopped_note()))
    elif budget.images_timed_out:
        skipped.append(SkippedPart(where="image text", why=budget.image_note()))
    return text or ""


def _decode(data: bytes, file_name: str, config: IngestionConfig) -> tuple[Image.Image, str, int]:
    """Open, check size, verify, fully decode and upright the first frame; returns (image, format, frames)."""
    try:
        probe = Image.open(io.BytesIO(data))
        fmt = probe.format or "PNG"
        _check_size(probe.size, file_name, config)  # from the header, before any pixel is decoded
        probe.verify()
        picture = Image.open(io.BytesIO(data))
        frames = getattr(picture, "n_frames", 1)
        picture.load()
    except ImageRejectedError:
        raise
    except Image.DecompressionBombError as exc:
        raise ImageRejectedError(
            f"{file_name} declares an enormous size and was refused as unsafe (a decompression bomb?)"
        ) from exc
    except Exception as exc:  # Pillow raises many kinds of errors on damaged or truncated data
        raise ImageRejectedError(
            f"{file_name} is damaged or incomplete and cannot be read as an image"
        ) from exc
    if fmt == "MPO":  # camera JPEGs with an embedded preview: the first frame is the photo
        fmt, frames = "JPEG", 1
    try:
        upright = ImageOps.exif_transpose(picture)
    except Exception:  # a malformed EXIF block: keep the pixels as stored
        upright = picture
    if min(upright.size) < config.min_image_side:
        raise ImageRejectedError(
            f"{file_name} is too small to read ({upright.width} x {upright.height} pixels; "
            f"each side needs at least {config.min_image_side})"
        )
    return upright, fmt, frames


def _check_size(size: tuple[int, int], file_name: str, config: IngestionConfig) -> None:
    width, height = size
    if width * height > config.max_image_pixels:
        raise ImageRejectedError(
            f"{file_name} is {width} x {height} pixels ({width * height / 1e6:,.0f} megapixels); "
            f"the limit is {config.max_image_pixels / 1e6:g} megapixels"
        )


def _encode(picture: Image.Image, ext: str) -> bytes:
    """Re-encode without EXIF, XMP or text chunks (they can hold GPS location); keep the colour profile."""
    if ext == "jpg":
        clean = picture.convert("RGB") if picture.mode not in ("RGB", "L") else picture.copy()
    elif picture.mode not in _PNG_MODES:
        clean = picture.convert("RGBA" if "A" in picture.mode else "RGB")
    else:
        clean = picture.copy()
    icc = picture.info.get("icc_profile")
    clean.info = {}
    out = io.BytesIO()
    options: dict[str, Any] = {"icc_profile": icc} if icc else {}
    if ext == "jpg":
        clean.save(out, format="JPEG", quality=92, **options)
    else:
        clean.save(out, format="PNG", optimize=False, **options)
    return out.getvalue()


def _thumbnail(picture: Image.Image) -> bytes:
    thumb = picture.copy()
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    if thumb.mode in ("RGBA", "LA", "PA") or (thumb.mode == "P" and "transparency" in thumb.info):
        rgba = thumb.convert("RGBA")
        thumb = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba)
    thumb = thumb.convert("RGB")
    thumb.info = {}
    out = io.BytesIO()
    thumb.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _write_atomically(path: Path, payload: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
