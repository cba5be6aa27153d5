"""Changes of life told in everyday words, on a real Memory (real stores): a shift, a diet broken, an
engagement, a birthday, a car traded in, a house sold for another; endings that name no ending word (between
jobs, a pet put down, a doctor's decision); and the sentences that only sound like them."""

from __future__ import annotations

import pytest

from memory.types import Event
from tests.extraction.said import semantic, stored, told_after, updates_after


@pytest.mark.parametrize(
    ("held", "said", "now"),
    [
        ("I work nights.", "im on days now finally", "User works days."),
        ("I'm vegan.", "eating meat again, doctor's orders", "User eats meat."),
        (
            "I'm vegan.",
            "I've had to start eating fish again, my iron was through the floor",
            "User eats fish.",
        ),
        ("My girlfriend is Priya.", "PRIYA SAID YES 💍 we're engaged!!!", "User is engaged to Priya."),
        ("I have a boyfriend named Tom.", "Tom and I got married on saturday", "User is married to Tom."),
        ("I'm 29.", "it's my 30th birthday today!", "User is 30 years old."),
        ("I drive a Honda Civic.", "traded in the civic for a used Prius", "User drives a Prius."),
        ("I drive a Ford Focus.", "bought a new car, a Mazda 3", "User's car is a Mazda 3."),
        (
            "I live in Scottsdale.",
            "We sold the house in Scottsdale and have moved to a retirement community in Sun City.",
            "User lives in Sun City.",
        ),
        (
            "I have a Samsung Galaxy S21.",
            "finally got a new phone, the Pixel 8 Pro",
            "User's phone is the Pixel 8 Pro.",
        ),
        ("I'm single.", "I have a girlfriend now! her name's Mia", "User's girlfriend is named Mia."),
        ("I'm a nurse.", "I've been promoted to ward manager", "User works as a ward manager."),
        ("I'm a teacher.", "I'm a headteacher now", "User works as a headteacher."),
        ("I take sertraline.", "I'm on fluoxetine now instead of sertraline", "User takes fluoxetine."),
        (
            "My favourite band is Radiohead.",
            "honestly my favourite band these days is Wet Leg",
            "User's favorite band is Wet Leg.",
        ),
        (
            "I live in Ohio.",
            "We have sold the house in Ohio and purchased a condominium in Sarasota.",
            "User lives in Sarasota.",
        ),
    ],
)
def test_a_change_told_in_everyday_words_updates_the_held_fact(memory, held, said, now):
    before, updates = updates_after(memory, held, said)
    assert updates == [(before, now)]
    assert semantic(memory) == [now]


@pytest.mark.parametrize(
    ("held", "said"),
    [
        ("I work at Google.", "I'm between jobs at the moment"),
        ("I work at Google.", "currently out of work. any tips for interviews?"),
        ("I take metformin.", "the doctor took me off metformin"),
        ("I have a dog named Max.", "we had to put Max down last week"),
        ("I have a dog named Max.", "had to say goodbye to Max yesterday 💔"),
        ("I have a cat named Luna.", "RIP Luna, 2009-2024"),
        ("I work at Microsoft.", "today was my last day at Microsoft!"),
    ],
)
def test_an_ending_said_without_an_ending_word_closes_the_held_fact(memory, held, said):
    before, result = told_after(memory, held, said)
    assert [op.old_text for op in result.by_event(Event.DELETE)] == [before]
    assert before not in semantic(memory)


@pytest.mark.parametrize(
    ("held", "said"),
    [
        ("I work at Google.", "my husband is out of work"),
        ("I work at Google.", "I'm out of work at 5 today"),
        ("I have a dog named Max.", "I said goodbye to Max at the airport"),
        ("I have a dog named Max.", "I put Max down for a nap"),
        ("I'm vegan.", "my wife eats meat"),
        ("I'm vegan.", "I had a burger by accident lol"),
        ("I'm vegetarian.", "I'm eating meat tonight for the first time in years"),
        ("I'm pescatarian.", "I eat fish now"),
        ("My girlfriend is Priya.", "my sister got engaged"),
        ("I'm single.", "my sister has a boyfriend named Joe"),
        ("I work at Microsoft.", "my last day at Microsoft is friday"),
        ("I take sertraline.", "should I take fluoxetine instead of sertraline?"),
        ("I use an iPhone 12.", "my mum got a new phone, a Pixel 9"),
        ("I live in Bristol.", "I've left Bristol for a week to see family"),
    ],
)
def test_what_only_sounds_like_a_change_keeps_the_held_fact(memory, held, said):
    before, result = told_after(memory, held, said)
    assert not result.by_event(Event.UPDATE) and not result.by_event(Event.DELETE)
    assert before in semantic(memory)


@pytest.mark.parametrize(
    ("said", "facts"),
    [
        ("I've been a software engineer for 10 years", ["User works as a software engineer."]),
        ("I moved here from Brazil 3 years ago", ["User is from Brazil."]),
        ("we finally made the move to Bristol last weekend!", ["User lives in Bristol."]),
        ("I've taken up pottery", ["User took up pottery."]),
        ("my wife and I just had our first baby, a girl called Lily", ["User's daughter is named Lily."]),
        ("I work nights", ["User works nights."]),
        (
            "I work nights as a nurse at St Mary's",
            ["User works as a nurse.", "User works at St Mary's.", "User works nights."],
        ),
        ("I work day and night", []),
        ("I'm unemployed now", ["User is unemployed."]),
    ],
)
def test_what_a_life_update_stores_when_nothing_is_held(memory, said, facts):
    memory.add(said, user_id="u")
    assert stored(memory) == facts
