"""KuzuGraphStore against a real database in tmp_path, on both engines (Kuzu 0.11.3 and its fork
LadybugDB): temporal edges, isolation, resolution, locking."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from memory.errors import InvalidInputError, StoreError
from memory.retrieval_graph import asks_about_past, graph_hits_to_memory_ids
from memory.stores.base import GraphStore
from memory.stores.graph_kuzu import KuzuGraphStore
from memory.types import Relation
from ui.graph_dot import render_dot

T1 = datetime(2021, 3, 1, tzinfo=UTC)
T2 = datetime(2022, 6, 1, tzinfo=UTC)
T3 = datetime(2024, 1, 15, tzinfo=UTC)
REPO_ROOT = Path(__file__).resolve().parents[2]


def rel(subject: str, relation: str, obj: str) -> Relation:
    return Relation(subject=subject, relation=relation, object=obj)


# One process can load only one graph engine (their native modules clash), so the module runs on
# kuzu here and once more on ladybug in a child process (test_the_module_passes_on_the_other_engine).
ENGINE = os.environ.get("MEMORY_TEST_GRAPH_ENGINE", "kuzu")
OTHER_ENGINE = {"kuzu": "ladybug", "ladybug": "kuzu"}[ENGINE]


@pytest.fixture(params=[ENGINE])
def engine(request) -> str:
    """The graph engine every store test of this process runs on."""
    return request.param


@pytest.fixture
def store(tmp_path: Path, engine: str):
    graph = KuzuGraphStore(tmp_path / "graph", engine=engine)
    yield graph
    graph.close()


@pytest.fixture(scope="module")
def embed(embedder):
    """The packaged MiniLM (loaded once per session by tests/conftest.py) as a plain function."""
    return embedder.embed


def mover(store: KuzuGraphStore, user: str = "alice") -> None:
    """Boston (m1) -> Denver (m2) -> Austin (m3); Acme (m1) -> Globex (m4)."""
    store.add_relations(user, "m1", [rel("user", "lives_in", "Boston"), rel("user", "works_at", "Acme")], T1)
    store.close_relations(user, "m1", T2)
    store.add_relations(user, "m2", [rel("user", "lives_in", "Denver")], T2)
    store.add_relations(user, "m3", [rel("user", "lives_in", "Austin")], T3)
    store.add_relations(user, "m4", [rel("user", "works_at", "Globex")], T3)


def test_is_a_graph_store(store: KuzuGraphStore) -> None:
    assert isinstance(store, KuzuGraphStore)
    graph: GraphStore = store
    assert graph.edges("nobody") == []


def test_the_newest_edges_and_the_count_for_a_large_graph(store: KuzuGraphStore) -> None:
    mover(store)
    store.add_relations("bob", "b1", [rel("user", "lives_in", "Oslo")], T3)
    newest = store.edges("alice", limit=2)
    assert [(e.object, e.valid_from) for e in newest] == [("Austin", T3), ("Globex", T3)]  # oldest first
    assert [e.object for e in store.edges("alice", include_past=False, limit=1)] == ["Globex"]
    assert store.edges("alice", limit=50) == store.edges("alice")
    assert (store.count_edges("alice"), store.count_edges("alice", include_past=False)) == (5, 2)
    assert store.count_edges("nobody") == 0
    named = store.entities("alice", names=["Austin", "Globex", "Oslo"])  # Oslo is bob's
    assert (
        sorted(e["name"] for e in named) == ["Austin", "Globex"] and store.entities("alice", names=[]) == []
    )
    with pytest.raises(InvalidInputError):
        store.edges("alice", limit=0)


def test_moves_and_job_change_keep_history(store: KuzuGraphStore) -> None:
    mover(store)

    current = store.edges("alice", include_past=False)
    assert sorted((e.relation, e.object) for e in current) == [("lives_in", "Austin"), ("works_at", "Globex")]
    assert all(e.valid_to is None and e.current for e in current)

    past = {e.object: e for e in store.edges("alice") if not e.current}
    assert set(past) == {"Boston", "Denver", "Acme"}
    assert (past["Boston"].valid_from, past["Boston"].valid_to) == (T1, T2)
    assert (past["Denver"].valid_from, past["Denver"].valid_to) == (T2, T3)  # closed by the functional rule
    assert past["Acme"].valid_to == T2

    now = store.neighbours("alice", ["user"])
    assert {e.object for e in now} == {"Austin", "Globex"}
    everything = store.neighbours("alice", ["user"], include_past=True)
    lived = {e.object: (e.valid_from, e.valid_to) for e in everything if e.relation == "lives_in"}
    assert lived == {"Boston": (T1, T2), "Denver": (T2, T3), "Austin": (T3, None)}
    assert asks_about_past("where did I live before?")
    assert not asks_about_past("where do I live?")

    ids = graph_hits_to_memory_ids(everything, names=["Austin"])
    assert ids[0] == "m3" and set(ids) == {"m1", "m2", "m3", "m4"}
    assert ids.index("m4") < ids.index("m2")  # current before past


def test_restated_fact_and_update_with_same_memory_id(store: KuzuGraphStore) -> None:
    store.add_relations("u", "m1", [rel("user", "lives_in", "Boston")], T1)
    store.add_relations("u", "m1", [rel("user", "lives_in", "Boston")], T1)
    assert len(store.edges("u")) == 1
    # An UPDATE keeps the memory id: its old edges close, the new text's edges are current.
    store.close_relations("u", "m1", T2)
    store.add_relations("u", "m1", [rel("user", "lives_in", "Boston")], T2)
    edges = store.edges("u")
    assert [(e.valid_from, e.valid_to) for e in edges] == [(T1, T2), (T2, None)]


def test_older_fact_added_late_is_stored_closed(store: KuzuGraphStore) -> None:
    store.add_relations("u", "m2", [rel("user", "lives_in", "Denver")], T2)
    store.add_relations("u", "m1", [rel("user", "lives_in", "Boston")], T1)
    by_city = {e.object: e for e in store.edges("u")}
    assert by_city["Denver"].current
    assert by_city["Boston"].valid_to == T2


def test_non_functional_relations_accumulate(store: KuzuGraphStore) -> None:
    store.add_relations("u", "m1", [rel("user", "likes", "jazz")], T1)
    store.add_relations("u", "m2", [rel("user", "likes", "hiking")], T2)
    store.add_relations("u", "m3", [rel("user", "favourite_colour", "green")], T1)
    store.add_relations("u", "m4", [rel("user", "favourite colour", "blue")], T2)
    current = {(e.relation, e.object) for e in store.edges("u", include_past=False)}
    assert current == {("likes", "jazz"), ("likes", "hiking"), ("favourite_colour", "blue")}


def test_two_hops_and_past_filter(store: KuzuGraphStore) -> None:
    store.add_relations("u", "m1", [rel("user", "works_at", "Acme")], T1)
    store.add_relations("u", "m2", [rel("Acme", "located_in", "Berlin")], T1)
    store.add_relations("u", "m3", [rel("Berlin", "part_of", "Germany")], T1)
    one = store.neighbours("u", ["user"], hops=1)
    two = store.neighbours("u", ["user"], hops=2)
    assert {e.object for e in one} == {"Acme"}
    assert {e.object for e in two} == {"Acme", "Berlin"}
    assert two[0].object == "Acme"  # nearer hop first
    store.close_relations("u", "m2", T2)
    assert {e.object for e in store.neighbours("u", ["user"], hops=2)} == {"Acme"}
    assert store.neighbours("u", ["nobody at all"]) == []
    with pytest.raises(InvalidInputError):
        store.neighbours("u", ["user"], hops=3)


def test_users_are_isolated(tmp_path: Path, engine: str) -> None:
    rng = random.Random(7)
    users = [f"user-{i}" for i in range(5)]
    cities = ["Boston", "Denver", "Austin", "Paris", "Lagos"]
    expected: dict[str, set[tuple[str, str, str]]] = {}
    with KuzuGraphStore(tmp_path / "graph", engine=engine) as store:
        for user in users:
            picks = rng.sample(cities, 3)
            triples = [("user", "visited", c) for c in picks] + [("Acme", "based_in", picks[0])]
            for i, (s, r, o) in enumerate(triples):
                store.add_relations(user, f"{user}-m{i}", [rel(s, r, o)], T1)
            expected[user] = set(triples)

        for user in users:
            assert {(e.subject, e.relation, e.object) for e in store.edges(user)} == expected[user]
            assert all(e.memory_id.startswith(f"{user}-") for e in store.neighbours(user, ["Acme"], hops=2))
            mentioned = store.find_entities(user, "Acme in Boston, Denver, Austin, Paris or Lagos?")
            assert set(mentioned) == {o for _, _, o in expected[user]} | {"Acme"}
            assert {e["name"] for e in store.entities(user)} == {"user", "Acme"} | {
                o for _, _, o in expected[user]
            }

        victim = rng.choice(users)
        store.delete_user(victim)
        assert store.edges(victim) == [] and store.entities(victim) == []
        for user in users:
            if user != victim:
                assert {(e.subject, e.relation, e.object) for e in store.edges(user)} == expected[user]
                assert store.find_entities(user, "Acme") == ["Acme"]
        with pytest.raises(InvalidInputError):
            store.edges("")


def test_normalisation_merges_articles_case_and_punctuation(store: KuzuGraphStore) -> None:
    store.add_relations("u", "m1", [rel("I", "works_at", "the Acme corp")], T1)
    store.add_relations("u", "m2", [rel("user", "likes", "Acme Corp.")], T2)
    store.add_relations("u", "m3", [rel("me", "likes", "  ACME   corp ")], T2)
    entities = {e["name"]: e for e in store.entities("u")}
    assert set(entities) == {"user", "the Acme corp"}
    assert entities["the Acme corp"]["degree"] == 3
    assert entities["user"]["type"] == "self"
    assert len(store.neighbours("u", ["acme corp"])) == 3


def test_embedding_merges_near_names_only(tmp_path: Path, embed, engine: str) -> None:
    with KuzuGraphStore(tmp_path / "graph", embed=embed, engine=engine) as store:
        store.add_relations("u", "m1", [rel("user", "works_at", "Acme Corp")], T1)
        store.add_relations("u", "m2", [rel("Acme Corporation", "based_in", "New York City")], T1)
        store.add_relations("u", "m3", [rel("user", "visited", "NYC")], T2)
        store.add_relations("u", "m4", [rel("user", "visited", "Acme Industries")], T2)
        store.add_relations("other", "m5", [rel("user", "works_at", "Acme Corporation")], T2)

        entities = {e["name"]: e for e in store.entities("u")}
        assert entities["Acme Corp"]["aliases"] == ["Acme Corporation"]
        assert {"NYC", "New York City", "Acme Industries"} <= set(entities)
        assert store.neighbours("u", ["Acme Corporation"])[0].object in {"Acme Corp", "New York City"}
        assert len(store.neighbours("u", ["acme corporation"])) == 2
        assert store.find_entities("u", "what does acme corporation do?") == ["Acme Corp"]
        # Another user's entity never absorbs or is absorbed.
        assert sorted(e["name"] for e in store.entities("other")) == ["Acme Corporation", "user"]


def test_find_entities_exact_alias_and_typo(store: KuzuGraphStore) -> None:
    store.add_relations(
        "u", "m1", [rel("user", "sister", "Margaret Hughes"), rel("user", "lives_in", "Austin")], T1
    )
    store.add_relations("u", "m2", [rel("user", "owns", "my dog Biscuit")], T1)
    assert store.find_entities("u", "How is margaret hughes doing?") == ["Margaret Hughes"]
    assert store.find_entities("u", "Is it hot in Austn today?") == ["Austin"]
    assert store.find_entities("u", "Margret Hughes and dog biscuit") == ["Margaret Hughes", "my dog Biscuit"]
    assert store.find_entities("u", "what about the weather") == []
    assert store.find_entities("u", "") == []
    store.add_relations("u", "m3", [rel("user", "visited", "Boston")], T2)
    assert store.find_entities("u", "boston") == ["Boston"]  # the cache follows writes
    store.add_relations("u", "m4", [rel("user", "booked", "Room 12"), rel("user", "booked", "Room 21")], T2)
    assert store.find_entities("u", "what about room 12?") == ["Room 12"]  # digits are never typos
    assert store.find_entities("u", "was Austin in room 13") == ["Austin"]


INJECTIONS = [
    'Bob"}) MATCH (n) DETACH DELETE n //',
    "O'Brien's \"pub\"",
    "x})-[r:Rel]->(y",
    "MATCH RETURN CREATE DELETE",
    "$name {id: $id}",
    "'; DROP TABLE Entity; --",
    "\\'\\\"",
]


def test_injection_round_trips(store: KuzuGraphStore) -> None:
    store.add_relations("victim", "keep", [rel("user", "lives_in", "Boston")], T1)
    for i, name in enumerate(INJECTIONS):
        store.add_relations("u'}) //", f"m{i}'\"", [rel(name, f"knows_{i}", INJECTIONS[i - 1])], T1)
    edges = store.edges("u'}) //")
    assert {(e.subject, e.object) for e in edges} == {
        (n, INJECTIONS[i - 1]) for i, n in enumerate(INJECTIONS)
    }
    assert {e.memory_id for e in edges} == {f"m{i}'\"" for i in range(len(INJECTIONS))}
    assert {e["name"] for e in store.entities("u'}) //")} == set(INJECTIONS)
    assert {e.relation for e in edges} == {f"knows_{i}" for i in range(len(INJECTIONS))}
    around = store.neighbours("u'}) //", [INJECTIONS[2]])
    assert {(e.subject, e.object) for e in around} == {
        (INJECTIONS[2], INJECTIONS[1]),
        (INJECTIONS[3], INJECTIONS[2]),
    }
    assert store.find_entities("u'}) //", INJECTIONS[3]) == [INJECTIONS[3]]
    store.forget_memory("u'}) //", "m0'\"")
    assert len(store.edges("u'}) //")) == len(INJECTIONS) - 1
    assert [e.object for e in store.edges("victim")] == ["Boston"]


def test_forget_memory_removes_edges_and_orphans(store: KuzuGraphStore) -> None:
    mover(store)
    store.add_relations("bob", "m1", [rel("user", "lives_in", "Boston")], T1)
    store.forget_memory("alice", "m1")
    alice = store.edges("alice")
    assert "m1" not in {e.memory_id for e in alice}
    assert {e["name"] for e in store.entities("alice")} == {"user", "Denver", "Austin", "Globex"}
    assert store.find_entities("alice", "Boston or Acme") == []
    assert [e.object for e in store.edges("bob")] == ["Boston"]  # same memory id, other user: untouched
    store.forget_memory("alice", "no-such-memory")
    assert len(store.edges("alice")) == len(alice)


def test_reset_and_reopen(tmp_path: Path, engine: str) -> None:
    store = KuzuGraphStore(tmp_path / "graph", engine=engine)
    mover(store)
    store.close()
    store.close()
    with KuzuGraphStore(tmp_path / "graph", engine=engine) as reopened:
        assert len(reopened.edges("alice")) == 5  # schema creation is idempotent, data survives
        reopened.reset()
        assert reopened.edges("alice") == [] and reopened.entities("alice") == []
    with pytest.raises(StoreError, match="closed"):
        reopened.edges("alice")


def test_same_directory_twice_in_one_process(tmp_path: Path, engine: str) -> None:
    with (
        KuzuGraphStore(tmp_path / "graph", engine=engine) as first,
        KuzuGraphStore(tmp_path / "graph", engine=engine) as second,
    ):
        first.add_relations("u", "m1", [rel("user", "lives_in", "Boston")], T1)
        second.add_relations("u", "m2", [rel("user", "likes", "jazz")], T1)
        assert len(first.edges("u")) == 2 and len(second.edges("u")) == 2


def test_second_process_gets_store_locked_error(tmp_path: Path, engine: str) -> None:
    directory = tmp_path / "graph"
    with KuzuGraphStore(directory, engine=engine) as store:
        mover(store)
        snippet = textwrap.dedent(
            f"""
            from memory.errors import StoreLockedError
            from memory.stores.graph_kuzu import KuzuGraphStore
            try:
                KuzuGraphStore({str(directory)!r}, engine={engine!r})
            except StoreLockedError as exc:
                print("LOCKED:", exc)
            else:
                print("OPENED")
            """
        )
        done = subprocess.run(
            [sys.executable, "-c", snippet], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        assert f"LOCKED: The graph database at {directory} is in use by another process" in done.stdout
        assert "only one app process can open a data directory" in done.stdout
        assert len(store.edges("alice")) == 5
        assert {e.object for e in store.edges("alice", include_past=False)} == {"Austin", "Globex"}


def test_threads_share_one_store(store: KuzuGraphStore) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def work(i: int) -> int:
        store.add_relations(f"t{i % 4}", f"m{i}", [rel("user", "likes", f"thing {i}")], T1 + timedelta(i))
        return len(store.neighbours(f"t{i % 4}", ["user"]))

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(work, range(80)))
    assert sum(len(store.edges(f"t{k}")) for k in range(4)) == 80


def test_asks_about_past() -> None:
    for question in [
        "Where did I live before Austin?",
        "What did I use to do for work?",
        "who was my previous manager",
        "Do I still work at Acme or not anymore?",
        "what was my old job",
        "Did I live in Boston?",
        "in the past, what sports did I play",
    ]:
        assert asks_about_past(question), question
    for question in ["Where do I live?", "What is my job?", "recommend a restaurant in Austin"]:
        assert not asks_about_past(question), question


def test_render_dot(store: KuzuGraphStore) -> None:
    mover(store)
    store.add_relations("alice", "m9", [rel("user", "nickname", 'Al "the pal"')], T3)
    dot = render_dot(store.edges("alice"), store.entities("alice"))
    assert dot.startswith("digraph memory {") and dot.rstrip().endswith("}")
    assert 'label="lives_in\\n2021-03-01 to 2022-06-01", style=dashed' in dot
    assert '[label="lives_in"];' in dot  # current: solid
    assert '"Al \\"the pal\\""' in dot
    assert dot.count("style=dashed") == 3


def test_engine_has_its_own_file_and_refuses_a_second_engine(tmp_path: Path, engine: str) -> None:
    from memory.errors import ConfigError
    from memory.stores.graph_kuzu import ENGINES

    with KuzuGraphStore(tmp_path / "graph", engine=engine) as store:
        mover(store)
    files = {p.name for p in (tmp_path / "graph").iterdir()}
    assert ENGINES[engine][1] in files and ENGINES[OTHER_ENGINE][1] not in files
    with pytest.raises(ConfigError, match=f"already uses the {engine} graph engine"):
        KuzuGraphStore(tmp_path / "other", engine=OTHER_ENGINE)
    with pytest.raises(ConfigError, match="Unknown graph engine 'neo'"):
        KuzuGraphStore(tmp_path / "other", engine="neo")


def test_the_module_passes_on_the_other_engine(tmp_path: Path) -> None:
    """The same tests on the other engine, in a child process (deselecting this test there)."""
    env = {**os.environ, "MEMORY_TEST_GRAPH_ENGINE": OTHER_ENGINE, "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", __file__]
        + ["-k", "not test_the_module_passes_on_the_other_engine", "--basetemp", str(tmp_path / "t")],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and " failed" not in done.stdout


def _around(graph: KuzuGraphStore, user: str, names: list[str], past: bool) -> list[tuple]:
    edges = graph.neighbours(user, names, hops=2, include_past=past)
    return sorted((e.subject, e.relation, e.object, e.memory_id, e.valid_from, e.valid_to) for e in edges)


def test_held_edges_follow_every_write_like_a_fresh_read(tmp_path: Path, engine: str) -> None:
    """Neighbourhoods are served from edges held in memory after the first lookup; after each kind of
    write they equal what a store that never held them reads from the database."""
    warm = KuzuGraphStore(tmp_path / "graph", engine=engine)
    rng = random.Random(7)
    cities, firms = ["Boston", "Denver", "Austin", "Lisbon"], ["Acme", "Globex", "Initech"]
    probes = [["user"], ["Boston"], ["Globex"], ["Rex"], ["user", "Austin"]]
    ops: list[str] = []
    try:
        for step in range(40):
            memory_id = f"m{step % 9}"
            at = T1 + timedelta(days=step)
            kind = rng.choice(["add", "add", "close", "reopen", "forget"])
            ops.append(kind)
            if kind == "add":
                warm.add_relations(
                    "alice",
                    memory_id,
                    [rel("user", "lives_in", rng.choice(cities)), rel("user", "works_at", rng.choice(firms))]
                    + ([rel("user", "has_dog", "Rex")] if step % 5 == 0 else []),
                    at,
                )
                warm.add_relations("bob", memory_id, [rel("user", "lives_in", rng.choice(cities))], at)
            elif kind == "close":
                warm.close_relations("alice", memory_id, at)
            elif kind == "reopen":
                warm.close_relations("alice", memory_id, at)
                warm.reopen_relations("alice", memory_id, at)
            else:
                warm.forget_memory("alice", memory_id)
            for names in probes:  # read (and from the first call, hold) the neighbourhood
                warm.neighbours("alice", names)
            got = {(tuple(n), p): _around(warm, "alice", n, p) for n in probes for p in (False, True)}
            held = warm._adjacency.get("alice")
            warm._invalidate("alice")  # nothing held: the next lookups read the database
            for (names, past), edges in got.items():
                assert edges == _around(warm, "alice", list(names), past), (step, kind, names, past)
                warm._invalidate("alice")
            if held is not None:  # keep updating the edges held since the first lookup
                warm._adjacency["alice"] = held
            bob = {e.object for e in warm.neighbours("bob", ["user"], include_past=True)}
            assert bob <= set(cities) and (bool(bob) or "add" not in ops)
    finally:
        warm.close()
    assert {"add", "close", "reopen", "forget"} <= set(ops)


def test_a_replayed_write_adds_no_second_edge(store: KuzuGraphStore) -> None:
    """The same memory's relations written again (a recovered unit of work, or twice in one batch)
    leave one current edge each; another memory's identical relation is its own edge."""
    same = [rel("user", "likes", "jazz"), rel("user", "plays", "piano")]
    store.add_relations("alice", "m1", same, T1)
    store.add_relations_batch("alice", [("m1", same, T2), ("m1", same, T2), ("m2", same[:1], T2)])
    edges = store.edges("alice")
    assert sorted((e.relation, e.object, e.memory_id) for e in edges) == [
        ("likes", "jazz", "m1"),
        ("likes", "jazz", "m2"),
        ("plays", "piano", "m1"),
    ]
