"""A clause's mood decides whether it may make a fact: only assertive first-person statements do."""

from __future__ import annotations

import pytest

from memory.extraction.offline.clauses import Mood, split


def moods(text: str) -> list[tuple[str, Mood]]:
    return [(c.text, c.mood) for c in split(text)]


@pytest.mark.parametrize(
    ("text", "mood"),
    [
        ("Should I quit my job?", Mood.QUESTION),
        ("how do I tell my boss I'm quitting", Mood.QUESTION),
        ("Can you recommend a good book?", Mood.REQUEST),
        ("If I quit my job, would I lose my health insurance?", Mood.HYPOTHETICAL),
        ("I wish I worked at NASA.", Mood.HYPOTHETICAL),
        ("I might move to Denver next year.", Mood.POSSIBILITY),
        ("I'm thinking about quitting my job.", Mood.POSSIBILITY),
        ("I don't think I like sushi.", Mood.POSSIBILITY),
        ("I'm moving to Denver next month.", Mood.PLAN),
        ("I'm not vegetarian anymore.", Mood.RETRACTION),
        ("I no longer work at Initech.", Mood.RETRACTION),
        ('My boss said "you work too much".', Mood.QUOTE),
        ("She said she lives in Boston now.", Mood.QUOTE),
        ("My sister lives in Chicago.", Mood.THIRD_PARTY),
        ("Never mind", Mood.IDIOM),
        ("Don't worry about it.", Mood.IDIOM),
        ("I live in Boston.", Mood.STATEMENT),
    ],
)
def test_one_clause_moods(text, mood):
    assert {m for _, m in moods(text)} == {mood}


def test_discourse_markers_are_read_past():
    assert moods("Call me crazy, but I think pineapple belongs on pizza.") == [
        ("I think pineapple belongs on pizza", Mood.POSSIBILITY)
    ]
    assert moods("Don't get me wrong, I love Berlin.") == [("I love Berlin", Mood.STATEMENT)]


def test_a_turn_splits_into_clauses_with_their_own_mood():
    assert moods("Actually I'm not vegetarian anymore, I eat fish now.") == [
        ("I'm not vegetarian anymore", Mood.RETRACTION),
        ("I eat fish now", Mood.STATEMENT),
    ]
    # A contrast ends the hypothetical: the last clause is the user's own statement again.
    assert [
        m for _, m in moods("If I move to Manchester I'd be closer to my sister, but honestly I love Leeds.")
    ] == [
        Mood.HYPOTHETICAL,
        Mood.STATEMENT,
    ]


def test_a_dropped_subject_is_the_user():
    assert moods("Moved to NYC last week!") == [("I Moved to NYC last week", Mood.STATEMENT)]
    assert moods("i eat meat again, not vegan anymore") == [
        ("i eat meat again", Mood.STATEMENT),
        ("I'm not vegan anymore", Mood.RETRACTION),
    ]
