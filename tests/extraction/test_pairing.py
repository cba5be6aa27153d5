"""An ending and its replacement in one turn, wherever each sits, become one UPDATE on a real Memory;
an ending next to an unrelated new fact stays an ending and a fact."""

from __future__ import annotations

import pytest

from memory.types import Event
from tests.extraction.said import changed, say, stored


@pytest.mark.parametrize(
    ("held", "turn", "old", "new"),
    [
        (
            "I live in Brooklyn.",
            "we're in queens now, left brooklyn in the spring",
            "User lives in Brooklyn.",
            "User lives in Queens.",
        ),
        (
            "I'm learning French.",
            "gave up on french and started german instead",
            "User is learning French.",
            "User is learning German.",
        ),
        (
            "I drive a Honda Civic.",
            "sold the civic and bought a used toyota corolla",
            "User drives a Honda Civic.",
            "User drives a Toyota Corolla.",
        ),
        (
            "I mostly play Fortnite.",
            "i play minecraft now, quit fortnite last month",
            "User mostly plays Fortnite.",
            "User plays minecraft.",
        ),
        (
            "I go to Planet Fitness.",
            "cancelled planet fitness and joined a gym called Iron Temple",
            "User goes to Planet Fitness.",
            "User goes to Iron Temple.",
        ),
    ],
)
def test_an_ending_and_its_replacement_in_one_turn_are_one_update(memory, held, turn, old, new):
    say(memory, held)
    result = say(memory, turn)
    assert [op for op in changed(result) if op[0] != Event.ADD] == [(Event.UPDATE, old, new)]
    assert new in stored(memory) and old not in stored(memory)


def test_an_ending_beside_an_unrelated_new_fact_stays_an_ending(memory):
    say(memory, "I'm on the swim team at college.")
    result = say(memory, "quit the swim team, practices were brutal. joined the chess club instead")
    events = [e for e, _, _ in changed(result)]
    assert Event.UPDATE not in events and Event.DELETE in events
    assert "User is on the swim team at college." not in stored(memory)


@pytest.mark.parametrize(
    ("held", "turn"),
    [
        ("I live in Brooklyn.", "should I leave brooklyn and move to queens?"),
        ("I drive a Honda Civic.", "my brother sold his civic and bought a corolla"),
        ("I play guitar.", "if I quit guitar I'd play drums instead"),
        ("I work at Acme.", "at least there's a run club at acme on wednesdays"),
    ],
)
def test_talk_of_a_replacement_changes_nothing(memory, held, turn):
    say(memory, held)
    before = stored(memory)
    result = say(memory, turn)
    assert [e for e, _, _ in changed(result) if e in (Event.UPDATE, Event.DELETE)] == []
    assert stored(memory) == before
