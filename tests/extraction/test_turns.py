"""What a person expects from the offline extractor, turn after turn, on a real Memory (real stores).

Each example comes from a reported mistake: a question or an idiom must not change what is known, a
retraction must remove the fact it names and only that, a new value supersedes the old one.
"""

from __future__ import annotations

import pytest

from memory.extraction import Turn
from memory.extraction.offline import OfflineExtractor
from memory.types import Event, MemoryType
from tests.extraction.said import say, stored


def test_not_vegetarian_anymore_retracts_only_that(memory):
    say(memory, "I'm allergic to peanuts and I'm vegetarian.")
    assert stored(memory) == ["User is allergic to peanuts.", "User is vegetarian."]
    result = say(memory, "Actually I'm not vegetarian anymore, I eat fish now.")
    assert [(op.event, op.old_text) for op in result.by_event(Event.DELETE)] == [
        (Event.DELETE, "User is vegetarian.")
    ]
    assert stored(memory) == ["User eats fish.", "User is allergic to peanuts."]


def test_a_new_employer_supersedes_the_old_one(memory):
    say(memory, "I work at Acme Robotics.")
    result = say(memory, "I left Acme Robotics last month; now I work at Globex.")
    assert [(op.old_text, op.new_text) for op in result.by_event(Event.UPDATE)] == [
        ("User works at Acme Robotics.", "User works at Globex.")
    ]
    assert not result.by_event(Event.DELETE)
    assert stored(memory) == ["User works at Globex."]


@pytest.mark.parametrize(
    "turn",
    [
        "Should I quit my job?",
        "I'm thinking about quitting my job.",
        "If I quit my job, would I lose my health insurance?",
        "My boss keeps saying I should quit Globex.",
        "My partner quit their job at Globex.",
        "I left work early today.",
        "I stopped by the store on the way home.",
    ],
)
def test_talk_about_quitting_keeps_the_job(memory, turn):
    say(memory, "I work at Globex.")
    result = say(memory, turn)
    assert result.changed() == [op for op in result.changed() if op.type == MemoryType.EPISODIC]
    assert stored(memory) == ["User works at Globex."]


def test_quitting_a_habit_is_a_fact_not_a_resignation(memory):
    say(memory, "I work at Globex.", "I quit smoking")
    assert stored(memory) == ["User quit smoking.", "User works at Globex."]


def test_quitting_the_job_retracts_the_employer(memory):
    say(memory, "I work at Initech.", "I quit my job last week.")
    assert stored(memory) == []


def test_idioms_are_not_rules(memory):
    say(memory, "Please call me Sam.")
    say(memory, "Call me crazy, but I think pineapple belongs on pizza.", "Never mind, I figured it out.")
    rules = [m.text for m in memory.get_all(user_id="u") if m.type == MemoryType.PROCEDURAL]
    assert rules == ["Call me Sam."]


@pytest.mark.parametrize(
    ("turn", "expected"),
    [
        ("I'm a heavy sleeper.", ["User is a heavy sleeper."]),
        ("I just joined a book club.", ["User joined a book club."]),
        ("I work at Barnes and Noble.", ["User works at Barnes and Noble."]),
        ("I bank with Bank of America", ["User banks with Bank of America."]),
        ("i live in salt lake city now", ["User lives in Salt Lake City."]),
        ("I work for Procter & Gamble.", ["User works at Procter & Gamble."]),
        ("We moved to Rio de Janeiro in March.", ["User lives in Rio de Janeiro."]),
        ("I don't think I like sushi.", []),
        ("I'm 34 years old.", ["User is 34 years old."]),
        ("I work as a nurse in Porto", ["User works as a nurse."]),
        ("I work as a waiter on weekends", ["User works as a waiter."]),
    ],
)
def test_statements_read_as_a_person_would(memory, turn, expected):
    say(memory, turn)
    assert stored(memory) == expected


def test_an_early_no_longer_keeps_the_rest_of_the_turn(memory):
    say(memory, "I live in Boston.")
    say(memory, "I'm no longer in Boston, and I'm allergic to cats. Also my name is Dana.")
    assert stored(memory) == ["User is allergic to cats.", "User's name is Dana."]


def test_a_plan_is_its_own_memory_not_the_current_fact(memory):
    say(memory, "I live in Boston.", "I'm moving to Denver next month.")
    assert stored(memory) == ["User lives in Boston.", "User plans to move to Denver next month."]
    plan = next(m for m in memory.get_all(user_id="u") if m.text.startswith("User plans"))
    assert plan.slot and plan.slot.startswith("plan:")


@pytest.mark.parametrize(
    "turn",
    [
        "Where do I live?",
        "If I lived in Paris I'd eat croissants every day.",
        'He told me "I live in Paris" and then left.',
        "My sister lives in Paris.",
        "I might move to Paris next year.",
    ],
)
def test_non_assertive_turns_change_nothing_but_are_kept(memory, turn):
    say(memory, "I live in Boston.")
    result = say(memory, turn)
    assert [op.type for op in result.changed()] == [MemoryType.EPISODIC]
    assert stored(memory) == ["User lives in Boston."]
    assert turn in [m.text for m in memory.get_all(user_id="u") if m.type == MemoryType.EPISODIC]


def test_a_guessed_target_is_proposed_with_low_confidence(memory):
    say(memory, "I have a dog named Rex.", "I have a dog named Fido.")
    related = [m for m in memory.get_all(user_id="u") if m.type != MemoryType.EPISODIC]
    turn = Turn(text="I don't have a dog anymore.", user_id="u")  # which one?
    proposals = OfflineExtractor().extract(turn, related).facts
    assert [p.event for p in proposals] == [Event.DELETE] and proposals[0].target in {"m1", "m2"}
    assert proposals[0].confidence is not None and proposals[0].confidence < 0.6
    sure = OfflineExtractor().extract(Turn(text="I quit smoking.", user_id="u"), related).facts
    assert sure[0].confidence is not None and sure[0].confidence >= 0.6
