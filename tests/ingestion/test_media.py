"""Media per user, inside the data directory: paths that lead elsewhere are refused."""

import hashlib
import os

import pytest

from ingestion import load_file
from ingestion.media import (
    media_path_for,
    owner_folder,
    remove_all_media,
    remove_media,
    remove_user_media,
    stored_paths,
)
from memory.errors import InvalidInputError, MemoryLayerError, UnsafePathError


def _load(samples, config, media_dir, user_id, text="RECEIPT"):
    data = samples.encode(samples.text_image(text), "PNG")
    return load_file(data, filename="r.png", config=config, media_dir=media_dir, user_id=user_id), data


def test_each_user_gets_their_own_copy(samples, config, media_dir):
    alice, data = _load(samples, config, media_dir, "alice")
    bob, _ = _load(samples, config, media_dir, "bob")
    sha = hashlib.sha256(data).hexdigest()
    assert alice.image_path == f"media/{owner_folder('alice')}/{sha}.png"
    assert alice.thumbnail_path == f"media/{owner_folder('alice')}/{sha}_thumb.jpg"
    assert bob.image_path != alice.image_path
    assert len(samples.files_under(media_dir)) == 4
    assert alice.chunks[0].source.image_path == alice.image_path


def test_removing_one_users_file_keeps_the_others(samples, config, media_dir):
    data_dir = media_dir.parent
    alice, _ = _load(samples, config, media_dir, "alice")
    bob, _ = _load(samples, config, media_dir, "bob")
    assert remove_media(data_dir, alice.image_path, user_id="alice")
    assert remove_media(data_dir, alice.thumbnail_path, user_id="alice")
    assert not remove_media(data_dir, alice.image_path)  # already gone
    assert not (media_dir / owner_folder("alice")).exists()  # the empty folder went too
    assert (data_dir / bob.image_path).is_file() and (data_dir / bob.thumbnail_path).is_file()


def test_remove_user_media_and_remove_all(samples, config, media_dir):
    data_dir = media_dir.parent
    _load(samples, config, media_dir, "alice")
    _load(samples, config, media_dir, "alice", text="OTHER")
    bob, _ = _load(samples, config, media_dir, "bob")
    assert remove_user_media(data_dir, "alice") == 4
    assert remove_user_media(data_dir, "alice") == 0
    assert samples.files_under(media_dir) == sorted(
        [data_dir / bob.image_path, data_dir / bob.thumbnail_path]
    )
    remove_all_media(data_dir)
    assert not media_dir.exists()


def test_user_ids_never_become_paths(samples, config, media_dir):
    loaded, _ = _load(samples, config, media_dir, "../../etc")
    assert loaded.image_path.startswith("media/") and ".." not in loaded.image_path
    assert len(owner_folder("../../etc")) == 16


@pytest.mark.parametrize(
    "relpath",
    [
        "../secret.txt",
        "media/../history.sqlite",
        "/etc/passwd",
        "media",
        "",
        "media/x\x00.png",
        "media/../../x",
    ],
)
def test_paths_outside_the_media_folder_are_refused(tmp_path, relpath):
    with pytest.raises(UnsafePathError, match="refused"):
        media_path_for(tmp_path / "data", relpath)


def test_refusal_is_the_librarys_own_input_error(tmp_path):
    with pytest.raises(InvalidInputError) as caught:
        remove_media(tmp_path, "../../etc/passwd")
    assert isinstance(caught.value, MemoryLayerError)


def test_a_link_out_of_the_media_folder_is_refused(samples, config, media_dir, tmp_path):
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"not yours")
    folder = media_dir / owner_folder("alice")
    folder.mkdir(parents=True)
    os.symlink(outside, folder / "link.png")
    with pytest.raises(UnsafePathError):
        remove_media(media_dir.parent, f"media/{owner_folder('alice')}/link.png")
    assert outside.read_bytes() == b"not yours"


def test_a_path_into_another_users_folder_is_refused_for_that_user(samples, config, media_dir):
    bob, _ = _load(samples, config, media_dir, "bob")
    assert media_path_for(media_dir.parent, bob.image_path, user_id="bob").is_file()
    with pytest.raises(UnsafePathError, match="this user's media folder"):
        media_path_for(media_dir.parent, bob.image_path, user_id="alice")
    with pytest.raises(UnsafePathError):
        remove_media(media_dir.parent, bob.image_path, user_id="alice")
    assert (media_dir.parent / bob.image_path).is_file()


@pytest.mark.parametrize(("sha", "ext"), [("../" * 21 + "a", "png"), ("a" * 64, "p/ng"), ("A" * 64, "png")])
def test_stored_paths_take_only_a_hash_and_an_extension(tmp_path, sha, ext):
    with pytest.raises(UnsafePathError):
        stored_paths(tmp_path, "alice", sha, ext)
