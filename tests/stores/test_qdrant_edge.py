"""The embedded Qdrant Edge store keeps payloads it read between reads; no read may see a stale one."""

from __future__ import annotations

from memory.stores.base import ScopeFilter
from memory.stores.qdrant_edge import _Payloads


def _texts(mem, user="ana"):
    return sorted(m.text for m in mem.get_all(user_id=user))


def test_a_write_through_another_object_on_the_same_directory_is_seen_at_once(make_memory):
    first = make_memory("shared")
    second = make_memory("shared")  # the same shard, opened twice in one process
    mid = first.add("I love hiking in the Alps.", user_id="ana", infer=False).operations[0].memory_id
    assert first.get(mid, user_id="ana").text == "I love hiking in the Alps."  # now decoded and kept
    second.update(mid, "I love climbing in the Dolomites.", user_id="ana")
    assert first.get(mid, user_id="ana").text == "I love climbing in the Dolomites."
    assert first.search("Dolomites", user_id="ana")[0].memory.text == "I love climbing in the Dolomites."
    second.delete(mid, user_id="ana")
    assert first.search("Dolomites", user_id="ana") == []
    assert _texts(first) == []


def test_a_caller_changing_what_it_read_changes_nothing_stored(memory):
    added = memory.add("My cat is called Miso.", user_id="ana", infer=False, metadata={"tags": ["pets"]})
    mid = added.operations[0].memory_id
    got = memory.get(mid, user_id="ana")
    got.text = "changed by the caller"
    got.metadata["note"] = "changed"
    got.metadata["tags"].append("changed")
    again = memory.get(mid, user_id="ana")
    assert again.text == "My cat is called Miso."
    assert "note" not in again.metadata
    assert again.metadata["tags"] == ["pets"]


def test_delete_all_leaves_nothing_decoded_and_other_users_keep_theirs(memory):
    memory.add("I play the cello.", user_id="ana", infer=False)
    memory.add("I play the oboe.", user_id="ben", infer=False)
    assert memory.search("cello", user_id="ana")
    assert memory.search("oboe", user_id="ben")
    memory.delete_all(user_id="ana")
    assert memory.search("cello", user_id="ana") == []
    assert [h.memory.text for h in memory.search("oboe", user_id="ben")][:1] == ["I play the oboe."]


def test_decoded_items_are_still_scope_checked(memory):
    mid = memory.add("I keep bees.", user_id="ana", infer=False).operations[0].memory_id
    assert memory._vectors.get([mid], ScopeFilter(user_id="ana"))  # decoded and kept
    assert memory._vectors.get([mid], ScopeFilter(user_id="ben")) == []


def test_a_read_that_began_before_a_write_does_not_keep_what_it_read():
    kept = _Payloads()
    _, began = kept.lookup(["a"])
    kept.drop(["a"])  # a write lands while the read is still in the engine
    kept.keep({"a": {"text": "old"}}, began)
    assert kept.lookup(["a"])[0] == {}
    _, now = kept.lookup(["a"])
    kept.keep({"a": {"text": "new"}}, now)
    assert kept.lookup(["a"])[0] == {"a": {"text": "new"}}


def test_the_least_recently_used_payloads_go_first_when_full():
    kept = _Payloads(size=2)
    _, gen = kept.lookup([])
    kept.keep({"a": {}, "b": {}}, gen)
    kept.lookup(["a"])  # used: "b" is now the oldest
    kept.keep({"c": {}}, gen)
    assert set(kept.lookup(["a", "b", "c"])[0]) == {"a", "c"}
    kept.drop()
    assert kept.lookup(["a", "c"])[0] == {}


def test_an_id_in_another_spelling_is_read_from_the_engine(memory):
    mid = memory.add("I keep bees.", user_id="ana", infer=False).operations[0].memory_id
    assert [i.text for i in memory._vectors.get([mid.upper()], ScopeFilter(user_id="ana"))] == [
        "I keep bees."
    ]
