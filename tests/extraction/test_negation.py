"""A negated statement on a real Memory retracts the held fact it names in full, hedge adverbs aside;
one that only shares a word with a held fact changes nothing."""

from __future__ import annotations

import pytest

from memory.types import Event
from tests.extraction.said import changed, say, stored


@pytest.mark.parametrize(
    ("held", "turn", "gone"),
    [
        ("I'm married.", "I'm not married, you're thinking of someone else", "User is married."),
        ("I work at Globex.", "wait I don't work at globex, that's my brother", "User works at Globex."),
        ("I'm allergic to latex.", "I'm not actually allergic to latex", "User is allergic to latex."),
    ],
)
def test_a_negated_statement_retracts_the_fact_it_names(memory, held, turn, gone):
    say(memory, held)
    result = say(memory, turn)
    assert (Event.DELETE, gone, None) in changed(result)
    assert gone not in stored(memory)


@pytest.mark.parametrize(
    ("held", "turn"),
    [
        ("I drive a Honda Civic.", "I don't drive to work"),
        ("I have a cat named Salem.", "I don't have a dog"),
        ("I'm married.", "I'm not married to the idea of moving"),
    ],
)
def test_a_negated_statement_sharing_a_word_changes_nothing(memory, held, turn):
    say(memory, held)
    before = stored(memory)
    result = say(memory, turn)
    assert [e for e, _, _ in changed(result) if e in (Event.UPDATE, Event.DELETE)] == []
    assert stored(memory) == before
