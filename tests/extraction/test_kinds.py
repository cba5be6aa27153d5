"""Values of a known kind on a real Memory: a time zone is never a place, and a new time zone stated
"now" replaces the held one, whatever its spelling ("UTC+3", "CST")."""

from __future__ import annotations

import pytest

from memory.extraction.offline import kinds
from memory.types import Event
from tests.extraction.said import changed, say, stored


@pytest.mark.parametrize(
    ("value", "named"), [("CST", True), ("UTC+3", True), ("Pixel", False), ("Queens", False)]
)
def test_a_time_zone_is_named_as_such(value, named):
    assert kinds.named(value, "timezone") is named


@pytest.mark.parametrize(
    ("held", "turn", "old", "new"),
    [
        (
            "I'm in the UTC+1 time zone.",
            "I'm on UTC+3 now",
            "User is in the UTC+1 time zone.",
            "User is on UTC+3.",
        ),
        (
            "I'm in the Eastern time zone.",
            "i'm in CST now",
            "User is in the Eastern time zone.",
            "User is in CST.",
        ),
    ],
)
def test_a_new_time_zone_replaces_the_held_one_and_is_no_home(memory, held, turn, old, new):
    say(memory, held)
    result = say(memory, turn)
    assert changed(result) == [(Event.UPDATE, old, new)]
    assert not any("lives in" in f for f in stored(memory))


@pytest.mark.parametrize("turn", ["doing great, thanks!", "I'm doing well", "doing ok"])
def test_how_the_user_is_doing_is_no_fact(memory, turn):
    say(memory, turn)
    assert stored(memory) == []


def test_a_casual_clause_without_capitals_still_names_a_place(memory):
    say(memory, "I live in Brooklyn.")
    result = say(memory, "we're in queens now. got a cat named Miso")
    assert (Event.UPDATE, "User lives in Brooklyn.", "User lives in Queens.") in changed(result)


def test_a_cased_clause_in_a_casual_turn_is_read_as_cased(memory):
    say(memory, "heads up, moved to Chicago for grad school at Northwestern")
    assert "User lives in Chicago." in stored(memory)


def test_a_known_kind_of_thing_is_no_home(memory):
    say(memory, "I use Spotify.")
    result = say(memory, "moved from spotify to apple music for the lossless stuff")
    assert changed(result) == [(Event.UPDATE, "User uses Spotify.", "User uses Apple Music.")]
    assert not any("lives in" in f for f in stored(memory))


def test_a_new_relationship_status_replaces_the_held_one_and_shouting_is_no_name(memory):
    say(memory, "I'm single.")
    result = say(memory, "I'M ENGAGED!!! he proposed on saturday")
    assert changed(result) == [(Event.UPDATE, "User is single.", "User is ENGAGED.")]
    assert not any("name" in f for f in stored(memory))
