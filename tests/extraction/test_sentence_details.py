"""Details of a sentence that change what is stored, on a real Memory (real stores): a name's inner "and",
who the user is versus what they are called, an adverb before the verb, a negation before a positive
reading, the user's "my" said of the user, and a fragment that is no instruction."""

from __future__ import annotations

import pytest

from memory.types import MemoryType
from tests.extraction.said import stored


@pytest.mark.parametrize(
    ("said", "facts"),
    [
        ("I work at Barnes and Noble in the kids section", ["User works at Barnes and Noble."]),
        ("I work at Pets at Home.", ["User works at Pets at Home."]),
        ("I work at Boots at Victoria Station", ["User works at Boots."]),
        ("I'm Deaf and I use ASL", ["User is Deaf.", "User uses ASL."]),
        ("I'm Canadian and I love hockey", ["User is Canadian.", "User loves hockey."]),
        ("I'm Julian, nice to meet you", ["User's name is Julian."]),
        (
            "I now train at a CrossFit box near my office instead of the Y.",
            ["User now trains at a CrossFit box near their office instead of the Y."],
        ),
        ("don't get me wrong, I love my job, it's just a lot right now", ["User loves their job."]),
        ("i am NOT becoming a red sox fan, yankees forever", []),
        ("I don't speak Portuguese, only Spanish", []),
        ("I'm in a band called The Lilacs.", ["User is in a band called The Lilacs."]),
        ("I'm in a book club.", ["User is in a book club."]),
        ("I'm in Boston this week", []),  # a place for now, not a group
    ],
)
def test_what_a_sentence_stores(memory, said, facts):
    memory.add(said, user_id="u")
    assert stored(memory) == facts


def test_an_instruction_with_only_is_still_a_rule(memory):
    memory.add("only reply in English from now on", user_id="u")
    assert [m.text for m in memory.get_all(user_id="u", types=[MemoryType.PROCEDURAL])] == [
        "Only reply in English."
    ]


@pytest.mark.parametrize(
    ("said", "plan"),
    [
        ("we are going to move to denver next year", "User plans to move to Denver next year."),
        ("im moving to salt lake city in june", "User plans to move to Salt Lake City in June."),
        ("going to visit my mom next week", "User plans to visit their mom next week."),
        (
            "I'm flying to Tokyo next month for a conference",
            "User plans to fly to Tokyo next month for a conference.",
        ),
    ],
)
def test_a_plan_typed_in_lower_case_keeps_its_names_capitalised(memory, said, plan):
    memory.add(said, user_id="u")
    assert stored(memory) == [plan]


@pytest.mark.parametrize(
    ("said", "facts"),
    [
        ("- I live in Leeds\n- I work at Asda", ["User lives in Leeds.", "User works at Asda."]),
        ("• moved to Leeds\n• new phone: a Nokia", ["User lives in Leeds.", "User's phone is a Nokia."]),
        ("updates:\n1. I live in Leeds\n2) I work at Asda", ["User lives in Leeds.", "User works at Asda."]),
        ("Name: Priya\nPhone: Pixel 9", ["User's name is Priya.", "User's phone is Pixel 9."]),
        ("I got a new phone, a Pixel 9", ["User's phone is a Pixel 9."]),
        ("my new laptop is a ThinkPad X1", ["User's laptop is a ThinkPad X1."]),
        ("I'm 34. I live in Leeds", ["User is 34 years old.", "User lives in Leeds."]),
        ("should I get a new phone, a Pixel?", []),
        ("> I live in Paris", []),  # a quoted line is someone else's words
        ("I've started to feel better", []),
    ],
)
def test_a_list_a_label_or_an_apposition_is_read_item_by_item(memory, said, facts):
    memory.add(said, user_id="u")
    assert stored(memory) == facts


def test_a_numbered_profile_update_changes_each_held_fact(memory):
    for fact in ("My phone is an iPhone 13.", "My carrier is Verizon.", "I live in Portland."):
        memory.add(fact, user_id="u")
    memory.add(
        "Hello, re: my profile. Please update the following: (1) I have moved to Eugene, OR. "
        "(2) I now use a Samsung Galaxy A54. (3) My carrier is now T-Mobile. Thank you.",
        user_id="u",
    )
    facts = " ".join(stored(memory))
    assert all(new in facts for new in ("Eugene", "Galaxy A54", "T-Mobile"))
    assert not any(old in facts for old in ("Portland", "iPhone", "Verizon"))
