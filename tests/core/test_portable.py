"""Portable export version 2 and the importers, on real stores: a lossless round trip (zip with media
included), version 1 files still import, ChatGPT and Mem0 files generated here, bad files refused."""

from __future__ import annotations

import copy
import io
import json
import uuid
import zipfile
from pathlib import Path

import jsonschema
import pytest
from PIL import Image

from memory import MemoryType
from memory.errors import ImportFormatError, InvalidInputError
from memory.importers import import_file

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "export-v2.schema.json"


def normalised(export: dict) -> dict:
    """An export without what may differ after a round trip: when it was made, and history row times."""
    out = copy.deepcopy(export)
    out.pop("exported_at")
    for m in out["memories"]:
        for row in m["history"]:
            row.pop("at")
    return out


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "navy").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def rich(make_memory):
    """A store with current and past facts, a retraction, a document, an image and graph edges."""
    mem = make_memory("source")
    mem.add("I live in Denver. I work at Acme. I like jazz.", user_id="ana", session_id="s1")
    mem.add("I moved to Boulder.", user_id="ana", session_id="s1")
    mem.add("I don't like jazz anymore.", user_id="ana", session_id="s2")
    mem.ingest(b"Quarterly report. Revenue grew in Boulder.\n", user_id="ana", filename="report.txt")
    mem.ingest(png(), user_id="ana", filename="photo.png")
    return mem


def test_round_trip_through_a_zip_is_lossless(rich, make_memory):
    first = rich.export(user_id="ana", media=True)
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        data = json.loads(archive.read("export.json"))
        files = {n: archive.read(n) for n in archive.namelist() if n.startswith("media/")}
    assert data["version"] == 2 and data["format"] == "memory-export"
    assert any(m["valid_to"] for m in data["memories"]) and any(m["superseded_by"] for m in data["memories"])
    assert any(e["valid_to"] for e in data["edges"]) and any(e["valid_to"] is None for e in data["edges"])
    assert {d["file_name"] for d in data["documents"]} == {"report.txt", "photo.png"}
    assert len(files) == 2 and all(m["history"] for m in data["memories"])

    copy_ = make_memory("copy")
    assert copy_.import_(first, user_id="ana") == len(data["memories"])
    second = copy_.export(user_id="ana", media=True)
    with zipfile.ZipFile(io.BytesIO(second)) as archive:
        again = json.loads(archive.read("export.json"))
        files_again = {n: archive.read(n) for n in archive.namelist() if n.startswith("media/")}
    assert normalised(again) == normalised(data)
    assert files_again == files
    # The copy behaves like the original: the past is answerable, the image file is there.
    assert [m.text for m in copy_.get_all(user_id="ana", types=[MemoryType.SEMANTIC])] == [
        m.text for m in rich.get_all(user_id="ana", types=[MemoryType.SEMANTIC])
    ]
    image = next(m for m in copy_.get_all(user_id="ana") if m.source.image_path)
    assert (Path(copy_.config.data_dir) / image.source.image_path).read_bytes() == files[
        f"media/{Path(image.source.image_path).name}"
    ]


def test_the_export_matches_its_schema(rich):
    jsonschema.validate(rich.export(user_id="ana"), json.loads(SCHEMA.read_text()))


def test_version_1_files_still_import(memory):
    memory_id = str(uuid.uuid4())
    v1 = {
        "version": 1,
        "user_id": "old",
        "memories": [
            {
                "id": memory_id,
                "text": "User lives in Lisbon.",
                "type": "semantic",
                "user_id": "old",
                "relations": [{"subject": "User", "relation": "lives_in", "object": "Lisbon"}],
            }
        ],
    }
    assert memory.import_(v1, user_id="new") == 1
    assert memory.get(memory_id, user_id="new").text == "User lives in Lisbon."
    assert [e.object for e in memory.graph.edges("new")] == ["Lisbon"]


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda d: d.update(version=3), "version 3"),
        (
            lambda d: d["edges"].append({**d["edges"][0], "memory_id": str(uuid.uuid4())}),
            "belongs to no memory",
        ),
        (lambda d: d["memories"][0]["history"].append({"event": "EXPLODE"}), "history row"),
        (lambda d: d["memories"][-1].update(text=""), "empty"),
    ],
    ids=["newer-version", "stray-edge", "bad-history", "empty-text"],
)
def test_a_bad_export_stores_nothing(rich, make_memory, mutate, words):
    data = rich.export(user_id="ana")
    mutate(data)
    target = make_memory("target")
    with pytest.raises(InvalidInputError, match=words):
        target.import_(data, user_id="ana")
    assert target.get_all(user_id="ana", include_past=True) == []
    assert target.graph.edges("ana") == []


def test_unreadable_files_say_what_is_wrong(memory, tmp_path):
    whole = json.dumps({"memories": [{"text": "x"}]}).encode()
    with pytest.raises(ImportFormatError, match="not valid JSON.*cut short"):
        memory.import_(whole[:-5], user_id="u")
    with pytest.raises(ImportFormatError, match="not a memory export .*, a ChatGPT"):
        memory.import_([1, 2], user_id="u")
    with pytest.raises(ImportFormatError, match="empty"):
        memory.import_(b"  ", user_id="u")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(ImportFormatError, match="neither export.json"):
        memory.import_(buffer.getvalue(), user_id="u")
    with pytest.raises(ImportFormatError, match="Could not read"):
        memory.import_(tmp_path / "missing.json", user_id="u")
    assert memory.get_all(user_id="u", include_past=True) == []


# -- Mem0 ----------------------------------------------------------------------------------------------
def mem0_records(n: int) -> list[dict]:
    return [
        {
            "id": str(uuid.uuid4()),
            "memory": f"Likes hiking trail number {i}",
            "user_id": "alex",
            "hash": f"h{i}",
            "metadata": {"topic": "outdoors"} if i % 2 else None,
            "created_at": f"2024-07-{1 + i % 28:02d}T10:00:00.000000-07:00",
            "updated_at": None,
        }
        for i in range(n)
    ]


@pytest.mark.parametrize("shape", ["results", "list"])
def test_a_mem0_dump_imports_with_times_and_ids(memory, shape):
    records = mem0_records(1203)
    data = {"results": records} if shape == "results" else records
    seen: list[tuple[int, int]] = []
    report = import_file(
        memory, json.dumps(data).encode(), user_id="alex", progress=lambda d, t: seen.append((d, t))
    )
    assert (report.format, report.memories) == ("mem0", 1203)
    assert seen == [(500, 1203), (1000, 1203), (1203, 1203)]
    stored = {m.metadata["mem0_id"]: m for m in memory.get_all(user_id="alex")}
    first = stored[records[0]["id"]]
    assert first.text == "Likes hiking trail number 0" and first.type == MemoryType.SEMANTIC
    assert first.valid_from.isoformat() == "2024-07-01T17:00:00+00:00"
    assert stored[records[1]["id"]].metadata["topic"] == "outdoors"
    assert (
        memory.search("hiking trail number 7", user_id="alex", limit=1)[0].text
        == "Likes hiking trail number 7"
    )


def test_a_bad_mem0_dump_stores_nothing(memory):
    records = mem0_records(3)
    records[2]["memory"] = "   "
    with pytest.raises(ImportFormatError, match="Entry 3 of the Mem0 dump has no 'memory' text"):
        memory.import_({"results": records}, user_id="alex")
    records[2]["memory"], records[1]["created_at"] = "fine", "yesterday-ish"
    with pytest.raises(ImportFormatError, match="Entry 2 .* not a date"):
        memory.import_({"results": records}, user_id="alex", format="mem0")
    assert memory.get_all(user_id="alex") == []


# -- ChatGPT -------------------------------------------------------------------------------------------
def conversation(conv_id: str, title: str, turns: list[tuple[str, str]], branch: str | None = None) -> dict:
    """A conversations.json entry: a root, the turns in a chain, and optionally an abandoned branch
    (an edited first message) that is not on the thread shown last."""
    mapping = {"root": {"id": "root", "message": None, "parent": None, "children": []}}
    parent = "root"
    for n, (role, text) in enumerate(turns):
        node = f"{conv_id}-{n}"
        mapping[node] = {
            "id": node,
            "message": {
                "id": node,
                "author": {"role": role, "name": None, "metadata": {}},
                "create_time": 1_700_000_000 + n * 60,
                "content": {"content_type": "text", "parts": [text]},
                "metadata": {},
            },
            "parent": parent,
            "children": [],
        }
        mapping[parent]["children"].append(node)
        parent = node
    if branch:
        mapping["abandoned"] = {
            "id": "abandoned",
            "message": {
                "id": "abandoned",
                "author": {"role": "user"},
                "create_time": 1_699_999_999,
                "content": {"content_type": "text", "parts": [branch]},
            },
            "parent": "root",
            "children": [],
        }
    return {"title": title, "conversation_id": conv_id, "mapping": mapping, "current_node": parent}


def test_a_chatgpt_export_becomes_episodes_then_facts(memory):
    chitchat = [
        ("user", f"Question number {i} about bread?") if i % 2 == 0 else ("assistant", f"Answer {i}.")
        for i in range(60)
    ]
    data = [
        conversation(
            "c1",
            "Moving",
            [("user", "I live in Denver."), ("assistant", "Nice city!"), ("user", "I moved to Boulder.")],
            branch="I live in Paris.",
        ),
        conversation("c2", "Baking", chitchat),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # the export as ChatGPT sends it: a zip
        archive.writestr("conversations.json", json.dumps(data))
        archive.writestr("chat.html", "<html></html>")
    seen: list[tuple[int, int]] = []
    report = import_file(memory, buffer.getvalue(), user_id="kim", progress=lambda d, t: seen.append((d, t)))
    assert (report.format, report.conversations, report.turns) == ("chatgpt", 2, 63)
    assert seen[-1] == (63, 63) and len(seen) == 63
    episodes = memory.get_all(user_id="kim", types=[MemoryType.EPISODIC])
    assert len(episodes) == 63 and "I live in Paris." not in {e.text for e in episodes}
    assert {e.source.role for e in episodes} == {"user", "assistant"}
    assert [m.text for m in memory.get_all(user_id="kim", types=[MemoryType.SEMANTIC])] == [
        "User lives in Boulder."
    ]
    assert [m.text for m in memory.get_all(user_id="kim", types=[MemoryType.SEMANTIC], include_past=True)][
        -1
    ] == ("User lives in Denver.")
    assert report.memories == len(memory.get_all(user_id="kim", include_past=True))
    assert {s.session_id for s in memory.sessions(user_id="kim")} == {"c1", "c2"}


def test_a_bad_chatgpt_export_stores_nothing(memory):
    good = conversation("c1", "Fine", [("user", "I live in Denver.")])
    broken = {
        "title": "Broken",
        "mapping": {"x": {"message": {"author": {"role": "user"}}, "parent": None}},
        "current_node": "x",
    }
    for data, words in (
        ([good, {"title": "No mapping"}], "Conversation 2 .* no message 'mapping'"),
        ([good, broken], "no 'content' object"),
    ):
        with pytest.raises(ImportFormatError, match=words):
            memory.import_(data, user_id="kim", format="chatgpt")
    assert memory.get_all(user_id="kim", include_past=True) == []
    assert memory.sessions(user_id="kim") == []
