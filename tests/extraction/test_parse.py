"""The parser the offline rules lean on: dropped subjects, irregular past verbs, names typed in lower case."""

from __future__ import annotations

import pytest

from memory.extraction.offline import parse
from memory.extraction.offline.clauses import Mood, split
from memory.extraction.offline.person import third_person


@pytest.mark.parametrize(
    ("clause", "subject"),
    [
        ("gave the trumpet up", "I"),
        ("hung up the boots", "I"),
        ("haven't smoked in 6 months", "I"),
        ("swimming laps instead", "I'm"),
        # Not the user speaking of themselves: a remark, an order, a fragment, someone else.
        ("sounds good", None),
        ("tell me a joke", None),
        ("fight me", None),
        ("big week", None),
        ("kyle moved out last weekend", None),
        ("lucky", None),
    ],
)
def test_the_subject_a_clause_drops(clause, subject):
    assert parse.elided_subject(clause) == subject


def test_a_present_verb_is_the_users_only_after_they_spoke_of_themselves():
    assert parse.elided_subject("live in leeds") is None
    assert parse.elided_subject("live in leeds", after_self=True) == "I"
    assert [(c.text, c.mood) for c in split("I work at Pfizer as a chemist, live in Leeds")] == [
        ("I work at Pfizer as a chemist", Mood.STATEMENT),
        ("I live in Leeds", Mood.STATEMENT),
    ]
    assert split("work at globex now")[0].text == "I work at globex now"
    assert [c.text for c in split("hey I'm Kai, 19, from perth")] == ["I'm Kai", "I'm 19", "I'm from perth"]
    # An order after a statement is not the user's statement.
    assert split("I have an iPhone 12. compare the iphone 15 for me")[-1].mood != Mood.STATEMENT


def test_a_dropped_subject_makes_the_clause_the_users_own():
    assert [(c.text, c.mood) for c in split("uninstalled wow. 9 years")][0] == (
        "I uninstalled wow",
        Mood.STATEMENT,
    )
    # Said about someone else, it stays theirs.
    assert split("my coworker quit and went to globex")[0].mood == Mood.THIRD_PARTY


def test_irregular_past_verbs_stay_past_and_own_base_forms_stay_present():
    assert third_person("I hung up the boots") == "User hung up the boots."
    assert third_person("I knit") == "User knits."
    assert third_person("I brew my own beer") == "User brews their own beer."


@pytest.mark.parametrize(
    ("clause", "cased"),
    [
        ("I moved to berlin last week", "I moved to Berlin last week"),
        ("I work at bank of america", "I work at Bank of America"),
        ("I love hiking", "I love hiking"),
        ("I'M SO TIRED", "I'M SO TIRED"),
    ],
)
def test_names_typed_in_lower_case_get_their_capitals(clause, cased):
    assert parse.truecased(clause) == cased


def test_a_time_still_to_come_makes_a_plan():
    assert split("Taking my nephew to his first Yankees game next weekend.")[0].mood == Mood.PLAN
    assert split("I moved here two years ago")[0].mood == Mood.STATEMENT
