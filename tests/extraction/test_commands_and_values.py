"""Forgetting and ending rules by what the user calls them, values the user owns, and a replacement named
with "now", on a real Memory (real stores), as a person would type them."""

from __future__ import annotations

from memory.types import Event, MemoryType
from tests.extraction.said import stored


def rules(memory, user: str = "u") -> list[str]:
    return sorted(m.text for m in memory.get_all(user_id=user) if m.type == MemoryType.PROCEDURAL)


def test_a_named_value_of_the_users_own_is_kept_and_forgotten_by_what_it_is(memory):
    memory.add("My address is 14 Elm Street.", user_id="u")
    assert stored(memory) == ["User's address is 14 Elm Street."]
    result = memory.add("Delete my home address from your memory, please.", user_id="u")
    assert [op.old_text for op in result.by_event(Event.DELETE)] == ["User's address is 14 Elm Street."]
    assert stored(memory) == []


def test_states_and_relatives_are_not_values_of_the_users_own(memory):
    memory.add("I drive a Honda Civic.", user_id="u")
    for said in ("my car's on its last legs lol", "My son is 5 years old.", "my sister is moving to Glasgow"):
        result = memory.add(said, user_id="u")
        assert not result.by_event(Event.UPDATE) and not result.by_event(Event.DELETE), said
    assert stored(memory) == ["User drives a Honda Civic."]


def test_a_subjectless_favorite_or_fan_clause_is_the_users(memory):
    memory.add("fav pokemon is gengar", user_id="u")
    memory.add("lifelong Packers fan", user_id="u")
    assert stored(memory) == ["User is a Packers fan.", "User's favorite pokemon is gengar."]


def test_work_as_names_a_job_whatever_the_noun(memory):
    memory.add("I work as a dental hygienist", user_id="u")
    assert stored(memory) == ["User works as a dental hygienist."]


def test_a_rule_is_ended_by_stopping_it_or_forgetting_it_by_name(memory):
    memory.add("Always answer me in French.", user_id="u")
    memory.add("use metric units with me, always", user_id="u")
    assert rules(memory) == ["Always answer me in French.", "Use metric units with me always."]
    result = memory.add("you can stop answering in French now", user_id="u")
    assert [op.old_text for op in result.by_event(Event.DELETE)] == ["Always answer me in French."]
    memory.add("forget the metric rule", user_id="u")
    assert rules(memory) == []

    memory.add("from now on answer in Spanish please", user_id="u")
    result = memory.add("actually, forget the Spanish thing, English is fine", user_id="u")
    assert [op.old_text for op in result.by_event(Event.DELETE)] == ["Answer in Spanish."]  # not asked
    assert rules(memory) == []


def test_stop_calling_me_with_the_new_name_replaces_the_naming_rule(memory):
    memory.add("call me Sam", user_id="u")
    result = memory.add("stop calling me Sam, it's Samantha", user_id="u")
    assert [(op.old_text, op.new_text) for op in result.by_event(Event.UPDATE)] == [
        ("Call me Sam.", "Call me Samantha.")
    ]
    memory.add("stop calling me Samantha", user_id="u")
    assert rules(memory) == []
    memory.add("call me sweetie", user_id="v")  # a lower-case word after it is no name
    result = memory.add("stop calling me sweetie, it's annoying", user_id="v")
    assert [op.old_text for op in result.by_event(Event.DELETE)] == ["Call me sweetie."]
    assert rules(memory, "v") == []


def test_a_forget_with_nothing_held_about_it_changes_nothing(memory):
    memory.add("I work at Intel.", user_id="u")
    result = memory.add("ignore my last message", user_id="u")
    assert not result.by_event(Event.DELETE)
    assert stored(memory) == ["User works at Intel."]
    # An order to forget that names nothing held says so, instead of leaving the user to believe it.
    result = memory.add("please forget my email address", user_id="u")
    assert result.warnings == [
        "Nothing I remember matched “please forget my email address”, so nothing was forgotten."
    ]
    assert memory.add("I deleted my facebook account", user_id="u").warnings == []


def test_a_thing_named_with_now_replaces_what_ended_but_a_state_or_another_activity_does_not(memory):
    memory.add("I use Windows.", user_id="u")
    result = memory.add("ditched windows, on linux mint full time now", user_id="u")
    assert [(op.old_text, op.new_text) for op in result.by_event(Event.UPDATE)] == [
        ("User uses Windows.", "User uses Linux Mint.")
    ]
    memory.add("I work at Acme.", user_id="v")
    result = memory.add("left acme, unemployed now", user_id="v")
    assert not result.by_event(Event.UPDATE)
    memory.add("I do CrossFit five days a week.", user_id="w")
    result = memory.add("stopped going to crossfit. swimming laps instead", user_id="w")
    assert not any("Laps" in (op.new_text or "") for op in result.by_event(Event.UPDATE))


def test_an_email_is_one_value_and_forgotten_by_name(memory):
    memory.add("my email is lena.k@example.org", user_id="u")
    assert stored(memory) == ["User's email is lena.k@example.org."]
    memory.add("forget my email", user_id="u")
    assert stored(memory) == []


def test_stop_with_the_thing_a_rule_asks_for_ends_it(memory):
    memory.add("from now on answer in bullet points with me", user_id="u")
    result = memory.add("you can stop with the bullet points now", user_id="u")
    assert [op.old_text for op in result.by_event(Event.DELETE)] == ["Answer in bullet points with me."]
    assert rules(memory) == []
