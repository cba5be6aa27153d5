"""A job said as a bare fragment, as people introduce themselves in chat, on a real Memory (real stores);
and fragments that only look like one."""

from __future__ import annotations

import pytest

from tests.extraction.said import facts_around


@pytest.mark.parametrize(
    ("said", "after"),
    [
        ("nurse. nights. tired.", ["User works as a nurse."]),
        ("Dairy farmer here, 120 cows", ["User works as a dairy farmer."]),
        (
            "software engineer at Google, mostly backend",
            ["User works as a software engineer.", "User works at Google."],
        ),
        ("paramedic here! can you help me plan shifts?", ["User works as a paramedic."]),
        ("retired teacher, live near Bath", ["User is a retired teacher.", "User lives near Bath."]),
        # where the user works from is no home
        (
            "SWE at Stripe, based in the Dublin office",
            ["User works as a SWE.", "User works at Stripe.", "User is based in the Dublin office."],
        ),
    ],
)
def test_a_job_said_as_a_fragment_is_the_users_job(memory, said, after):
    _, now = facts_around(memory, [], said)
    assert sorted(now) == sorted(after)


@pytest.mark.parametrize(
    "said",
    [
        "Doctor, I need help with my rash",  # someone called, not a job
        "my sister? nurse.",  # someone else's
        "my manager at amazon got laid off",
        "coffee addict here lol",
        "student at heart lol",  # not really one
        "new here, long time lurker",
    ],
)
def test_fragments_that_are_no_job_of_the_user_make_none(memory, said):
    _, now = facts_around(memory, [], said)
    assert not [fact for fact in now if fact.startswith(("User works", "User is a"))]


def test_a_fragment_job_replaces_the_held_one(memory):
    before, now = facts_around(memory, ["I work as a barista."], "nurse here now lol, up at 4 every day")
    assert before == ["User works as a barista."]
    assert now == ["User works as a nurse."]
