"""Life updates told the way people tell them, on a real Memory (real stores): a thing stolen, sold or
lost, a relative who died, an employer that let the user go, a list of things quit, a replacement said in
the same breath; and what only sounds like an ending."""

from __future__ import annotations

import pytest

from memory.types import Event
from tests.extraction.said import facts_around, semantic, updates_after


@pytest.mark.parametrize(
    ("held", "said", "gone"),
    [
        (["My mother is named Carol."], "my mum passed away on sunday, it was peaceful", "User's mother"),
        (["I ride a Vespa."], "someone nicked my vespa from the car park 😡", "Vespa"),
        (["I own a house in Croydon."], "the house sold! finally", "house"),
        (["I work at Lloyds."], "so Lloyds let a bunch of us go on friday", "Lloyds"),
        (["I take sertraline."], "finished tapering off sertraline last week 🙌", "sertraline"),
        (["I have a cat named Mochi."], "Mochi, she passed last week, she was 17", "Mochi"),
        (["I play tennis.", "I go to yoga on Mondays."], "quit tennis and yoga, no time", "tennis"),
        (["I work at Acme."], "ugh I lost my job today", "Acme"),
        (["I work at Acme."], "got laid off this morning, still in shock", "Acme"),
        (["I care for my mother full-time."], "mum passed away on tuesday. she went peacefully", "mother"),
        (["My farm dog is Duke."], "Lost Duke to old age Tuesday. Buried him under the oak.", "Duke"),
    ],
)
def test_an_ending_told_casually_closes_the_held_fact(memory, held, said, gone):
    for fact in held:
        memory.add(fact, user_id="u")
    result = memory.add(said, user_id="u")
    assert any(gone in (op.old_text or "") for op in result.by_event(Event.DELETE))
    assert not any(gone in fact for fact in semantic(memory))


def test_every_thing_of_a_list_that_was_quit_is_ended(memory):
    memory.add("I play tennis.", user_id="u")
    memory.add("I go to yoga on Mondays.", user_id="u")
    memory.add("quit tennis and yoga, no time", user_id="u")
    assert semantic(memory) == []


@pytest.mark.parametrize(
    ("held", "said", "now"),
    [
        ("I have a Kindle.", "lost my kindle on the train 😩 got a Kobo instead", "Kobo"),
        ("I drive a Vauxhall Corsa.", "the corsa's gone, scrapped it, and I got a Kia Picanto", "Picanto"),
    ],
)
def test_an_ending_and_its_replacement_in_one_turn_are_one_update(memory, held, said, now):
    memory.add(held, user_id="u")
    result = memory.add(said, user_id="u")
    assert [now in (op.new_text or "") for op in result.by_event(Event.UPDATE)] == [True]
    assert not result.by_event(Event.DELETE)


@pytest.mark.parametrize(
    ("held", "said"),
    [
        ("My wife is named Anna.", "my wife's meeting is over"),
        ("I live in Leeds.", "my friend lost her house in Leeds"),
        ("I have a cat named Mochi.", "Mochi, she is fine lol"),
        ("I ride a Vespa.", "my brother's vespa got nicked"),
        ("I drink coffee every morning.", "ugh I'm out of coffee"),
        ("I have Bruins season tickets.", "the bruins tickets sold out in minutes"),
    ],
)
def test_what_only_sounds_like_an_ending_ends_nothing(memory, held, said):
    before, after = facts_around(memory, [held], said)
    assert after == before


@pytest.mark.parametrize(
    ("held", "said", "now"),
    [
        ("I work at Acme.", "I'm retired now, loving the free time", "User retired from Acme."),
        ("I am a Navy officer.", "retired from the navy after 24 yrs", "User retired as a Navy officer."),
        (  # a formal opener is no request
            "I work at Honeywell.",
            "Please be advised that I have recently retired from my position at Honeywell.",
            "User retired from Honeywell.",
        ),
    ],
)
def test_retiring_keeps_the_job_as_the_past(memory, held, said, now):
    before, updates = updates_after(memory, held, said)
    assert updates == [(before, now)]
    assert semantic(memory) == [now]


@pytest.mark.parametrize(
    "said",
    [
        "my dad just retired from Acme",
        "thinking about retiring next year",
        "my brother got laid off today",
        "what if I lost my job?",
    ],
)
def test_someone_elses_or_a_planned_or_asked_job_loss_changes_nothing(memory, said):
    memory.add("I work at Acme.", user_id="u")
    memory.add(said, user_id="u")
    assert semantic(memory) == ["User works at Acme."]


@pytest.mark.parametrize(
    ("said", "facts"),
    [
        ("My boyfriend is Chris.", ["User's boyfriend is named Chris."]),
        ("my partner's called Aoife", ["User's partner is named Aoife."]),
        ("my wife is Italian", []),
        ("my son is 5", []),
        ("my little brother is Sam", ["User's brother is named Sam."]),
        ("our rescue cat Mochi is asleep on my keyboard", ["User's cat is named Mochi."]),
        ("my work wife is Jen", []),
        ("I look after my dad most days", ["User cares for their dad."]),
        ("I care for my plants", []),
    ],
)
def test_a_relative_named_plainly(memory, said, facts):
    memory.add(said, user_id="u")
    assert semantic(memory) == facts


def test_a_break_up_after_an_opener_ends_the_partner(memory):
    memory.add("My girlfriend is Sam.", user_id="u")
    memory.add("just so you know sam and i split", user_id="u")
    assert semantic(memory) == []


@pytest.mark.parametrize(
    ("held", "said", "now"),
    [
        ("I am single.", "met someone 🥰 her name's Noor, 2 months in", "User is dating Noor."),
        (
            "I am single.",
            "not single anymore 😏 been seeing this guy Marcus for a month",
            "User is dating Marcus.",
        ),
        (
            "My girlfriend is Sam.",
            "sam and i split, and I'm seeing someone called Ellis now",
            "User is dating Ellis.",
        ),
        ("I am engaged.", "Marco and I got married in June!!", "User is married."),
        ("I am vegetarian.", "bestie i'm literally vegan now 🌱 day 3", "User is vegan."),
        ("I am vegetarian.", "I have gone fully vegan since New Year.", "User is vegan."),
        # "I've been …" is the diet too, and a verbless "fully vegetarian now" after a clause about the user.
        (
            "I've been pescatarian since January",
            "I don't eat fish anymore, fully vegetarian now",
            "User is vegetarian.",
        ),
    ],
)
def test_a_new_partner_or_diet_replaces_the_held_one(memory, held, said, now):
    before, updates = updates_after(memory, held, said)
    assert updates == [(before, now)]
    assert semantic(memory) == [now]


@pytest.mark.parametrize("said", ["my sister is dating a guy named Ravi", "should I go vegan?"])
def test_someone_elses_partner_or_a_question_changes_nothing(memory, said):
    before, after = facts_around(memory, ["I am single.", "I am vegetarian."], said)
    assert after == before


@pytest.mark.parametrize(
    ("said", "facts"),
    [
        (
            "For your records: I am a chartered accountant, employed by Grant Thornton in Birmingham.",
            ["User works as a chartered accountant.", "User works at Grant Thornton."],
        ),
        ("day job is sound engineer at the BBC", ["User works as a sound engineer."]),
        ("went back to work as a teaching assistant at the school", ["User works as a teaching assistant."]),
        ("I'm working as a dentist", ["User works as a dentist."]),
        (
            "I am from Brazil but I am living in Lisbon since 2020 and working as a dentist.",
            ["User is from Brazil.", "User lives in Lisbon.", "User works as a dentist."],
        ),
        # Without the article, as some say it; a job not on the list's first page.
        (
            "I changed work, now I am warehouse worker at Amazon, since two weeks.",
            ["User works as a warehouse worker.", "User works at Amazon."],
        ),
        ("left the café, i'm a postman now lol, up at 4 every day", ["User works as a postman."]),
        ("I'm the owner", []),
        ("I'm not a doctor", []),
        ("still an engineer, different stack", []),
    ],
)
def test_a_job_said_in_other_words(memory, said, facts):
    memory.add(said, user_id="u")
    assert semantic(memory) == facts


@pytest.mark.parametrize(
    ("held", "said", "now"),
    [
        (
            "I work as a security guard.",
            "left security, got a civil service job at the MOD",
            "User works at MOD.",
        ),
        (
            "I work at Bosch.",
            "Since last month I am not anymore at Bosch, I work now for Siemens",
            "User works at Siemens.",
        ),
    ],
)
def test_a_new_job_replaces_the_one_that_ended(memory, held, said, now):
    before, updates = updates_after(memory, held, said)
    assert updates == [(before, now)]


def test_an_employer_left_for_freelance_work_is_ended_not_replaced(memory):
    memory.add("I work at Acme.", user_id="u")
    result = memory.add("No longer at Acme. I'm a freelance designer now.", user_id="u")
    assert [op.old_text for op in result.by_event(Event.DELETE)] == ["User works at Acme."]
    assert semantic(memory) == ["User works as a freelance designer."]


def test_someone_elses_new_job_changes_nothing(memory):
    memory.add("I work at Acme.", user_id="u")
    memory.add("my wife got a new engineering job at Google", user_id="u")
    assert semantic(memory) == ["User works at Acme."]


@pytest.mark.parametrize(
    ("said", "facts"),
    [
        ("neuro started me on Aimovig, monthly injection", ["User takes Aimovig."]),
        ("my GP put me on sertraline last month", ["User takes sertraline."]),
        ("my mum's doctor put me on hold for an hour", []),
        ("they put me on Nights this month", []),
    ],
)
def test_a_medicine_a_doctor_started(memory, said, facts):
    memory.add(said, user_id="u")
    assert semantic(memory) == facts


def test_a_doctor_switching_a_medicine_is_one_update(memory):
    memory.add("I take metformin.", user_id="u")
    result = memory.add(
        "doc switched me off metformin onto ozempic, week 2 and the nausea is REAL", user_id="u"
    )
    assert [(op.old_text, op.new_text) for op in result.by_event(Event.UPDATE)] == [
        ("User takes metformin.", "User takes ozempic.")
    ]


@pytest.mark.parametrize(
    ("held", "said", "left"),
    [
        (["I live in Glasgow.", "I like jazz."], "forget what i said about glasgow", ["User likes jazz."]),
        (
            ["I take lithium.", "I have bipolar disorder.", "I like jazz."],
            "pls forget I told you about the bipolar thing and the lithium. not comfortable with it being saved",
            ["User likes jazz."],
        ),
        (
            ["I work at Procter & Gamble.", "I like jazz."],
            "Kindly remove all stored information regarding my employer, Procter & Gamble.",
            ["User likes jazz."],
        ),
        (
            ["My salary is 45k.", "I work at Capita.", "I like jazz."],
            "delete the salary thing pls, and where I work. shouldn't have shared that",
            ["User likes jazz."],
        ),
        (
            ["I earn 85k a year.", "I like jazz."],
            "actually delete the salary stuff",
            ["User likes jazz."],
        ),
        (
            ["My address is 4 Baker Street.", "My phone number is 555-0134.", "I like jazz."],
            "I would be grateful if you could delete my home address and telephone number from your records.",
            ["User likes jazz."],
        ),
        (["I am pregnant.", "I like jazz."], "can you wipe the pregnancy info for now", ["User likes jazz."]),
        (
            ["I work at Barnes and Noble.", "I like jazz."],
            "would you kindly forget Barnes and Noble",
            ["User likes jazz."],
        ),
    ],
)
def test_forgetting_said_in_other_words_forgets_each_thing_named(memory, held, said, left):
    for fact in held:
        memory.add(fact, user_id="u")
    memory.add(said, user_id="u")
    assert semantic(memory) == left


def test_a_quote_of_what_the_user_said_is_no_order_to_forget(memory):
    memory.add("I live in Glasgow.", user_id="u")
    memory.add("my sister said I should forget about Glasgow", user_id="u")
    assert semantic(memory) == ["User lives in Glasgow."]


def test_away_for_a_while_is_no_move(memory):
    memory.add("I live in Chicago.", user_id="u")
    memory.add("not in chicago this week, visiting my folks in ohio", user_id="u")
    assert "User lives in Chicago." in semantic(memory)


def test_a_learners_word_order_still_says_where_the_user_lives_and_comes_from(memory):
    memory.add("I am since 2019 living in Toronto, originally I come from Stuttgart", user_id="u")
    assert semantic(memory) == ["User is from Stuttgart.", "User lives in Toronto."]


@pytest.mark.parametrize(
    ("said", "now"),
    [
        ("moved. bristol.", "User lives in Bristol."),
        ("jayden and i broke up. moved back to my mum's in Grimsby", "User lives in Grimsby."),
        ("I now reside at 14 Elm Road, Reading.", "User lives in Reading."),
        ("we finally bought a house. Dover!", "User lives in Dover."),
        ("I'm actually in Edinburgh not Glasgow", "User lives in Edinburgh."),
        ("now I am shifted to Bangalore with the same company", "User lives in Bangalore."),
        ("we split up. im in an apartment in davis now", "User lives in Davis."),
    ],
)
def test_a_move_to_a_named_town_replaces_the_home_however_it_is_said(memory, said, now):
    assert updates_after(memory, "I live in Glasgow.", said) == (
        "User lives in Glasgow.",
        [("User lives in Glasgow.", now)],
    )


@pytest.mark.parametrize(
    "said",
    [
        "moved the meeting to Friday, flying to Paris",
        "moved in with Tyler last month",
        "moved on from all that. went to Paris for the weekend",
        "moved in june. Tyler is in Bristol",
        "we moved the sofa into the spare room, off to Leeds tomorrow",
        "moved the business over to Leeds, rent was killing me",
    ],
)
def test_a_town_named_near_a_move_that_is_not_one_changes_no_home(memory, said):
    assert updates_after(memory, "I live in Glasgow.", said)[1] == []
    assert "User lives in Glasgow." in semantic(memory)


@pytest.mark.parametrize(
    "said",
    [
        "new job at Datadog! starting my 3rd week",
        "got hired by Datadog 🎉",
        "accepted the Datadog offer, started monday",
    ],
)
def test_a_new_employer_said_in_passing_replaces_the_held_one(memory, said):
    assert updates_after(memory, "I work at Shopify.", said)[1] == [
        ("User works at Shopify.", "User works at Datadog.")
    ]
    assert "User started monday." not in semantic(memory)


@pytest.mark.parametrize(
    "said",
    [
        "my brother got hired by Datadog",
        "I accepted the offer from my boss to stay",
        "should I accept the Datadog offer?",
    ],
)
def test_someone_elses_job_or_an_offer_not_taken_keeps_the_employer(memory, said):
    assert updates_after(memory, "I work at Shopify.", said)[1] == []


@pytest.mark.parametrize(
    ("held", "said", "gone"),
    [
        (
            "I am allergic to shellfish.",
            "good news: allergist says I'm not allergic to shellfish after all!!",
            "shellfish",
        ),
        (
            "I have asthma.",
            "My pulmonologist says I no longer have asthma, which is wonderful news.",
            "asthma",
        ),
        (
            "I take blood pressure tablets.",
            "the doc says I don't need the blood pressure tablets anymore!!",
            "tablets",
        ),
    ],
)
def test_a_doctors_word_that_a_condition_is_gone_ends_it(memory, held, said, gone):
    memory.add(held, user_id="u")
    result = memory.add(said, user_id="u")
    assert any(gone in (op.old_text or "") for op in result.by_event(Event.DELETE))


def test_what_someone_else_says_of_the_user_stays_theirs(memory):
    memory.add("I am a night owl.", user_id="u")
    memory.add("my mum says I'm not a night owl anymore lol", user_id="u")
    assert semantic(memory) == ["User is a night owl."]


@pytest.mark.parametrize(
    "said",
    [
        "I would like you to know that I'm vegan.",
        "you should know I'm vegan",
        "I'd like you to know I am vegan",
    ],
)
def test_a_formal_opener_is_no_wish_and_no_request(memory, said):
    memory.add(said, user_id="u")
    assert semantic(memory) == ["User is vegan."]


@pytest.mark.parametrize(
    ("said", "facts"),
    [
        ("I speak Tagalog at home and English at work", ["User speaks Tagalog.", "User speaks English."]),
        ("I'm type 1 diabetic", ["User is type 1 diabetic."]),
        ("I've been sober four years this month.", ["User is sober."]),
        ("art student at Central Saint Martins", ["User is an art student at Central Saint Martins."]),
        ("I'm a sophomore at Michigan", ["User is a sophomore at Michigan."]),
        ("student at heart lol", []),
    ],
)
def test_languages_health_and_schools_said_with_their_details(memory, said, facts):
    memory.add(said, user_id="u")
    assert sorted(semantic(memory)) == sorted(facts)


@pytest.mark.parametrize(
    ("held", "said", "after"),
    [
        # a statement said with a rising voice is still the user's news
        (["I'm vegetarian."], "um so I've gone fully vegan now? like since new year", ["User is vegan."]),
        ([], "I kinda like mushrooms now?", ["User likes mushrooms."]),
        # a modal makes it a question again
        (["I work at Acme."], "I should quit my job?", ["User works at Acme."]),
        # the user and someone close move together
        (["I live in Lyon."], "My wife and me moved to Grenoble in September.", ["User lives in Grenoble."]),
        (["I live in Lyon."], "me and my girlfriend moved to Annecy", ["User lives in Annecy."]),
        (["I live in Lyon."], "my brother and his wife moved to Paris", ["User lives in Lyon."]),
        # a thing of a kind one has one at a time, said "now" without "I'm"
        (["I use VS Code."], "fully on neovim now, lazy.nvim config", ["User uses Neovim."]),
        (["I drive a Honda Civic."], "a tesla now lol", ["User drives a Tesla."]),
        (["I go to the gym every morning."], "I'm at the gym rn", ["User goes to the gym every morning."]),
        # a medicine taken is not the successor of an allergy ended
        (
            ["I'm allergic to penicillin."],
            "not allergic to penicillin after all. new thing tho: on levothyroxine for my thyroid now",
            ["User takes levothyroxine."],
        ),
        # a medicine named as people name it: a brand, with or without "I'm"
        ([], "I'm on Lexapro now, it's helping", ["User takes Lexapro."]),
        ([], "been on Ozempic since march", ["User takes Ozempic."]),
        ([], "I'm on a train, can't talk", []),
        # what the user is at heart is not their job
        (
            [],
            "I'm a teacher at heart but I work in sales",
            ["User is a teacher at heart.", "User works in sales."],
        ),
    ],
)
def test_statements_as_people_type_them(memory, held, said, after):
    _, now = facts_around(memory, held, said)
    assert sorted(now) == sorted(after)


def test_a_state_said_now_is_no_new_value_of_a_held_fact(memory):
    _, now = facts_around(
        memory, ["I'm married to Sarah.", "I own a house in Kent."], "divorced now. house sold."
    )
    assert not any("Divorced" in fact or "a divorced" in fact for fact in now), now
