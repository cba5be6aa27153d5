"""A long memory of several sentences is embedded sentence by sentence and its vector is their mean
(real stores, real embedder): a question about one of its sentences finds it better than the whole
text's vector would, on both vector stores."""

from __future__ import annotations

import numpy as np
import pytest

from memory.config import RetrievalSettings
from memory.embeddings.parts import MAX_PARTS, embed_texts, sentence_parts, sentences
from memory.memory import MemoryInput
from memory.types import MemoryType, Source, SourceKind

LONG_TURN = (
    "Caroline: Work has been crazy, meetings all day and the quarterly report is due on Friday. "
    "My manager keeps moving the deadlines around. "
    "Oh, and I finally painted a sunset over the lake last weekend!"
)
QUESTION = "What did Caroline paint?"
PAINTING = "Caroline: Oh, and I finally painted a sunset over the lake last weekend!"


def _unit(vector) -> np.ndarray:
    v = np.asarray(vector, dtype=np.float64)
    return v / np.linalg.norm(v)


def test_a_turn_splits_into_sentences_that_keep_the_speaker() -> None:
    assert sentence_parts(LONG_TURN) == [
        "Caroline: Work has been crazy, meetings all day and the quarterly report is due on Friday.",
        "Caroline: My manager keeps moving the deadlines around.",
        PAINTING,
    ]
    assert sentence_parts("I moved to Denver last year. It rains a lot.") == []  # short: embedded whole
    assert sentences("I moved to Denver last year.") == []  # one sentence
    assert sentences("Wow! That is amazing news about the job.") == []  # "Wow!" is no sentence alone
    assert sentences("Dr. Patel moved my appointment to Monday.") == []  # an abbreviation is no end
    assert sentences("Mel: Look at this one we made at the studio. [image: a clay bowl with blue glaze]") == [
        "Mel: Look at this one we made at the studio.",
        "Mel: [image: a clay bowl with blue glaze]",
    ]


def test_a_long_chunk_is_grouped_into_a_bounded_number_of_parts() -> None:
    chunk = " ".join(f"Paragraph {i} talks about topic number {i} at length." for i in range(50))
    parts = sentence_parts(chunk)
    assert 2 <= len(parts) <= MAX_PARTS
    assert " ".join(parts) == chunk  # grouped, nothing dropped


def test_a_long_text_is_the_mean_of_its_sentences_and_a_short_one_is_embedded_whole(embedder) -> None:
    vectors = embed_texts(embedder, [LONG_TURN, "I like tea.", LONG_TURN])
    assert len(vectors) == 3 and vectors[0] == vectors[2]
    assert float(np.dot(vectors[1], embedder.embed(["I like tea."])[0])) > 0.999
    mean = _unit(np.mean(embedder.embed(sentence_parts(LONG_TURN)), axis=0))
    assert float(np.dot(vectors[0], mean)) > 0.999
    assert abs(float(np.linalg.norm(vectors[0])) - 1.0) < 1e-5
    # The question is closer to the mean of the sentences than to the whole turn run through the model.
    question = embedder.embed_query(QUESTION)
    assert (
        float(np.dot(question, vectors[0])) > float(np.dot(question, embedder.embed([LONG_TURN])[0])) + 0.05
    )


@pytest.mark.parametrize("provider", ["edge", "qdrant"])
def test_the_stored_vector_of_a_long_turn_is_its_sentences_mean(make_memory, provider) -> None:
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
    hits = mem.search(QUESTION, user_id="u", settings=RetrievalSettings(preset="dense"))
    assert hits[0].memory.text == LONG_TURN
    expected = float(np.dot(mem.embedder.embed_query(QUESTION), embed_texts(mem.embedder, [LONG_TURN])[0]))
    assert hits[0].similarity == pytest.approx(expected, abs=2e-3)  # shown beside an answer: a real cosine
