"""The personal details a user tells an assistant in passing, on a real Memory (real stores): a pet's or
a child's name wherever it is said, where the user was born and comes from, health conditions,
languages, and a partner named by a casual word. What only sounds like one stores nothing."""

from __future__ import annotations

import pytest

from memory.types import Event
from tests.extraction.said import facts_around, semantic, stored, updates_after


@pytest.mark.parametrize(
    ("said", "facts"),
    [
        # A pet named in the next clause, by a breed, or by "our".
        ("we got a puppy last week, her name is Biscuit", ["User's puppy is named Biscuit."]),
        ("I adopted a rescue greyhound called Pippa", ["User's greyhound is named Pippa."]),
        ("got a kitten yesterday and named him Pickles", ["User's kitten is named Pickles."]),
        ("our cat Mochi knocked my coffee over again", ["User's cat is named Mochi."]),
        (
            "so tired today lol. also fyi i got a corgi!! his name is Noodle",
            ["User's corgi is named Noodle."],
        ),
        # A list that goes on to a being of another kind: the name is the last one's alone.
        (
            "Hi! I'm Sam, I have two kids, Leo and Mia, and a golden retriever called Biscuit",
            [
                "User has a child named Leo.",
                "User has a child named Mia.",
                "User has two kids.",
                "User's name is Sam.",
                "User's retriever is named Biscuit.",
            ],
        ),
        ("I have a cat, and a dog called Rex", ["User has a cat.", "User's dog is named Rex."]),
        ("I have a daughter, and a son named Tom", ["User has a daughter.", "User's son is named Tom."]),
        ("we adopted a second cat, a tabby called Miso", ["User's cat is named Miso."]),
        # A second present verb after "and" is the user's too; a student is one, not a job.
        (
            "I live in Bristol and work as a paramedic",
            ["User lives in Bristol.", "User works as a paramedic."],
        ),
        ("I live in Leeds and work at Asda", ["User lives in Leeds.", "User works at Asda."]),
        ("my brother lives in Leeds and works at Asda", []),
        ("I'm a nursing student", ["User is a nursing student."]),
        # Chat filler is no part of a value; a plan after "but" leaves the fact before it.
        ("i'm allergic to penicillin fyi", ["User is allergic to penicillin."]),
        ("i drive a 2015 golf but thinking of getting an EV", ["User drives a 2015 golf."]),
        # An introduction in fragments: a name, an age, a job without "I'm".
        (
            "Hey there! Name's Priya, 34, software engineer in Berlin",
            ["User is 34 years old.", "User works as a software engineer.", "User's name is Priya."],
        ),
        (
            "hi! I'm Tomasz, civil engineer, based in Warsaw",
            ["User lives in Warsaw.", "User works as a civil engineer.", "User's name is Tomasz."],
        ),
        # Children by name.
        (
            "We have two kids: Jonah (7) and Ruth (4).",
            ["User has a child named Jonah.", "User has a child named Ruth.", "User has two kids."],
        ),
        ("my kids are Maya and Theo", ["User has a child named Maya.", "User has a child named Theo."]),
        # Origin and birth.
        ("I am from Ghana originally", ["User is from Ghana."]),
        ("I was born in 1984", ["User was born in 1984."]),
        ("i was born in lagos but grew up in leeds", ["User was born in Lagos."]),
        ("I've been a widower since 2019", ["User is a widower."]),
        # Health.
        ("I have type 1 diabetes", ["User has type 1 diabetes."]),
        ("I was diagnosed with ADHD last year", ["User has ADHD."]),
        ("I've got asthma and eczema, fyi", ["User has asthma.", "User has eczema."]),
        ("I'm hard of hearing", ["User is hard of hearing."]),
        # Languages.
        ("I'm fluent in Spanish and Portuguese", ["User speaks Portuguese.", "User speaks Spanish."]),
        # A partner by a casual word.
        ("me and my bf Devin are doing a cooking class", ["User's boyfriend is named Devin."]),
        # Only sounds like one.
        ("I have a meeting at 3", []),
        ("I have a feeling it'll rain", []),
        ("my friend's dog is called Rex", []),
        ("I was born to do this job lol", []),
        ("I have two kids. Seriously.", ["User has two kids."]),
        ("I play bass, a band called The Lilacs", ["User plays bass."]),
    ],
)
def test_what_a_detail_stores(memory, said, facts):
    memory.add(said, user_id="u")
    assert stored(memory) == facts


@pytest.mark.parametrize(
    ("held", "said", "now"),
    [
        # A new home named inside what the user moved into.
        (
            "I live in Tucson.",
            "We sold the house and moved to a retirement community in Green Valley.",
            "User lives in Green Valley.",
        ),
        ("I live in Leeds.", "we moved out of leeds to a village near york", "User lives in York."),
        ("I live with my parents.", "finally got my own flat in Sheffield!!", "User lives in Sheffield."),
        (
            "I live in Austin.",
            "Austin → Denver as of last week, the altitude is no joke",
            "User lives in Denver.",
        ),
        ("I live in Denver.", "moved. denver -> boise. boxes everywhere", "User lives in Boise."),
        # An age said without "I'm".
        ("I'm 34.", "had my birthday yesterday, officially 35 😬", "User is 35 years old."),
        ("I'm 28.", "29 as of today, cheers", "User is 29 years old."),
    ],
)
def test_a_new_home_or_age_said_casually_updates_the_held_one(memory, held, said, now):
    before, updates = updates_after(memory, held, said)
    assert updates == [(before, now)]
    assert now in semantic(memory) and before not in semantic(memory)


@pytest.mark.parametrize(
    "said",
    [
        "we drove Austin → Denver last weekend, what a trip",  # a trip, not a move
        "my sister moved to a flat in Glasgow",  # someone else's
        "I'm officially 35 minutes late lol",
        "29 as of today, the count of unread emails",
    ],
)
def test_what_only_looks_like_a_move_or_an_age_changes_nothing(memory, said):
    before, after = facts_around(memory, ["I live in Austin.", "I'm 34."], said)
    assert after == before


@pytest.mark.parametrize(
    ("said", "facts"),
    [
        # A casual tail is no part of the fact.
        (
            "ok lot going on. i got diagnosed with asthma so i have an inhaler now ugh",
            ["User has an inhaler.", "User has asthma."],
        ),
        # "quit", "split up", "cut out": the past, not a habit ("User quits…", "User splits up…").
        ("we split up in august", []),
        ("quit chick fil a", ["User quit chick fil a."]),
        ("I split my time between London and Paris", ["User splits their time between London and Paris."]),
        # An aside in brackets is not a clause of its own.
        (
            "started as a junior analyst at KPMG (part time while i finish at ucla)",
            ["User started as a junior analyst at KPMG."],
        ),
    ],
)
def test_what_a_casual_clause_stores(memory, said, facts):
    memory.add(said, user_id="u")
    assert stored(memory) == facts


def test_cutting_out_a_held_habit_ends_it(memory):
    memory.add("I drink energy drinks every day.", user_id="u")
    result = memory.add("also cut out the energy drinks, 3 weeks now", user_id="u")
    assert [op.old_text for op in result.by_event(Event.DELETE)] == ["User drinks energy drinks every day."]
    assert semantic(memory) == []


def test_a_kind_of_place_typed_casually_is_not_capitalised_as_a_name(memory):
    memory.add("I work at Blue Bottle.", user_id="u")
    memory.add("im a line cook at a bistro now, left blue bottle", user_id="u")
    assert "User works at a bistro." in semantic(memory)


@pytest.mark.parametrize(
    ("held", "said", "now"),
    [
        # Numbers and addresses are one of each: a new one replaces the old.
        ("I weigh 190 pounds.", "down to 82kg!! I weigh 82 kg now", ["User weighs 82 kg."]),
        ("I make 40k a year", "got a raise, I'm on 45k now", ["User earns 45k.", "User got a raise."]),
        ("My phone number ends in 4471.", "my number is 07700 900123", ["User's number is 07700 900123."]),
        (
            "I live at 22 Baker Lane.",
            "my address is 14 Elm Street, Leeds",
            ["User's address is 14 Elm Street."],
        ),
        (
            "my email is sam@example.com",
            "my email address is sam@hey.com",
            ["User's email address is sam@hey.com."],
        ),
    ],
)
def test_a_new_detail_replaces_the_old(memory, held, said, now):
    before, after = facts_around(memory, [held], said)
    assert len(before) == 1 and after == now


@pytest.mark.parametrize(
    ("said", "left"),
    [
        ("forget my phone number", ["User lives at 22 Baker Lane.", "User weighs 190 pounds."]),
        (
            "dont store my weight, remove it",
            ["User lives at 22 Baker Lane.", "User's phone number is 07700 900123."],
        ),
        (
            "I would be grateful if you could delete my home address and telephone number from your records.",
            ["User weighs 190 pounds."],
        ),
        (
            "what's my phone number?",
            [
                "User lives at 22 Baker Lane.",
                "User weighs 190 pounds.",
                "User's phone number is 07700 900123.",
            ],
        ),
    ],
)
def test_forgetting_a_detail_by_its_topic(memory, said, left):
    _, after = facts_around(
        memory, ["I weigh 190 pounds.", "My phone number is 07700 900123.", "I live at 22 Baker Lane."], said
    )
    assert after == left


@pytest.mark.parametrize(
    ("said", "facts"),
    [
        ("i don't drink, so no wine pairings pls", ["User doesn't drink."]),
        ("I don't drive", ["User doesn't drive."]),
        ("I don't drive at night", []),  # when, not whether
        ("my dad doesn't drive", []),
        ("I'm the main carer for my dad, he's got Parkinson's.", ["User cares for their dad."]),
        ("I work from home in Galway, remote for a US company", ["User lives in Galway."]),
        ("I now reside at 14 Elm Road, Reading.", ["User lives at 14 Elm Road."]),
        # What follows "so" asks for something; the fact is what comes before it.
        ("I'm Muslim so no pork or alcohol in recipes please", ["User is Muslim."]),
    ],
)
def test_how_the_user_lives(memory, said, facts):
    memory.add(said, user_id="u")
    assert semantic(memory) == facts


def test_never_doing_something_ends_the_held_habit_of_the_same_verb(memory):
    before, after = facts_around(
        memory,
        ["I drink wine most nights.", "I drink coffee every morning", "I drive a Skoda Octavia."],
        "i don't drink, so no wine pairings pls",
    )
    assert "User drinks wine most nights." in before
    # Not drinking is about alcohol: the coffee stays.
    assert after == [
        "User doesn't drink.",
        "User drinks coffee every morning.",
        "User drives a Skoda Octavia.",
    ]


def test_never_eating_one_thing_ends_only_that(memory):
    _, after = facts_around(memory, ["I eat meat most days", "I eat fish on fridays"], "I don't eat meat")
    assert after == ["User doesn't eat meat.", "User eats fish on fridays."]
