"""Held facts ended wherever a turn names them, on a real Memory (real stores): a death, a break-up, a
thing gone, a medicine stopped, a group left; never someone else's ending, a question or a wish."""

from __future__ import annotations

import pytest

from memory.types import Event, MemoryType


def current(memory, user: str = "u") -> list[str]:
    return sorted(m.text for m in memory.get_all(user_id=user) if m.type == MemoryType.SEMANTIC)


@pytest.mark.parametrize(
    ("held", "said"),
    [
        ("My dog is named Max.", "max had to be put down in march, worst week ever"),
        ("My cat is called Rufus.", "Rufus passed away on Sunday. 14 good years."),
        (
            "I am married to Pete.",
            "Pete and I have separated. I've moved into a unit in Geelong with the kids.",
        ),
        ("I have a Netflix subscription.", "cost of living cuts: netflix is gone. what's a cheap hobby?"),
        ("I take Lexapro.", "weaned off lexapro (done!!)"),
        ("I sing in the Riverside Choir.", "I have left the Riverside Choir after nine years."),
        ("I'm in a book club.", "the book club fizzled out, so thats over"),
    ],
)
def test_an_ending_of_a_held_fact_is_a_delete_kept_as_the_past(memory, held, said):
    memory.add(held, user_id="u")
    [before] = current(memory)
    result = memory.add(said, user_id="u")
    assert [op.old_text for op in result.by_event(Event.DELETE)] == [before]
    assert before not in current(memory)
    past = [m.text for m in memory.get_all(user_id="u", include_past=True) if m.valid_to is not None]
    assert past == [before]


@pytest.mark.parametrize(
    "said",
    [
        "my friend's dog Max died",  # someone else's Max
        "Max's vet visit is over, he is fine",  # something of Max's is over, not Max
        "if Max died I would be lost",  # a hypothetical
        "my buddy quit tennis for golf, traitor",  # someone else quit
        "the meeting with Pete is over",  # the meeting, not Pete
        "should I come off lexapro?",  # a question
    ],
)
def test_what_only_sounds_like_an_ending_ends_nothing(memory, said):
    for held in ("My dog is named Max.", "I play tennis.", "I am married to Pete.", "I take Lexapro."):
        memory.add(held, user_id="u")
    before = current(memory)
    result = memory.add(said, user_id="u")
    assert not result.by_event(Event.DELETE) and not result.by_event(Event.UPDATE), said
    assert current(memory) == before
