"""The Gradio app launched for real on 127.0.0.1 and driven through gradio_client: chat with a file,
the manager (search, filters, edit, history, delete, documents, export, import, delete all with
confirmation) and the graph, each checked against what the app reports back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gradio_client import Client, handle_file

from tests.ui.test_browser import free_port
from ui.bench import gradio_server


def rows(table: dict) -> list[list]:
    return table["data"]


def memory_id(picker: dict, text: str) -> str:
    """The id behind the picker choice whose label starts with ``text``."""
    return next(value for label, value in picker["choices"] if label.startswith(text))


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gradio")
    with gradio_server(free_port(), tmp / "data", log=tmp / "gradio.log") as url:
        yield Client(url, verbose=False)


def test_chat_then_manage_memories_through_the_api(client, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("The spare key is under the blue flowerpot.", encoding="utf-8")
    chat, cleared, said, fixed, totals = client.predict(
        {"text": "My name is Ada and I live in Paris.", "files": [handle_file(str(notes))]}, api_name="/chat"
    )
    assert "Remembered\\: User lives in Paris." in said and "notes.txt" in said
    assert "retrieval " in chat[-1]["metadata"]["title"] and "no LLM" in chat[-1]["metadata"]["title"]
    assert "1 turn · no LLM" in totals

    table, picker, status, docs, doc_picker = client.predict("ada", "", [], "all sources", api_name="/search")
    texts = [row[0] for row in rows(table)]
    assert "User lives in Paris." in texts and status.endswith("newest first.")
    assert [row[0] for row in rows(docs)] == ["notes.txt"]

    table, *_ = client.predict(
        "ada", "where is the key", ["semantic", "episodic"], "document", api_name="/search"
    )
    assert rows(table) and all(row[2].startswith("notes.txt") for row in rows(table))
    table, *_ = client.predict("ada", "", ["semantic"], "chat", api_name="/search")
    assert {row[1] for row in rows(table)} == {"semantic"} and "User lives in Paris." in [
        r[0] for r in rows(table)
    ]

    paris = memory_id(picker, "User lives in Paris.")
    text, history = client.predict("ada", paris, api_name="/open_memory")
    assert text == "User lives in Paris." and "**ADD**" in history
    assert "Saved" in client.predict("ada", paris, "User lives in Lyon.", api_name="/save_memory")
    text, history = client.predict("ada", paris, api_name="/open_memory")
    assert text == "User lives in Lyon." and "**UPDATE**" in history and "Paris" in history

    svg, edges, status = client.predict("ada", True, api_name="/graph")
    assert "<svg" in svg and "Paris" in svg and any(row[2] == "Paris" for row in rows(edges))

    name = memory_id(picker, "User's name is Ada.")
    assert "Deleted: User's name is Ada." in client.predict("ada", name, api_name="/delete_memory")
    table, *_ = client.predict("ada", "", [], "all sources", api_name="/search")
    assert "User's name is Ada." not in [row[0] for row in rows(table)]

    sha = doc_picker["choices"][0][1]
    assert "Deleted the document" in client.predict("ada", sha, api_name="/delete_document")
    *_, docs, _ = client.predict("ada", "", [], "all sources", api_name="/search")
    assert rows(docs) == []

    exported, notice = client.predict("ada", api_name="/export")
    data = json.loads(Path(exported).read_text(encoding="utf-8"))
    assert "Exported" in notice and "User lives in Lyon." in [m["text"] for m in data["memories"]]
    assert "Imported" in client.predict("grace", handle_file(exported), api_name="/import")
    table, *_ = client.predict("grace", "", [], "all sources", api_name="/search")
    assert "User lives in Lyon." in [row[0] for row in rows(table)]

    notice, confirm = client.predict("grace", "delete", api_name="/delete_all")
    assert "nothing was deleted" in notice and confirm == "delete"
    table, *_ = client.predict("grace", "", [], "all sources", api_name="/search")
    assert rows(table)
    notice, confirm = client.predict("grace", "DELETE", api_name="/delete_all")
    assert "Deleted all" in notice and confirm == ""
    table, _, status, *_ = client.predict("grace", "", [], "all sources", api_name="/search")
    assert rows(table) == [] and "Nothing remembered yet" in status
    table, *_ = client.predict("ada", "", [], "all sources", api_name="/search")
    assert "User lives in Lyon." in [row[0] for row in rows(table)]  # the other user keeps hers


def test_a_bad_import_is_refused_in_words(client, tmp_path):
    bad = tmp_path / "not-an-export.json"
    bad.write_text('{"hello": "world"}', encoding="utf-8")
    notice = client.predict("alan", handle_file(str(bad)), api_name="/import")
    assert notice.startswith("⚠") and "memories" in notice
    table, *_ = client.predict("alan", "", [], "all sources", api_name="/search")
    assert rows(table) == []
