"""A keyword index built by an older version is rebuilt, on real stores: facts stored before a fact's kind
carried the words it is asked with ("what do I eat?" for "User is vegan.") are found by them after an
upgrade, without the user writing them again, and nothing else about them changes."""

from __future__ import annotations

import pytest

from memory.stores import payload
from memory.types import MemoryType

PROVIDERS = [{}, {"vector_store": {"provider": "qdrant"}}]  # embedded Qdrant Edge; Qdrant's local mode


def _stored_by_an_older_version(make_memory, monkeypatch, overrides):
    """A data directory written by a version whose keyword index had no ask-words (recipe 1)."""
    with monkeypatch.context() as old:
        old.setattr(payload, "INDEX_RECIPE", 1)
        old.setattr(payload, "ASKED_WITH", {})
        before = make_memory(**overrides)
        before.add("I'm vegan.", user_id="u")
        before.add("I work at Globex.", user_id="u")
        before.add("what should I cook for dinner tonight?", user_id="u")
        before.add("I'm vegetarian.", user_id="someone else")
        found = [h.memory.text for h in before.search("what do I eat?", user_id="u", limit=3)]
        before.close()
    return found


@pytest.mark.parametrize("overrides", PROVIDERS)
def test_an_older_keyword_index_is_rebuilt_on_the_first_search(make_memory, monkeypatch, overrides):
    old_hits = _stored_by_an_older_version(make_memory, monkeypatch, overrides)
    assert "User is vegan." not in old_hits  # the old index alone does not find it

    memory = make_memory(**overrides)  # the same data directory, this version
    facts_before = sorted((m.id, m.text, m.created_at) for m in memory.get_all(user_id="u"))
    hits = memory.search("what do I eat?", user_id="u", limit=3)
    assert hits[0].memory.text == "User is vegan."
    assert sorted((m.id, m.text, m.created_at) for m in memory.get_all(user_id="u")) == facts_before
    assert memory.reindex(user_id="u") == 0  # already done by the search
    # another user's memories are rebuilt only when their owner is searched, never through this one
    assert memory.reindex(user_id="someone else") == 2  # their fact and their chat turn


def test_reindex_rewrites_past_memories_too_and_keeps_them_past(make_memory, monkeypatch):
    with monkeypatch.context() as old:
        old.setattr(payload, "INDEX_RECIPE", 1)
        old.setattr(payload, "ASKED_WITH", {})
        before = make_memory()
        before.add("I'm vegetarian.", user_id="u")
        before.add("I'm vegan now.", user_id="u")
        before.close()
    memory = make_memory()
    assert memory.reindex(user_id="u") == 4  # two facts (one past) and two chat turns
    current = [m.text for m in memory.get_all(user_id="u", types=[MemoryType.SEMANTIC])]
    assert current == ["User is vegan."]
    past = memory.search("what did I use to eat?", user_id="u", limit=5, include_past=True)
    assert any(h.memory.text == "User is vegetarian." and h.memory.valid_to is not None for h in past)
