"""The generic offline mechanisms on a real Memory: a first-person fact no rule reads, the ending and
the change of a held fact matched by its content words, and the turns that must change nothing."""

from __future__ import annotations

import pytest

from memory.extraction.offline.person import third_person
from memory.types import Event
from tests.extraction.said import changed, say, stored


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("I do Brazilian jiu-jitsu", "User does Brazilian jiu-jitsu."),
        ("I teach piano on the side", "User teaches piano on the side."),
        ("I bought a Kia Niro", "User bought a Kia Niro."),
        ("my wife Marisol and I bought a house", "User and wife Marisol bought a house."),
        ("I'm fluent in Portuguese", "User is fluent in Portuguese."),
        ("we actually already got a kitten", "User actually already got a kitten."),
    ],
)
def test_a_clause_is_said_in_the_third_person(clause, expected):
    assert third_person(clause) == expected


@pytest.mark.parametrize(
    ("turn", "fact"),
    [
        ("i do brazilian jiu-jitsu twice a week", "User does brazilian jiu-jitsu twice a week."),
        ("I play the cello in a community orchestra.", "User plays the cello in a community orchestra."),
        ("I have type 1 diabetes.", "User has type 1 diabetes."),
        ("I'm on PST.", "User is on PST."),
        ("Everyone calls me Bee.", "User goes by Bee."),
        ("I mostly cycle to work", "User mostly cycles to work."),  # any "-ly" word before the verb
    ],
)
def test_a_first_person_fact_no_rule_reads_is_kept(memory, turn, fact):
    say(memory, turn)
    assert stored(memory) == [fact]


@pytest.mark.parametrize(
    "turn",
    [
        "I'm exhausted",
        "I think so",
        "I'm good thanks, you?",
        "I see",
        "I guess",
        "I went to a concert last night",
        "I'm at the gym rn",
        "I keep forgetting things",
        "I give up",
        "so maybe pottery? I dunno",
        # a subject put back only before a verb English knows: not "User wfhs ...", "User regionals ..."
        "not in the office today, wfh with a cold",
        "left swift last year, regional so home weekends",
        "radiohead still forever tho",
        "fully booked now",  # an "-ly" word is no verb: not "User fullies booked."
    ],
)
def test_feelings_small_talk_and_single_occasions_are_not_facts(memory, turn):
    say(memory, turn)
    assert stored(memory) == []


@pytest.mark.parametrize(
    ("held", "turn", "gone"),
    [
        ("I play the cello.", "gave up the cello last year, no time for it", "User plays the cello."),
        ("I drive a Honda Civic.", "sold my civic 😢", "User drives a Honda Civic."),
        ("I do crossfit.", "quit crossfit after my shoulder injury", "User does crossfit."),
        (
            "I go to the gym every morning.",
            "I don't go to the gym anymore.",
            "User goes to the gym every morning.",
        ),
        ("My boyfriend is named Theo.", "theo and i broke up last week", "User's boyfriend is named Theo."),
        ("I smoke.", "i stopped smoking!!", "User smokes."),
        ("I work at Stripe.", "ex-stripe now", "User works at Stripe."),
    ],
)
def test_an_ending_closes_the_held_fact_it_is_about(memory, held, turn, gone):
    say(memory, held)
    result = say(memory, turn)
    assert changed(result) == [(Event.DELETE, gone, None)]
    assert stored(memory) == []


def test_an_ending_with_nothing_held_is_a_fact_only_when_informative(memory):
    say(memory, "I quit vaping last month")
    assert stored(memory) == ["User quit vaping."]
    say(memory, "I'm done with this week", user="v")
    assert stored(memory, user="v") == []


@pytest.mark.parametrize(
    ("held", "turn", "old", "new"),
    [
        (
            "I play the cello.",
            "switched from cello to viola this year",
            "User plays the cello.",
            "User plays the viola.",
        ),
        (
            "I have an iPhone 12.",
            "traded my iphone for a pixel 8",
            "User has an iPhone 12.",
            "User has a pixel 8.",
        ),
        (
            "I drive a Honda Civic.",
            "I drive a Mazda 3 now.",
            "User drives a Honda Civic.",
            "User drives a Mazda 3.",
        ),
        ("I work at Acme.", "left acme for initech", "User works at Acme.", "User works at Initech."),
        ("I work at Acme.", "done with acme. now at hooli 🎉", "User works at Acme.", "User works at Hooli."),
        ("I use Windows.", "switched to a mac last year", "User uses Windows.", "User uses Mac."),
        (
            "I drink oat milk.",
            "it's almond milk now, not oat",
            "User drinks oat milk.",
            "User drinks almond milk.",
        ),
        ("I play guitar.", "I play bass now.", "User plays guitar.", "User plays bass."),
    ],
)
def test_a_change_updates_the_held_fact(memory, held, turn, old, new):
    say(memory, held)
    result = say(memory, turn)
    assert changed(result) == [(Event.UPDATE, old, new)]
    assert stored(memory) == [new]


@pytest.mark.parametrize(
    ("held", "turn"),
    [
        ("I drive a Honda Civic.", "should I sell my civic?"),
        ("I drive a Honda Civic.", "help me write an ad to sell my Civic"),
        ("I drive a Honda Civic.", "if I sold my car, how would I get to work?"),
        ("I have an iPhone 12.", "I might trade my iphone for a pixel"),
        ("I drive a Honda Civic.", 'my brother said "I sold my civic" lol'),
        ("I drive a Tesla Model 3.", "my sister sold her tesla"),
        ("I do crossfit.", "my roommate gave up crossfit"),
        ("I do crossfit.", "I quit! this puzzle is impossible 😂"),
        ("I drive a Honda Civic.", "I still drive the civic"),
        ("I drive a Honda Civic.", "I'm in the car, talk later"),
        ("I drive a Honda Civic.", "I don't drive to work"),
        ("I play the cello.", "I played for 3 hours today, my fingers hurt"),
    ],
)
def test_talk_about_a_held_fact_changes_nothing(memory, held, turn):
    say(memory, held)
    before = stored(memory)
    result = say(memory, turn)
    assert [e for e, _, _ in changed(result) if e in (Event.UPDATE, Event.DELETE)] == []
    assert stored(memory) == before


def test_a_tie_between_held_facts_is_asked_not_applied(memory):
    say(memory, "I love pottery classes.", "I sell my pottery at the market.")
    before = stored(memory)
    result = say(memory, "I'm not into pottery anymore.")
    assert changed(result) == [] and stored(memory) == before
    assert [change.event for change in result.pending] == [Event.DELETE]
