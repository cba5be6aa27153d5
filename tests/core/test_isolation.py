"""No call with one user_id ever returns, updates or deletes another user's memory, on both stores."""

from __future__ import annotations

import random

import pytest

from memory import MemoryType
from memory.errors import NotFoundError

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
