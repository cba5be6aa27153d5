"""A held value swapped for a new one anywhere in a sentence, on a real Memory (real stores): the change
is the user's own, names the held value, and is stated, not asked, planned or someone else's."""

from __future__ import annotations

import pytest

from memory.types import Event
from tests.extraction.said import semantic


@pytest.mark.parametrize(
    ("held", "said", "now"),
    [
        (
            "I live in Salt Lake City.",
            "so we relocated from salt lake city to boise in the fall and the kids are settling in fine",
            "User lives in Boise.",
        ),
        ("I work at Kaiser.", "left kaiser for Sutter Health, you know", "User works at Sutter Health."),
        ("I play guitar.", "hobby update: guitar's out, cello's in", "User plays cello."),
        ("I work at Deloitte.", "wait no its PwC not Deloitte, i always mix them up", "User works at PwC."),
        ("I work at Bosch.", "new job: Siemens", "User works at Siemens."),
        ("My phone number is 555-0100.", "my new number is 555-0199", "User's phone number is 555-0199."),
        (
            "I drive a Honda Odyssey.",
            "survived!! back at work part time, we traded the odyssey for a kia carnival, and the baby sleeps",
            "User drives a Kia Carnival.",
        ),
        (  # a held name typed in lower case: the new one is a name too
            "I drive a Honda Odyssey.",
            "Oh, and we finally traded the odyssey for a kia carnival, the kids love it!",
            "User drives a Kia Carnival.",
        ),
        (  # the whole held name is replaced, inner "and" included
            "I work at Barnes and Noble.",
            "wait no, it's Thalia not Barnes and Noble, i always mix them up",
            "User works at Thalia.",
        ),
        (  # the name, not the verb that shares its word
            "I bank with Bank of America.",
            "Switched from Bank of America to Chase last month.",
            "User banks with Chase.",
        ),
        # A correction said in passing, before a question that follows a dash.
        (
            "I live in Glasgow.",
            "and btw I'm actually in Edinburgh not Glasgow, moved in june — good running routes near Leith?",
            "User lives in Edinburgh.",
        ),
        ("I play tennis.", "these days it's padel not tennis, my knees thank me", "User plays padel."),
        ("I work at KPMG.", "new job. deloitte.", "User works at Deloitte."),
        (
            "I work at Pets at Home.",
            "quit Pets at Home and joined Rolls Royce this monday",
            "User works at Rolls Royce.",
        ),
    ],
)
def test_a_stated_swap_of_a_held_value_is_one_update(memory, held, said, now):
    memory.add(held, user_id="u")
    before = semantic(memory)
    result = memory.add(said, user_id="u")
    updates = result.by_event(Event.UPDATE)
    assert [(op.old_text, op.new_text) for op in updates] == [(before[0], now)]
    assert not result.by_event(Event.DELETE)
    assert semantic(memory) == [now]
    past = [m.text for m in memory.get_all(user_id="u", include_past=True) if m.valid_to is not None]
    assert past == before  # the old value is kept as the past


@pytest.mark.parametrize(
    "said",
    [
        "drove from Boston to NYC for the weekend",  # a trip, not a move
        "my sister moved from Boston to Denver",  # someone else's
        "Priya on my team just moved from Boston to Denver and left Globex for a startup",
        "thinking about moving from Boston to Denver",  # a possibility
        "should I move from Boston to Denver?",  # a question
        "we're moving from Boston to Denver next spring",  # a plan
        "my brother's new job: Siemens",  # someone else's "new"
        "is it Denver not Boston — am I confused?",  # a question before the dash too
        "new job. love it",  # how it went, not which job
    ],
)
def test_what_only_looks_like_a_swap_changes_no_fact(memory, said):
    memory.add("I live in Boston.", user_id="u")
    memory.add("I work at Globex.", user_id="u")
    result = memory.add(said, user_id="u")
    assert not result.by_event(Event.UPDATE) and not result.by_event(Event.DELETE), said
    assert {"User lives in Boston.", "User works at Globex."} <= set(semantic(memory))
    assert all(m.valid_to is None for m in memory.get_all(user_id="u", include_past=True))


def test_a_reason_is_not_a_new_value(memory):
    memory.add("I work at Acme.", user_id="u")
    result = memory.add("quit acme for my health", user_id="u")
    assert [op.old_text for op in result.by_event(Event.DELETE)] == ["User works at Acme."]
    assert not result.by_event(Event.UPDATE)


def test_a_swap_beside_another_change_is_one_update_and_the_other_fact(memory):
    memory.add("I work at Kaiser.", user_id="u")
    result = memory.add("left kaiser for Sutter Health, im on days now", user_id="u")
    updates = [(op.old_text, op.new_text) for op in result.by_event(Event.UPDATE)]
    assert updates == [("User works at Kaiser.", "User works at Sutter Health.")]
    assert semantic(memory) == ["User works at Sutter Health.", "User works days."]
