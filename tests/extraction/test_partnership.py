"""A partnership that ended, told the way people tell it, on a real Memory (real stores): the partner on
record is ended and kept as the past; what only sounds like it changes nothing."""

from __future__ import annotations

import pytest

from memory.types import Event, MemoryType
from tests.extraction.said import facts_around, say, semantic, told_after


@pytest.mark.parametrize(
    ("held", "said"),
    [
        ("I'm married to Sarah.", "divorced now. house sold."),
        ("I'm married to Gareth.", "gareth and me are seperated now, he moved out in may"),
        ("I'm married to Sarah.", "I'm divorced"),
        ("I'm married to Sarah.", "my divorce came through last week"),
        ("My girlfriend is called Noor.", "single again lol"),
        ("My husband is named Raj.", "I'm a widow now"),
        ("My fiancée is Hannah.", "The wedding is off. Hannah and I have separated."),
        ("my husband Tom is a teacher", "we split up in october, Tom moved out"),
        ("My boyfriend is called Sam.", "my boyfriend and I broke up"),
    ],
)
def test_an_ended_partnership_ends_the_partner_on_record(memory, held, said):
    partner, result = told_after(memory, held, said)
    assert [op.old_text for op in result.by_event(Event.DELETE)] == [partner]
    assert partner not in semantic(memory)
    past = memory.get_all(user_id="u", include_past=True)
    assert any(m.text == partner and m.valid_to is not None for m in past)


@pytest.mark.parametrize(
    "said",
    [
        "my sister is divorced now",
        "my dad: 'so you eat chicken though right?' every. single. time.",
        "are you single?",
        "if I were single I'd travel more",
        "I love single malt whisky",
        "I separated the eggs for the meringue",
        "Tom and his wife separated last year",
        "we split up the bill",
    ],
)
def test_what_only_sounds_like_an_ending_keeps_the_partner(memory, said):
    before, after = facts_around(memory, ["I'm married to Tom."], said)
    assert "User is married to Tom." in after
    assert not [
        fact for fact in after if fact.startswith(("User is divorced", "User is separated", "User is single"))
    ]


def test_with_no_partner_on_record_the_status_is_the_fact(memory):
    say(memory, "I'm divorced, two kids")
    assert "User is divorced." in semantic(memory)
    say(memory, "we split up in october", user="v")  # no status word: nothing to say it in
    assert semantic(memory, "v") == []


def test_a_new_partner_named_with_the_ending_replaces_the_old_one(memory):
    memory.add("I'm married to Tom.", user_id="u")
    result = memory.add(
        "Tom and I divorced last year. I've been seeing someone new, his name is Ade.", user_id="u"
    )
    assert [
        ("Tom" in (op.old_text or ""), "Ade" in (op.new_text or "")) for op in result.by_event(Event.UPDATE)
    ] == [(True, True)]
    assert not any("divorced" in fact for fact in semantic(memory))


def test_a_fiancee_with_an_accent_is_one_partner(memory):
    memory.add("My fiancée is Hannah.", user_id="u")
    memory.add("My fiancée is Priya now.", user_id="u")
    facts = [m for m in memory.get_all(user_id="u") if m.type == MemoryType.SEMANTIC]
    assert [m.text for m in facts] == ["User's fiancée is named Priya."]
    assert facts[0].slot == "family:fiancee"
