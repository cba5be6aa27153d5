"""The HTTP service through MemoryClient against a real `python -m memory serve` process: the Memory
API end to end, tenant isolation, the error mapping, and the API keys."""

from __future__ import annotations

import httpx
import pytest

from memory.client import MemoryClient
from memory.errors import AuthenticationError, InvalidInputError, NotFoundError, UnsupportedFileError
from memory.types import AddResult, Event, HistoryEntry, IngestResult, MemoryHit, MemoryItem, MemoryType
from tests.server.processes import memory_cli


def test_memory_api_end_to_end(acme: MemoryClient, tmp_path) -> None:
    result = acme.add("I live in Oslo and I love skiing.", user_id="ann")
    assert isinstance(result, AddResult)
    assert "User lives in Oslo." in [op.new_text for op in result.operations]
    hits = acme.search("where do I live", user_id="ann")
    assert isinstance(hits[0], MemoryHit) and hits[0].memory.text == "User lives in Oslo."
    assert hits[0].memory.user_id == "ann"  # the caller's id, not the service's internal one
    fact = hits[0].memory
    assert acme.get(fact.id, user_id="ann") == fact
    acme.add("I moved to Bergen.", user_id="ann")
    past = acme.get(fact.id, user_id="ann")  # superseded, kept as the past
    assert past.text == "User lives in Oslo." and past.valid_to is not None and past.superseded_by
    moved = acme.get(past.superseded_by, user_id="ann")
    assert moved.text == "User lives in Bergen." and moved.supersedes == fact.id
    history = acme.history(moved.id, user_id="ann")
    assert isinstance(history[0], HistoryEntry)
    assert [h.event for h in history] == [Event.ADD, Event.UPDATE, Event.ADD]
    assert {h.user_id for h in history} == {"ann"}
    before = acme.search("where did I live before?", user_id="ann", types=[MemoryType.SEMANTIC])
    assert "User lives in Oslo." in [h.memory.text for h in before]
    assert [m.text for m in acme.get_all(user_id="ann", include_past=True) if m.slot == "home_city"] == [
        "User lives in Bergen.",
        "User lives in Oslo.",
    ]

    edited = acme.update(moved.id, "User lives in Tromsø.", user_id="ann", metadata={"by": "hand"})
    assert isinstance(edited, MemoryItem) and edited.metadata["by"] == "hand"
    semantic = acme.get_all(user_id="ann", types=[MemoryType.SEMANTIC])
    assert [m.text for m in semantic if m.slot == "home_city"] == ["User lives in Tromsø."]

    export = acme.export(user_id="ann")
    assert export["user_id"] == "ann" and {m["user_id"] for m in export["memories"]} == {"ann"}
    assert acme.import_(export, user_id="ann-copy") == len(export["memories"])
    assert len(acme.get_all(user_id="ann-copy", include_past=True)) == len(export["memories"])

    notes = tmp_path / "notes.txt"
    notes.write_text("The quarterly report is due on the first Friday of March.\n")
    seen: list[tuple[int, int]] = []
    ingested = acme.ingest(notes, user_id="ann", progress=lambda done, total: seen.append((done, total)))
    assert isinstance(ingested, IngestResult) and ingested.memories_added and seen
    assert acme.search("when is the report due", user_id="ann")[0].memory.source.file_name == "notes.txt"

    acme.delete(moved.id, user_id="ann")
    with pytest.raises(NotFoundError, match="No memory"):
        acme.get(moved.id, user_id="ann")
    assert acme.delete_all(user_id="ann-copy") == len(export["memories"])
    assert acme.get_all(user_id="ann-copy") == []


def test_paging_by_cursor_and_offset(service, acme: MemoryClient) -> None:
    for n in range(7):
        acme.add(f"note number {n}", user_id="pager", infer=False)
    everything = acme.get_all(user_id="pager")
    assert len(everything) == 7
    pages, cursor = [], None
    for _ in range(10):  # bounded: 7 items in pages of 3 take 3 pages
        page = acme.list_page({"user_id": "pager"}, 3, cursor)
        assert page["total"] == 7
        pages += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [m.id for m in pages] == [m.id for m in everything]
    by_offset = httpx.get(
        f"{service.url}/v1/memories",
        params={"user_id": "pager", "offset": 5, "limit": 5},
        headers={"Authorization": f"Bearer {service.keys['acme']}"},
    ).json()
    assert by_offset["total"] == 7 and [m["id"] for m in by_offset["items"]] == [m.id for m in everything[5:]]
    assert len(acme.get_all(user_id="pager", limit=4)) == 4


def test_tenants_never_reach_each_other(acme: MemoryClient, globex: MemoryClient) -> None:
    mine = acme.add("My locker code is 4711.", user_id="bob", infer=False).operations[0].memory_id
    theirs = globex.add("My locker code is 1234.", user_id="bob", infer=False).operations[0].memory_id
    assert [m.text for m in acme.get_all(user_id="bob")] == ["My locker code is 4711."]
    assert [m.text for m in globex.get_all(user_id="bob")] == ["My locker code is 1234."]
    assert [h.memory.id for h in globex.search("locker code", user_id="bob")] == [theirs]
    for attempt in (
        lambda: globex.get(mine, user_id="bob"),
        lambda: globex.update(mine, "hijacked", user_id="bob"),
        lambda: globex.delete(mine, user_id="bob"),
        lambda: globex.history(mine, user_id="bob"),
    ):
        with pytest.raises(NotFoundError):
            attempt()
    assert acme.get(mine, user_id="bob").text == "My locker code is 4711."
    # A user id that tries to spell another tenant's internal id is refused, not mapped.
    for forged in ("acme\x1fbob", "\x1fbob", "bob\x1f", "b\x00ob"):
        with pytest.raises(InvalidInputError, match="control characters"):
            globex.get_all(user_id=forged)
    assert globex.delete_all(user_id="bob") == 1
    assert [m.id for m in acme.get_all(user_id="bob")] == [mine]


def test_library_errors_keep_their_class_and_words(service, acme: MemoryClient, tmp_path) -> None:
    with pytest.raises(InvalidInputError, match="^The text is empty.$"):
        acme.add("   ", user_id="ann")
    with pytest.raises(InvalidInputError, match="is not a memory id"):
        acme.get("not-an-id", user_id="ann")
    with pytest.raises(InvalidInputError, match="Unknown retrieval preset"):
        acme.search("x", user_id="ann", settings="fastest")
    bad = tmp_path / "fake.pdf"
    bad.write_bytes(b"\x00\x01\x02 definitely not a pdf")
    with pytest.raises(UnsupportedFileError):
        acme.ingest(bad, user_id="ann")
    assert not [m for m in acme.get_all(user_id="ann") if m.source.file_name == "fake.pdf"]
    raw = httpx.post(
        f"{service.url}/v1/memories",
        json={"messages": "hello", "user_id": "ann", "unknown": 1},
        headers={"Authorization": f"Bearer {service.keys['acme']}"},
    )
    assert raw.status_code == 400
    assert raw.json()["error"]["type"] == "InvalidInputError" and "unknown" in raw.json()["error"]["message"]
    mismatch = httpx.get(
        f"{service.url}/v1/memories",
        params={"user_id": "ann"},
        headers={"Authorization": f"Bearer {service.keys['acme']}", "X-Memory-User": "someone-else"},
    )
    assert mismatch.status_code == 400 and "X-Memory-User" in mismatch.json()["error"]["message"]


def test_keys_are_hashed_listed_and_revoked(service) -> None:
    key = memory_cli(service.data_dir, "keys", "create", "--tenant", "initech")
    key_id = key.split(".")[2]
    stored = (service.data_dir / "keys.sqlite").read_bytes()
    assert key.encode() not in stored and key.split(".")[3].encode() not in stored
    assert key_id in memory_cli(service.data_dir, "keys", "list", "--tenant", "initech")
    client = MemoryClient(service.url, key, retries=0)
    client.add("a note", user_id="u", infer=False)
    forged = key[:-2] + ("AA" if not key.endswith("AA") else "BB")
    with pytest.raises(AuthenticationError, match="invalid API key"):
        MemoryClient(service.url, forged, retries=0).get_all(user_id="u")
    memory_cli(service.data_dir, "keys", "revoke", key_id)
    with pytest.raises(AuthenticationError, match="revoked"):
        client.get_all(user_id="u")
    assert httpx.get(f"{service.url}/v1/memories", params={"user_id": "u"}).status_code == 401


def test_health_readiness_and_docs(service) -> None:
    assert httpx.get(f"{service.url}/health").json() == {"status": "ok"}
    assert httpx.get(f"{service.url}/ready").json()["status"] == "ready"
    assert httpx.get(f"{service.url}/docs").status_code == 200
    paths = httpx.get(f"{service.url}/openapi.json").json()["paths"]
    assert {"/v1/memories", "/v1/memories/search", "/v1/ingest", "/v1/import", "/v1/export"} <= set(paths)


def test_agent_ids_are_namespaced_by_tenant(service, acme: MemoryClient) -> None:
    acme.add("Order 1234 arrived broken.", user_id="cy", agent_id="help-bot", infer=False)
    (mine,) = acme.get_all(user_id="cy", agent_id="help-bot")
    # Stored under the tenant's own agent id; the caller's own ids come back.
    assert mine.agent_id == "help-bot" and mine.user_id == "cy"
    hits = acme.search("order broken", user_id="cy", agent_id="help-bot")
    assert [h.memory.agent_id for h in hits] == ["help-bot"]


def test_pending_answers_and_undo_over_http(service, acme: MemoryClient) -> None:
    from memory.errors import UndoError

    acme.add("I love pottery classes.", user_id="pia")
    acme.add("I sell my pottery at the market.", user_id="pia")  # two facts it could end: asked
    asked = acme.add("I'm not into pottery anymore.", user_id="pia")
    (question,) = acme.pending("pia")
    assert question.user_id == "pia" and "pottery" in question.question.lower()
    assert [p.id for p in asked.pending] == [question.id]
    result = acme.apply(question.id, "apply", user_id="pia")
    assert [op.event for op in result.changed()] == [Event.DELETE]
    assert acme.pending("pia") == []
    current = [m.text for m in acme.get_all(user_id="pia", types=[MemoryType.SEMANTIC])]
    assert current == ["User sells their pottery at the market."]
    undone = acme.undo(result.changed()[0].id, user_id="pia")
    assert undone and "User loves pottery classes." in [
        m.text for m in acme.get_all(user_id="pia", types=[MemoryType.SEMANTIC])
    ]
    with pytest.raises(UndoError):
        acme.undo(result.changed()[0].id, user_id="pia")  # already undone: refused in words
