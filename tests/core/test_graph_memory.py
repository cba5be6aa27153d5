"""Graph memory through the Memory API: temporal edges on UPDATE, past questions, isolation, forget."""

from __future__ import annotations

from memory import MemoryType


def test_moves_and_job_change_keep_the_past_in_the_graph(memory):
    memory.add("I live in Boston.", user_id="kim")
    memory.add("I moved to Denver.", user_id="kim")
    memory.add("I moved to Austin.", user_id="kim")
    memory.add("I work at Acme.", user_id="kim")
    memory.add("I started working at Globex.", user_id="kim")

    edges = memory.graph.edges("kim", include_past=True)
    lives = [e for e in edges if e.relation == "lives_in"]
    assert [e.object for e in lives if e.current] == ["Austin"]
    past = {e.object: e for e in lives if not e.current}
    assert set(past) == {"Boston", "Denver"} and all(e.valid_to for e in past.values())
    assert [e.object for e in edges if e.relation == "works_at" and e.current] == ["Globex"]

    hits = memory.search("Where did I live before Austin?", user_id="kim", limit=5)
    via_graph = [e for h in hits for e in h.graph]
    assert {"Boston", "Denver"} <= {e.object for e in via_graph if not e.current}
    assert any("past" in e.label() for e in via_graph)
    # Only one current fact about the city.
    cities = [m.text for m in memory.get_all(user_id="kim", types=[MemoryType.SEMANTIC]) if "lives" in m.text]
    assert cities == ["User lives in Austin."]


def test_graph_is_per_user_and_forgotten_on_delete_all(memory):
    memory.add("I live in Boston.", user_id="a")
    memory.add("I live in Boston.", user_id="b")
    memory.delete_all(user_id="a")
    assert memory.graph.edges("a") == []
    assert [e.object for e in memory.graph.edges("b")] == ["Boston"]


def test_explicit_delete_removes_the_edge_for_good(memory):
    memory.add("My dog is named Rex.", user_id="u")
    fact = next(m for m in memory.get_all(user_id="u") if m.type == MemoryType.SEMANTIC)
    assert memory.graph.edges("u")
    memory.delete(fact.id, user_id="u")
    assert memory.graph.edges("u", include_past=True) == []


def test_search_without_graph_has_no_relations(memory):
    memory.add("I live in Boston.", user_id="u")
    memory.add("I moved to Denver.", user_id="u")
    assert all(not h.graph for h in memory.search("Where did I live before?", user_id="u", graph=False))
