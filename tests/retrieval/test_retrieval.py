"""Retrieval behaviour on real stores and the real embedder: context indexing, speakers, dates, graph."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
from pydantic import ValidationError

from memory import MemoryConfig
from memory.checks import is_question, speaks_to_other
from memory.config import RetrievalSettings
from memory.memory import MemoryInput
from memory.stores.payload import INDEX_CONTEXT
from memory.types import MemoryType, Relation, Source, SourceKind


def turn(text: str, speaker: str, turn_id: str, context: str = "", at: datetime | None = None) -> MemoryInput:
    return MemoryInput(
        text=f"{speaker}: {text}",
        type=MemoryType.EPISODIC,
        session_id="s1",
        occurred_at=at or datetime(2023, 5, 8, 13, 56),
        metadata={INDEX_CONTEXT: context} if context else {},
        source=Source(kind=SourceKind.CHAT, session_id="s1", turn_id=turn_id, role=speaker),
    )


FILLER = [
    turn("I cooked a big pasta dinner for the family tonight.", "Mel", "f1"),
    turn("The weather has been rainy all week here.", "Cara", "f2"),
    turn("My car needs new tyres before the winter.", "Mel", "f3"),
    turn("I started reading a novel about sailors.", "Cara", "f4"),
]


def test_a_reply_is_found_by_the_words_of_the_turn_it_answers(memory) -> None:
    question = "Cara: Did you finally try the pottery workshop downtown?"
    memory.add_batch(
        [*FILLER, turn("Yes, last Friday! Loved every minute.", "Mel", "r1", context=question)], user_id="u"
    )
    hits = memory.search("pottery workshop", user_id="u", limit=3)
    assert hits[0].memory.source.turn_id == "r1"
    assert hits[0].memory.text == "Mel: Yes, last Friday! Loved every minute."  # context is not the text


def test_without_its_context_the_reply_is_not_found_by_those_words(memory) -> None:
    memory.add_batch([*FILLER, turn("Yes, last Friday! Loved every minute.", "Mel", "r1")], user_id="u")
    hits = memory.search("pottery workshop", user_id="u", limit=3)
    assert "keyword" not in next((h.matched_by for h in hits if h.memory.source.turn_id == "r1"), [])


def test_the_session_date_is_searchable(memory) -> None:
    memory.add_batch(
        [*FILLER, turn("We adopted a puppy.", "Cara", "d1", at=datetime(2022, 10, 3, 9, 0))], user_id="u"
    )
    hits = memory.search("October 2022", user_id="u", limit=2)
    assert hits[0].memory.source.turn_id == "d1"


def test_a_named_speaker_ranks_their_own_turn_first(make_memory) -> None:
    said = "I painted a sunrise over the lake last weekend."
    for name, expected in (("Mel", "m"), ("Cara", "c")):
        mem = make_memory(f"speaker-{name}")
        mem.add_batch([*FILLER, turn(said, "Cara", "c"), turn(said, "Mel", "m")], user_id="u")
        hits = mem.search(f"What did {name} paint?", user_id="u", limit=2)
        assert hits[0].memory.source.turn_id == expected


def test_a_named_speaker_praising_the_other_is_not_boosted_as_their_own_news(make_memory) -> None:
    praise = turn("Wow, Cara, your painting is awesome! What inspired you to paint it?", "Mel", "p")
    own = turn("Here is a horse I painted on the barn wall last month.", "Mel", "h")
    order = {}
    for needs_self in (False, True):
        mem = make_memory(f"self-{needs_self}", retrieval={"speaker_must_speak_of_self": needs_self})
        mem.add_batch([*FILLER, turn("I painted a lake at dawn.", "Cara", "c"), praise, own], user_id="u")
        hits = mem.search("What has Mel painted?", user_id="u", limit=3)
        order[needs_self] = [h.memory.source.turn_id for h in hits]
    assert order[False].index("p") < order[False].index("h")  # the boost alone puts praise first
    assert order[True].index("h") < order[True].index("p")


@pytest.mark.parametrize(
    ("text", "to_other"),
    [
        ("Mel: Wow, Cara, that looks amazing! What gave you the idea to paint it?", True),
        ("Thanks so much! ur the best, see u soon", True),
        ("You know what, I finally finished my horse painting. [image: a photo of you]", False),
        ("We went camping with the kids, you would have loved it.", False),
        ("I'm off to go swimming.", False),
    ],
)
def test_a_turn_speaks_to_the_other_when_it_says_you_more_than_i(text, to_other) -> None:
    assert speaks_to_other(text) is to_other


def test_speakers_seed_no_graph_lookup_but_other_named_entities_do(memory) -> None:
    linked = turn("I met Jonas at the climbing gym.", "Mel", "g1")
    linked = linked.model_copy(
        update={"entities": ["Jonas"], "relations": [Relation(subject="Mel", relation="met", object="Jonas")]}
    )
    memory.add_batch([*FILLER, linked], user_id="u")
    by_speaker = memory.search("What did Mel say?", user_id="u", limit=5)
    assert all("graph" not in h.matched_by for h in by_speaker)
    by_other = memory.search("Who is Jonas?", user_id="u", limit=5)
    assert "graph" in next(h.matched_by for h in by_other if h.memory.source.turn_id == "g1")


def test_presets_and_overrides_come_from_the_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("MEMORY_RETRIEVAL__PRESET", "dense")
    monkeypatch.setenv("MEMORY_RETRIEVAL__SPEAKER_WEIGHT", "1.1")
    settings = MemoryConfig(data_dir=tmp_path).retrieval
    assert (settings.dense_weight, settings.keyword_weight, settings.graph) == (1.0, 0.0, False)
    assert settings.speaker_weight == 1.1
    assert RetrievalSettings(preset="keyword", graph=True).graph is True  # an override beats the preset
    monkeypatch.delenv("MEMORY_RETRIEVAL__PRESET")
    monkeypatch.delenv("MEMORY_RETRIEVAL__SPEAKER_WEIGHT")
    assert MemoryConfig(data_dir=tmp_path).retrieval == RetrievalSettings()  # the measured defaults


@pytest.mark.parametrize("bad", [{"speaker_wieght": 1.2}, {"candidates": 0}, {"preset": "fast"}])
def test_a_wrong_retrieval_setting_is_refused_by_name(tmp_path, bad) -> None:
    with pytest.raises(ValidationError) as info:
        MemoryConfig(data_dir=tmp_path, retrieval=bad)
    assert next(iter(bad)) in str(info.value)


@pytest.mark.parametrize("provider", ["edge", "qdrant"])
def test_feedback_reads_only_the_callers_vectors(make_memory, provider) -> None:
    from memory.stores.base import ScopeFilter

    mem = make_memory(vector_store={"provider": provider})
    ana = mem.add("I grow tomatoes on my balcony.", user_id="ana", infer=False).operations[0].memory_id
    ben = mem.add("I grow tomatoes in my garden.", user_id="ben", infer=False).operations[0].memory_id
    vectors = mem._vectors.dense_vectors([ana, ben, ben.upper()], ScopeFilter(user_id="ana"))
    assert len(vectors) == 1
    assert mem._vectors.dense_vectors([ana.upper(), ben], ScopeFilter(user_id="ben")) != []
    assert len(mem._vectors.dense_vectors([ana.upper()], ScopeFilter(user_id="ben"))) == 0
    own = np.asarray(mem.embedder.embed(["I grow tomatoes on my balcony."])[0])
    assert float(np.dot(vectors[0], own)) > 0.999
    hits = mem.search("tomatoes", user_id="ana", settings=RetrievalSettings(feedback_hits=3))
    assert [h.memory.id for h in hits] == [ana]


def test_feedback_moves_the_query_toward_the_best_hits() -> None:
    from memory.retrieval import _expanded

    query, hit = [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]
    moved = _expanded(query, [hit], 1.0)
    assert moved is not None and abs(float(np.linalg.norm(moved)) - 1.0) < 1e-6
    assert float(np.dot(moved, hit)) > float(np.dot(query, hit))
    assert _expanded(query, [], 1.0) is None
    assert _expanded(query, [hit], 0.0) is None


def test_feedback_changes_the_ranking_not_the_similarity_or_what_passes_its_floor(memory) -> None:
    for text in ["My dog is called Biscuit.", "I work as a nurse in Porto.", "I drive a blue Golf."]:
        memory.add(text, user_id="ana", infer=False)
    off = memory.search("where do I work?", user_id="ana", settings=RetrievalSettings(feedback_hits=0))
    on = memory.search("where do I work?", user_id="ana", settings=RetrievalSettings(feedback_hits=3))
    assert on[0].memory.text == "I work as a nurse in Porto."
    assert {h.memory.id: h.similarity for h in on} == {h.memory.id: h.similarity for h in off}


def test_a_turn_that_only_asks_ranks_below_the_turn_that_tells(make_memory) -> None:
    asked = turn("Cool! Do you play any instruments?", "Cara", "q1")
    told = turn("Yes, I play two instruments, the violin and the cello.", "Mel", "a1")
    order = {}
    for weight in (1.0, 0.6):
        memory = make_memory(f"w{weight}", retrieval={"question_weight": weight})
        memory.add_batch([*FILLER, asked, told], user_id="u")
        stored = {m.source.turn_id: m for m in memory.get_all(user_id="u")}
        assert stored["q1"].metadata["question"] is True
        assert stored["a1"].metadata["question"] is False
        hits = memory.search("do you play any instruments", user_id="u", limit=2)
        order[weight] = [h.memory.source.turn_id for h in hits]
    assert order == {1.0: ["q1", "a1"], 0.6: ["a1", "q1"]}


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("What do I eat?", True),
        ("Cool! What type of guitar do you play?", True),
        ("Mel: Thanks, Cara! Any tips? [image: a guitar]", True),
        ("I moved to Berlin last month. Any tips for finding a flat?", False),
        ("Wow, that's great! I play the cello too.", False),
        ("Is it sunny? I hope so, we are hiking today.", False),
    ],
)
def test_a_turn_only_asks_when_all_it_says_besides_is_an_interjection(text, asks) -> None:
    assert is_question(text) is asks


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("what do I eat?", "User is vegan."),
        ("where do I work?", "User works at Acme."),
        ("what languages do I speak?", "User speaks French."),
        ("what car do I have?", "User drives a Honda Civic."),
        # A pet by a breed is asked about as a pet, and as its animal.
        ("what's my dog's name?", "User's retriever is named Biscuit."),
        ("do I have any pets?", "User's retriever is named Biscuit."),
        ("am I married?", "User's husband is named Tom."),  # a partner by the bond
    ],
)
def test_a_fact_is_found_by_the_words_its_kind_is_asked_with(memory, question, first) -> None:
    for said in [
        "hey! I'm Dana, vegetarian for years, I live in Lyon",
        "um so I've gone fully vegan now? like since new year",
        "I work at Acme. I speak French. I drive a Honda Civic.",
        "I have two kids, Leo and Mia, and a golden retriever called Biscuit",
        "my husband Tom is a teacher",
    ]:
        memory.add(said, user_id="u")
    hits = memory.search(question, user_id="u", limit=3)
    assert hits[0].memory.text == first
    assert "User is vegetarian." not in [h.memory.text for h in hits]  # the past stays the past


def test_the_words_a_kind_is_asked_with_are_indexed_not_shown() -> None:
    from memory.stores.payload import index_text
    from memory.types import MemoryItem

    fact = MemoryItem(user_id="u", text="User is vegan.", type=MemoryType.SEMANTIC, slot="diet")
    assert index_text(fact) == "User is vegan.\ndiet eat food"
    assert index_text(fact.model_copy(update={"slot": "plays:tennis"})).endswith("play hobby")
    assert index_text(fact.model_copy(update={"slot": None})) == "User is vegan."
    pet = fact.model_copy(update={"text": "User's corgi is named Noodle.", "slot": "family:corgi:noodle"})
    assert index_text(pet) == "User's corgi is named Noodle.\nfamily\npet animal dog"
    son = fact.model_copy(update={"text": "User's son is named Tom.", "slot": "family:son:tom"})
    assert index_text(son) == "User's son is named Tom.\nfamily"
    grandson = son.model_copy(update={"slot": "family:grandson:tom"})  # a relative no list names is no pet
    assert index_text(grandson) == "User's son is named Tom.\nfamily"
    husband = son.model_copy(update={"slot": "family:husband"})
    assert index_text(husband).endswith("family\nmarried spouse partner")
