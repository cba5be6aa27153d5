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
        (
            "I drive for Swift.",
            "left swift, running with Schneider now",
            "User drives for Swift.",
            "User drives for Schneider.",
        ),
        (
            "I work at Infosys.",
            "quit Infosys and joined Zoho this monday",
            "User works at Infosys.",
            "User works at Zoho.",
        ),
        (
            "I drive for Uber.",
            "stopped driving for Uber last month. I deliver for DoorDash now",
            "User drives for Uber.",
            "User delivers for DoorDash.",
        ),
        (
            "I play bass in a band called The Loose Ends.",
            "left the loose ends last month. joined Marigold Static, still on bass",
            "User plays bass in a band called The Loose Ends.",
            "User plays bass in a band called Marigold Static.",
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


@pytest.mark.parametrize(
    ("held", "turn"),
    [
        ("I work at Acme.", "I left Acme. I joined a book club to keep busy"),
        ("I work at Acme.", "quit Acme, joined Planet Fitness to get fit"),  # a gym, not an employer
        ("I work at Acme.", "left acme, joined the navy"),  # no capital to tell a name by
        ("I work at Acme.", "quit Acme. I live in Paris now"),  # a home, not a place of work
        ("I work at Acme.", "quit Acme, I play Valorant now lol"),
    ],
)
def test_a_place_joined_after_an_ending_is_its_successor_only_when_both_are_names_of_one_kind(
    memory, held, turn
):
    say(memory, held)
    result = say(memory, turn)
    assert [e for e, _, _ in changed(result) if e in (Event.UPDATE, Event.DELETE)] == [Event.DELETE]
    assert held.replace("I work", "User works") not in stored(memory)


def test_a_medicine_ended_beside_a_new_one_is_no_switch_unless_said(memory):
    say(memory, "I'm on Lexapro.")
    result = say(memory, "weaned off lexapro. new thing: on levothyroxine for my thyroid now")
    assert changed(result) == [
        (Event.DELETE, "User takes Lexapro.", None),
        (Event.ADD, None, "User takes levothyroxine."),
    ]
    say(memory, "I take sertraline.")
    result = say(memory, "switched from sertraline to fluoxetine last month")
    assert changed(result) == [(Event.UPDATE, "User takes sertraline.", "User takes fluoxetine.")]
