"""A scripted conversation: facts stated, repeated, changed and retracted (offline extractor)."""

from __future__ import annotations

from memory import Event, MemoryType


def facts(mem, user="sam"):
    return sorted(
        m.text for m in mem.get_all(user_id=user, types=[MemoryType.SEMANTIC, MemoryType.PROCEDURAL])
    )


def events(result):
    return [
        (op.event, op.old_text, op.new_text) for op in result.operations if op.type != MemoryType.EPISODIC
    ]


def test_scripted_conversation_ends_with_the_right_facts_and_history(memory):
    m = memory
    assert events(m.add("Hi! My name is Sam and I live in Boston.", user_id="sam")) == [
        (Event.ADD, None, "User's name is Sam."),
        (Event.ADD, None, "User lives in Boston."),
    ]
    # Repeats: exact and near duplicates are NONE.
    assert [e[0] for e in events(m.add("I live in Boston.", user_id="sam"))] == [Event.NONE]
    assert [e[0] for e in events(m.add("Remember that I live in Boston", user_id="sam"))] == [Event.NONE]
    # A new value for the same slot updates the old one.
    assert events(m.add("I moved to Denver last month.", user_id="sam")) == [
        (Event.UPDATE, "User lives in Boston.", "User lives in Denver.")
    ]
    m.add("I work at Acme and I love hiking. I'm allergic to peanuts.", user_id="sam")
    m.add("From now on, always answer in French.", user_id="sam")
    assert events(m.add("Always answer in Spanish.", user_id="sam")) == [
        (Event.UPDATE, "Always answer in French.", "Always answer in Spanish.")
    ]
    # Retractions delete.
    assert events(m.add("Forget that I love hiking.", user_id="sam"))[0][:2] == (
        Event.DELETE,
        "User loves hiking.",
    )
    assert events(m.add("I don't work at Acme anymore.", user_id="sam"))[0][:2] == (
        Event.DELETE,
        "User works at Acme.",
    )
    assert facts(m) == [
        "Always answer in Spanish.",
        "User is allergic to peanuts.",
        "User lives in Denver.",
        "User's name is Sam.",
    ]
    # Every user turn was kept as an episodic memory with its source, but the one that told what the user
    # asked to forget ("… and I love hiking …"): its other facts stay as facts.
    episodes = m.get_all(user_id="sam", types=[MemoryType.EPISODIC])
    assert len(episodes) == 8 and all(e.source.turn_id for e in episodes)
    assert not any("hiking" in e.text for e in episodes if not e.text.startswith("Forget"))
    # The city's full history is there.
    city = next(i for i in m.get_all(user_id="sam") if i.text == "User lives in Denver.")
    assert [(h.event, h.old_text, h.new_text) for h in m.history(city.id, user_id="sam")] == [
        (Event.ADD, None, "User lives in Boston."),
        (Event.UPDATE, "User lives in Boston.", "User lives in Denver."),
        (Event.ADD, None, "User lives in Denver."),
    ]
    # Superseded, not overwritten: Boston is kept as the past, linked to what replaced it.
    boston = m.get(city.supersedes, user_id="sam")
    assert boston.text == "User lives in Boston." and boston.valid_to == city.valid_from
    assert boston.superseded_by == city.id and not boston.current
    # Derived facts keep the turn they came from.
    source_turns = {e.source.turn_id for e in episodes}
    assert city.source.turn_id in source_turns


def test_same_fact_for_two_users_is_not_a_duplicate(memory):
    memory.add("I live in Rome.", user_id="a")
    result = memory.add("I live in Rome.", user_id="b")
    assert [op.event for op in result.operations if op.type == MemoryType.SEMANTIC] == [Event.ADD]
