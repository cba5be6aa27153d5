"""Where uploaded images live: ``<data_dir>/media/<owner>/<sha256>.<ext>``, one folder per user.

Each user's copy is separate, so forgetting one user's file never removes another's. Every path
read from a record goes through ``media_path_for``, which refuses anything that resolves outside
the media folder (``..``, absolute paths, links), and outside the owner's folder when one is given.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from memory.errors import UnsafePathError

MEDIA_DIR = "media"


def owner_folder(user_id: str) -> str:
    """The folder name of a user's media: a hash, so no user id ever becomes a path."""
    return hashlib.sha256(user_id.encode("utf-8")).hexdigest()[:16]


def user_media_dir(data_dir: Path, user_id: str) -> Path:
    return Path(data_dir) / MEDIA_DIR / owner_folder(user_id)


def stored_paths(data_dir: Path, user_id: str, sha256: str, ext: str) -> tuple[Path, Path]:
    """Where a user's image and its thumbnail go: ``<sha>.<ext>`` and ``<sha>_thumb.jpg``."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256) or not ext.isalnum():
        raise UnsafePathError(f"not a content hash and extension: {sha256!r}, {ext!r}")
    folder = user_media_dir(data_dir, user_id)
    return folder / f"{sha256}.{ext}", folder / f"{sha256}_thumb.jpg"


def media_path_for(data_dir: Path, relpath: str, *, user_id: str | None = None) -> Path:
    """The absolute path of a stored media file (``relpath`` is relative to the data directory).

    Raises ``UnsafePathError`` when it resolves outside ``<data_dir>/media`` (or outside the
    folder of ``user_id`` when given): a record from an imported file must not reach other files.
    """
    if not isinstance(relpath, str) or not relpath or "\x00" in relpath:
        raise UnsafePathError(f"The media path {relpath!r} is not a file name and was refused.")
    root = (Path(data_dir) / MEDIA_DIR).resolve()
    allowed = root / owner_folder(user_id) if user_id is not None else root
    candidate = Path(relpath)
    full = (candidate if candidate.is_absolute() else Path(data_dir) / candidate).resolve()
    if full == allowed or not full.is_relative_to(allowed):
        whose = "this user's media folder" if user_id is not None else "the data directory's media folder"
        raise UnsafePathError(f"The media path {relpath!r} leads outside {whose} and was refused.")
    return full


def relative_path(data_dir: Path, path: Path) -> str:
    """``path`` relative to the data directory, as stored on a memory's source."""
    return Path(path).relative_to(Path(data_dir)).as_posix()


def remove_media(data_dir: Path, relpath: str, *, user_id: str | None = None) -> bool:
    """Delete one stored media file (after the containment check); True when a file was removed.

    Call it for ``source.image_path`` and ``source.thumbnail_path`` once the user's last memory
    that refers to that file (same ``file_sha256``) is gone.
    """
    full = media_path_for(data_dir, relpath, user_id=user_id)
    try:
        full.unlink()
    except FileNotFoundError:
        return False
    _drop_if_empty(full.parent, (Path(data_dir) / MEDIA_DIR).resolve())
    return True


def remove_user_media(data_dir: Path, user_id: str) -> int:
    """Delete every media file of one user (``delete_all``); returns how many files went."""
    folder = user_media_dir(data_dir, user_id)
    if not folder.is_dir() or folder.is_symlink():
        return 0
    count = sum(1 for p in folder.rglob("*") if p.is_file())
    shutil.rmtree(folder)
    return count


def remove_all_media(data_dir: Path) -> None:
    """Delete the whole media folder (``reset``)."""
    root = Path(data_dir) / MEDIA_DIR
    if root.is_symlink():
        root.unlink()
    elif root.is_dir():
        shutil.rmtree(root)


def _drop_if_empty(folder: Path, root: Path) -> None:
    if folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:  # not empty: other files of this user remain
            pass
