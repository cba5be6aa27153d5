"""Sentence vectors: a long memory of several sentences is matched by its best sentence (real stores,
real embedder), and a store made before they existed still works on one vector per memory."""

from __future__ import annotations

import numpy as np
import pytest
import qdrant_edge as qe

from memory.config import RetrievalSettings
from memory.embeddings.parts import MAX_PARTS, embed_texts, sentence_parts, sentences
from memory.memory import MemoryInput
from memory.stores.base import ScopeFilter
from memory.stores.payload import DENSE, SPARSE
from memory.stores.qdrant_edge import QdrantEdgeStore
from memory.types import MemoryItem, MemoryType, Source, SourceKind

LONG_TURN = (
    "Caroline: Work has been crazy, meetings all day and the quarterly report is due on Friday. "
    "My manager keeps moving the deadlines around. "
    "Oh, and I finally painted a sunset over the lake last weekend!"
)
QUESTION = "What did Caroline paint?"
PAINTING = "Caroline: Oh, and I finally painted a sunset over the lake last weekend!"
SENTENCES = RetrievalSettings(preset="dense", sentence_weight=1.0)


def _cosine(embedder, a: str, b: str) -> float:
    va, vb = embedder.embed([a, b])
    return float(np.dot(va, vb))


def _cosine_to_memory(embedder, query: str, text: str) -> float:
    """The query's cosine to the memory's own vector (for a long text, the mean of its sentences')."""
    return float(np.dot(embedder.embed_query(query), embed_texts(embedder, [text])[0].dense))


def test_a_turn_splits_into_sentences_that_keep_the_speaker() -> None:
    parts = sentence_parts(LONG_TURN)
    assert parts == [
        "Caroline: Work has been crazy, meetings all day and the quarterly report is due on Friday.",
        "Caroline: My manager keeps moving the deadlines around.",
        PAINTING,
    ]
    assert sentence_parts("I moved to Denver last year. It rains a lot.") == []  # short: matched whole
    assert sentences("I moved to Denver last year.") == []  # one sentence: the text itself is enough
    assert sentences("Wow! That is amazing news about the job.") == []  # "Wow!" is no sentence alone
    assert sentences("Dr. Patel moved my appointment to Monday.") == []  # an abbreviation is no end
    captioned = sentences("Mel: Look at this one we made at the studio. [image: a clay bowl with blue glaze]")
    assert captioned == [
        "Mel: Look at this one we made at the studio.",
        "Mel: [image: a clay bowl with blue glaze]",
    ]


def test_a_long_chunk_has_at_most_a_bounded_number_of_parts() -> None:
    chunk = " ".join(f"Paragraph {i} talks about topic number {i} at length." for i in range(50))
    parts = sentence_parts(chunk)
    assert 2 <= len(parts) <= MAX_PARTS
    assert " ".join(parts) == chunk  # grouped, nothing dropped


def test_a_long_text_is_embedded_by_its_sentences_and_a_short_one_whole(embedder) -> None:
    vectors = embed_texts(embedder, [LONG_TURN, "I like tea.", LONG_TURN])
    assert len(vectors) == 3 and vectors[1].parts == [] and vectors[0] == vectors[2]
    assert float(np.dot(vectors[1].dense, embedder.embed(["I like tea."])[0])) > 0.999
    assert len(vectors[0].parts) == 3
    assert float(np.dot(vectors[0].parts[2], embedder.embed([PAINTING])[0])) > 0.999
    mean = np.mean(embedder.embed(sentence_parts(LONG_TURN)), axis=0)
    assert float(np.dot(vectors[0].dense, mean / np.linalg.norm(mean))) > 0.999
    assert abs(float(np.linalg.norm(vectors[0].dense)) - 1.0) < 1e-5


@pytest.mark.parametrize("provider", ["edge", "qdrant"])
def test_the_best_sentence_of_a_turn_answers_and_its_similarity_is_a_real_cosine(
    make_memory, provider
) -> None:
    mem = make_memory(vector_store={"provider": provider})
    filler = [
        "Melanie: I went camping with the kids in the mountains.",
        "Melanie: We adopted a puppy, his name is Oscar.",
        "Caroline: The support group meeting was really moving this week.",
        "Melanie: I signed up for a pottery class downtown.",
    ]
    entries = [
        MemoryInput(
            text=text,
            type=MemoryType.EPISODIC,
            session_id="s1",
            source=Source(kind=SourceKind.CHAT, session_id="s1", turn_id=f"t{n}", role=text.split(":")[0]),
        )
        for n, text in enumerate([*filler, LONG_TURN])
    ]
    mem.add_batch(entries, user_id="u")
    whole_text = RetrievalSettings(preset="dense")  # sentence matching is off by default
    whole = next(
        h for h in mem.search(QUESTION, user_id="u", settings=whole_text) if h.memory.text == LONG_TURN
    )
    by_sentence = mem.search(QUESTION, user_id="u", settings=SENTENCES)
    assert by_sentence[0].memory.text == LONG_TURN
    # The similarity shown is the cosine of the painting sentence, above the whole turn's.
    assert by_sentence[0].similarity == pytest.approx(_cosine(mem.embedder, QUESTION, PAINTING), abs=2e-3)
    assert whole.similarity == pytest.approx(_cosine_to_memory(mem.embedder, QUESTION, LONG_TURN), abs=2e-3)
    assert by_sentence[0].similarity > whole.similarity + 0.05


def test_sentence_matching_stays_in_the_callers_scope(make_memory) -> None:
    mem = make_memory()
    mem.add(LONG_TURN, user_id="ana", infer=False)
    mem.add(
        "Caroline: I bake bread on Sundays. It takes all morning, and the kitchen is a mess after.",
        user_id="ben",
        infer=False,
    )
    hits = mem.search(QUESTION, user_id="ben", settings=SENTENCES)
    assert all(h.memory.user_id == "ben" for h in hits)
    assert LONG_TURN not in [h.memory.text for h in hits]


def _old_shard(path, dims: int) -> None:
    """A shard as made before sentence vectors existed: a dense and a BM25 vector, nothing else."""
    shard = qe.EdgeShard.create(
        str(path),
        qe.EdgeConfig(
            vectors={DENSE: qe.EdgeVectorParams(size=dims, distance=qe.Distance.Cosine)},
            sparse_vectors={SPARSE: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf)},
        ),
    )
    shard.flush()
    shard.close()


def test_a_store_made_before_sentence_vectors_still_writes_and_searches(tmp_path, embedder) -> None:
    path = tmp_path / "vectors"
    _old_shard(path, embedder.dims)
    store = QdrantEdgeStore(path, embedder.dims)
    try:
        item = MemoryItem(user_id="u", text=LONG_TURN, type=MemoryType.EPISODIC)
        store.upsert([item], embed_texts(embedder, [item.text]))  # its parts are left out
        dense, _ = store.search(embedder.embed_query(QUESTION), None, ScopeFilter(user_id="u"), 5, 1.0)
        assert [h.id for h in dense] == [item.id]
        assert dense[0].score == pytest.approx(_cosine_to_memory(embedder, QUESTION, LONG_TURN), abs=2e-3)
        store.compact()  # rewritten in today's layout: new writes keep their sentences
        other = MemoryItem(user_id="u", text=LONG_TURN, type=MemoryType.EPISODIC)  # written after it
        store.upsert([other], embed_texts(embedder, [other.text]))
        dense, _ = store.search(embedder.embed_query(QUESTION), None, ScopeFilter(user_id="u"), 5, 1.0)
        scores = {h.id: h.score for h in dense}
        assert scores[other.id] > scores[item.id] + 0.05
    finally:
        store.close()
