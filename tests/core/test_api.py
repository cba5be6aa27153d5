"""Round trip of every public method on real stores."""

from __future__ import annotations

import pytest

from memory import Event, MemoryType
from memory.errors import InvalidInputError, NotFoundError


def test_add_search_get_update_delete_history(memory):
    result = memory.add("My name is Dana and I live in Lisbon.", user_id="dana", session_id="s1")
    added = [op for op in result.operations if op.event == Event.ADD]
    assert {op.type for op in added} == {MemoryType.EPISODIC, MemoryType.SEMANTIC}
    assert any(op.new_text == "User lives in Lisbon." for op in added)

    hits = memory.search("Where do I live?", user_id="dana", limit=5)
    assert hits and "Lisbon" in hits[0].text
    assert hits[0].memory.type == MemoryType.SEMANTIC  # the fact outranks the raw turn
    assert 0 < hits[0].similarity <= 1

    fact_id = next(op.memory_id for op in added if op.new_text == "User lives in Lisbon.")
    item = memory.get(fact_id, user_id="dana")
    assert item.source.kind == "chat" and item.source.session_id == "s1" and item.source.turn_id

    memory.update(fact_id, "User lives in Porto.", user_id="dana")
    assert memory.get(fact_id, user_id="dana").text == "User lives in Porto."
    memory.delete(fact_id, user_id="dana")
    with pytest.raises(NotFoundError):
        memory.get(fact_id, user_id="dana")
    events = [(h.event, h.old_text, h.new_text) for h in memory.history(fact_id, user_id="dana")]
    # Forgotten: the rows stay as tombstones (event and time); their text is gone.
    assert events == [(Event.ADD, None, None), (Event.UPDATE, None, None), (Event.DELETE, None, None)]


def test_get_all_filters_by_type_and_session(memory):
    memory.add("I love jazz.", user_id="u", session_id="a")
    memory.add("Always answer briefly.", user_id="u", session_id="b")
    assert [m.text for m in memory.get_all(user_id="u", types=[MemoryType.PROCEDURAL])] == [
        "Always answer briefly."
    ]
    assert {m.session_id for m in memory.get_all(user_id="u", session_id="a")} == {"a"}
    assert memory.get_all(user_id="u", limit=1)[0].text == "Always answer briefly."  # newest first


def test_export_import_into_fresh_store_gives_same_memories(make_memory):
    src = make_memory("src")
    src.add("I work at Initech. My dog is named Bolt.", user_id="peter", session_id="s")
    src.add("From now on never use emojis.", user_id="peter")
    dump = src.export(user_id="peter")
    dst = make_memory("dst")
    assert dst.import_(dump, user_id="peter") == len(dump["memories"])
    key = lambda m: (m.id, m.text, m.type, m.source, m.slot, m.created_at)  # noqa: E731
    assert sorted(map(key, dst.get_all(user_id="peter"))) == sorted(map(key, src.get_all(user_id="peter")))
    assert dst.search("dog's name", user_id="peter", limit=1)[0].text == "User's dog is named Bolt."


def test_import_never_takes_another_users_ids(memory):
    memory.add("I live in Oslo.", user_id="a")
    dump = memory.export(user_id="a")
    memory.import_(dump, user_id="b")
    a_ids = {m.id for m in memory.get_all(user_id="a")}
    b_items = memory.get_all(user_id="b")
    assert len(b_items) == len(a_ids) and not a_ids & {m.id for m in b_items}
    assert {m.text for m in memory.get_all(user_id="a")} == {m.text for m in b_items}


def test_delete_all_and_get_all_handle_more_than_a_thousand(memory):
    from memory import MemoryInput

    memory.add_batch([MemoryInput(text=f"note number {i}") for i in range(1300)], user_id="bulk")
    memory.add("I live in Rome.", user_id="other")
    assert len(memory.get_all(user_id="bulk")) == 1300
    assert memory.delete_all(user_id="bulk") == 1300
    assert memory.get_all(user_id="bulk") == []
    assert [m.text for m in memory.get_all(user_id="other", types=[MemoryType.SEMANTIC])] == [
        "User lives in Rome."
    ]


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.add("", user_id="u"),
        lambda m: m.add("   ", user_id="u"),
        lambda m: m.add("x" * 1_000_000, user_id="u"),
        lambda m: m.add("hello", user_id=""),
        lambda m: m.add("hello", user_id=None),
        lambda m: m.add([], user_id="u"),
        lambda m: m.add([{"role": "robot", "content": "hi"}], user_id="u"),
        lambda m: m.search("", user_id="u"),
        lambda m: m.search("x", user_id="u", limit=0),
        lambda m: m.search("x", user_id="u", filters={"user_id": "other"}),
        lambda m: m.get("not-an-id", user_id="u"),
        lambda m: m.update("../../etc", "x", user_id="u"),
        lambda m: m.import_({"nope": 1}, user_id="u"),
    ],
)
def test_bad_input_raises_library_errors(memory, call):
    with pytest.raises(InvalidInputError) as err:
        call(memory)
    assert str(err.value)  # a message a user can read


def test_unknown_user_and_unknown_id(memory):
    assert memory.get_all(user_id="nobody") == []
    assert memory.search("anything", user_id="nobody") == []
    with pytest.raises(NotFoundError):
        memory.get("00000000-0000-0000-0000-000000000000", user_id="nobody")
    with pytest.raises(NotFoundError):
        memory.history("00000000-0000-0000-0000-000000000000", user_id="nobody")


def test_giant_message_rejected_with_size_in_words(memory):
    with pytest.raises(InvalidInputError, match="limit"):
        memory.add("word " * 100_000, user_id="u")
    assert memory.get_all(user_id="u") == []


def test_chat_transcripts_reopen_per_user_and_go_with_delete_all(memory):
    memory.log_conversation(
        [{"role": "user", "content": "Hi, I'm Ann."}, {"role": "assistant", "content": "Hello Ann!"}],
        user_id="ann",
        session_id="s1",
    )
    memory.log_conversation([{"role": "user", "content": "Plan my week."}], user_id="ann", session_id="s2")
    memory.log_conversation([{"role": "user", "content": "Secret of Bob."}], user_id="bob", session_id="s1")
    assert [(s.session_id, s.title, s.messages) for s in memory.sessions(user_id="ann")] == [
        ("s2", "Plan my week.", 1),
        ("s1", "Hi, I'm Ann.", 2),
    ]
    assert [(r, c) for r, c, _ in memory.transcript("s1", user_id="ann")] == [
        ("user", "Hi, I'm Ann."),
        ("assistant", "Hello Ann!"),
    ]
    assert [c for _, c, _ in memory.transcript("s1", user_id="bob")] == ["Secret of Bob."]
    memory.delete_all(user_id="ann")
    assert memory.sessions(user_id="ann") == [] and len(memory.sessions(user_id="bob")) == 1


@pytest.mark.parametrize("provider", ["edge", "qdrant"])
def test_get_all_pages_newest_first(make_memory, provider):
    from datetime import UTC, datetime, timedelta

    from memory import MemoryInput

    mem = make_memory(provider, vector_store={"provider": provider})
    start = datetime(2026, 1, 1, tzinfo=UTC)
    entries = [MemoryInput(text=f"note {i}", occurred_at=start + timedelta(days=i)) for i in range(30)]
    for entry in entries:  # one at a time, so creation order is known
        mem.add_batch([entry], user_id="pat")
    everything = [i.text for i in mem.get_all(user_id="pat")]
    assert everything == [f"note {i}" for i in reversed(range(30))]
    pages = [[i.text for i in mem.get_all(user_id="pat", limit=7, offset=o)] for o in range(0, 35, 7)]
    assert sum(pages, []) == everything and pages[0][0] == "note 29"
