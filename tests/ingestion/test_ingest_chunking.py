import re

import pytest

from ingestion import chunk_text


def _words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


def test_short_text_is_one_chunk():
    assert chunk_text("  Hello there.  ", 100, 20) == ["Hello there."]


def test_blank_text_gives_no_chunks():
    assert chunk_text(" \n\n\t ", 100, 20) == []


def test_chunks_respect_the_size_limit_and_lose_no_words():
    text = "\n\n".join(
        " ".join(f"Sentence {p}.{s} has some words in it." for s in range(12)) for p in range(6)
    )
    chunks = chunk_text(text, 300, 60)
    assert len(chunks) > 5
    assert all(len(c) <= 300 for c in chunks)
    seen = set()
    for c in chunks:
        seen.update(_words(c))
    assert set(_words(text)) == seen


def test_paragraphs_that_fit_are_never_split():
    paragraphs = [f"Paragraph {i} " + "word " * 30 for i in range(5)]
    chunks = chunk_text("\n\n".join(p.strip() for p in paragraphs), 400, 0)
    for p in paragraphs:
        assert any(p.strip() in c for c in chunks)


def test_chunks_break_at_sentences_and_overlap():
    text = " ".join(f"Fact number {i} is true." for i in range(60))
    chunks = chunk_text(text, 200, 50)
    for chunk in chunks:
        assert chunk.startswith("Fact number") and chunk.endswith("is true.")
    for previous, current in zip(chunks, chunks[1:], strict=False):
        first_sentence = current.split(". ")[0] + "."
        assert first_sentence in previous  # the next chunk repeats the end of the previous one


def test_a_word_longer_than_a_chunk_is_cut():
    chunks = chunk_text("x" * 250, 100, 10)
    assert [len(c) for c in chunks] == [100, 100, 50]


def test_overlap_is_capped_so_chunks_always_advance():
    text = " ".join(f"w{i}" for i in range(500))
    chunks = chunk_text(text, 50, 500)
    assert all(len(c) <= 50 for c in chunks)
    assert len(chunks) < 200


def test_rejects_a_non_positive_size():
    with pytest.raises(ValueError):
        chunk_text("abc", 0, 0)
