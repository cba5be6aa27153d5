"""Facts the user states in passing are kept, so a later ending finds them, on a real Memory: a team
supported, a membership, a part-time employer, a job and its employer, a lasting state; and casual
endings of them ("cancelled prime", "off zoloft now", "don't need glasses anymore")."""

from __future__ import annotations

import pytest

from memory.types import Event
from tests.extraction.said import changed, say, stored


@pytest.mark.parametrize(
    ("turn", "kept"),
    [
        ("I'm a Yankees fan.", ["User is a Yankees fan."]),
        ("I'm an Amazon Prime member.", ["User is an Amazon Prime member."]),
        ("I work part-time at Target.", ["User works at Target."]),
        ("I work as a barista at Blue Bottle.", ["User works as a barista.", "User works at Blue Bottle."]),
        ("I'm in therapy.", ["User is in therapy."]),
        ("I'm a law student at NYU.", ["User is a law student at NYU."]),
    ],
)
def test_a_fact_stated_in_passing_is_kept(memory, turn, kept):
    say(memory, turn)
    assert stored(memory) == kept


@pytest.mark.parametrize(
    ("held", "turn", "gone"),
    [
        (
            "I'm an Amazon Prime member.",
            "cancelled prime, trying to shop less",
            "User is an Amazon Prime member.",
        ),
        ("I take Zoloft.", "off zoloft now, tapered with my doctor", "User takes Zoloft."),
        ("I wear glasses.", "don't need glasses anymore after the surgery", "User wears glasses."),
        ("I work part-time at Target.", "quit target!!!", "User works at Target."),
    ],
)
def test_a_casual_ending_closes_the_held_fact(memory, held, turn, gone):
    say(memory, held)
    result = say(memory, turn)
    assert (Event.DELETE, gone, None) in changed(result)
    assert gone not in stored(memory)


def test_a_school_is_no_employer_and_a_new_major_replaces_the_old(memory):
    say(memory, "I'm a biology major at UC Davis.")
    result = say(memory, "changed my major to chemistry, it finally clicked")
    assert changed(result) == [
        (Event.UPDATE, "User is a biology major at UC Davis.", "User is a chemistry major at UC Davis.")
    ]
    result = say(memory, "dropped out of uc davis. long story", user="u")
    assert (Event.DELETE, "User is a chemistry major at UC Davis.", None) in changed(result)


@pytest.mark.parametrize(
    ("held", "turn"),
    [
        ("I take Zoloft.", "I'm off to the pharmacy for my zoloft"),
        ("I wear glasses.", "don't forget my glasses next time"),
        ("I work at Acme.", "ugh i'm dead, this week at work killed me"),
    ],
)
def test_talk_near_a_held_fact_changes_nothing(memory, held, turn):
    say(memory, held)
    before = stored(memory)
    result = say(memory, turn)
    assert [e for e, _, _ in changed(result) if e in (Event.UPDATE, Event.DELETE)] == []
    assert stored(memory) == before
