"""No call with one user_id ever returns, updates or deletes another user's memory, on both stores."""

from __future__ import annotations

import random

import pytest

from memory import MemoryType
from memory.errors import NotFoundError
from memory.stores.base import ScopeFilter

USERS = ["alice", "bob", "carol"]
AGENTS = [None, "support", "coach"]
FACTS = ["I live in {c}.", "I love {c}.", "I work at {c}.", "My dog is named {c}.", "Always answer in {c}."]
WORDS = ["Oslo", "Lima", "Kyoto", "Quito", "Perth", "Rabat", "Hanoi", "Accra"]


@pytest.fixture(params=["edge", "qdrant"])
def store_memory(request, make_memory):
    return make_memory(vector_store={"provider": request.param})


def test_randomised_operations_never_cross_users(store_memory):
    mem = store_memory
    rng = random.Random(1234)
    owner: dict[str, str] = {}
    for _ in range(60):
        user, agent = rng.choice(USERS), rng.choice(AGENTS)
        text = rng.choice(FACTS).format(c=rng.choice(WORDS)) + f" ({user})"
        for op in mem.add(text, user_id=user, agent_id=agent).operations:
            if op.memory_id:
                owner.setdefault(op.memory_id, user)
    live = {m.id: u for u in USERS for m in mem.get_all(user_id=u)}
    assert set(live) <= set(owner) and all(owner[i] == u for i, u in live.items())
    for user in USERS:
        mine = {m.id for m in mem.get_all(user_id=user)}
        assert mine and all(owner[i] == user for i in mine)
        for query in ["where do I live", "Oslo", "dog", "answer", *(f"({u})" for u in USERS)]:
            for hit in mem.search(query, user_id=user, limit=20):
                assert hit.memory.user_id == user and owner[hit.id] == user
        for agent in AGENTS[1:]:
            assert all(
                m.agent_id == agent and m.user_id == user for m in mem.get_all(user_id=user, agent_id=agent)
            )
        # Try every id of other users with every write and read call.
        for other_id in rng.sample([i for i in live if live[i] != user], 10):
            before = mem.get(other_id, user_id=owner[other_id]).text
            for call in (
                lambda i=other_id, u=user: mem.get(i, user_id=u),
                lambda i=other_id, u=user: mem.update(i, "hijacked", user_id=u),
                lambda i=other_id, u=user: mem.delete(i, user_id=u),
                lambda i=other_id, u=user: mem.history(i, user_id=u),
            ):
                with pytest.raises(NotFoundError):
                    call()
            assert mem.get(other_id, user_id=owner[other_id]).text == before


def test_delete_all_touches_one_user_only(store_memory):
    mem = store_memory
    for user in USERS:
        mem.add(f"I live in Paris and I am {user}.", user_id=user)
    counts = {u: len(mem.get_all(user_id=u)) for u in USERS}
    assert mem.delete_all(user_id="bob") == counts["bob"]
    assert mem.get_all(user_id="bob") == []
    assert {u: len(mem.get_all(user_id=u)) for u in ("alice", "carol")} == {
        "alice": counts["alice"],
        "carol": counts["carol"],
    }


def test_agent_scoped_delete_all_keeps_other_agents(store_memory):
    mem = store_memory
    mem.add("Always greet me in Spanish.", user_id="u", agent_id="coach")
    mem.add("Always greet me in German.", user_id="u", agent_id="support")
    mem.delete_all(user_id="u", agent_id="coach")
    rules = mem.get_all(user_id="u", types=[MemoryType.PROCEDURAL])
    assert [r.text for r in rules] == ["Always greet me in German."]


def test_filters_cannot_widen_scope(memory):
    memory.add("I live in Oslo.", user_id="a")
    memory.add("I live in Lima.", user_id="b")
    hits = memory.search("live", user_id="a", filters={"source_kind": "chat"})
    assert hits and {h.memory.user_id for h in hits} == {"a"}


def keyword_ranking(mem, user: str, query: str) -> list[str]:
    return [h.text for h in mem.search(query, user_id=user, settings="keyword", limit=5)]


def test_keyword_weights_come_from_the_users_own_memories_on_both_stores(make_memory):
    """Another user's many mentions of a word must not make it common (low IDF) for this user: the
    server store weighs keywords per user exactly like the embedded engine does."""
    notes = {
        "noisy": [f"Pizza night number {i} with pizza friends." for i in range(40)],
        "quiet": ["I had pizza once in Naples.", "Tennis on Sunday with Ana.", "Tennis and pizza in Rome."],
    }
    rankings = {}
    for provider in ("edge", "qdrant"):
        mem = make_memory(provider, vector_store={"provider": provider})
        for user, texts in notes.items():
            for text in texts:
                mem.add(text, user_id=user, infer=False)
        rankings[provider] = keyword_ranking(mem, "quiet", "pizza tennis")
        # Writes after the first search count too: a new memory and a forgotten one.
        mem.add("Pizza tennis tournament at the club.", user_id="quiet", infer=False)
        first = mem.get_all(user_id="quiet")[-1]
        mem.delete(first.id, user_id="quiet")
        rankings[provider + " after writes"] = keyword_ranking(mem, "quiet", "pizza tennis")
    assert rankings["edge"] == rankings["qdrant"]
    assert rankings["edge after writes"] == rankings["qdrant after writes"]
    assert rankings["edge"][0] == "Tennis and pizza in Rome."


def test_keyword_scores_stay_the_same_when_another_user_moves_into_the_store(make_memory):
    """A user's raw keyword scores come from their own memories' word counts: another user's memories
    arriving, then being deleted, move none of them (the engine's whole-store counts still include
    deleted points, so they are never a shortcut for a user alone in a store)."""
    mem = make_memory("edge", vector_store={"provider": "edge"})
    for text in ["I had pizza once in Naples.", "Tennis on Sunday with Ana.", "Tennis and pizza in Rome."]:
        mem.add(text, user_id="quiet", infer=False)
    scope = ScopeFilter(user_id="quiet")

    def scores() -> list[tuple[str, float]]:
        _, keyword = mem._vectors.search(None, "pizza tennis naples", scope, 10)
        return sorted((h.id, round(h.score, 5)) for h in keyword)

    alone = scores()
    for i in range(40):
        mem.add(f"Pizza night number {i} in Naples with pizza friends.", user_id="noisy", infer=False)
    assert scores() == alone
    mem.delete_all(user_id="noisy")
    assert scores() == alone
