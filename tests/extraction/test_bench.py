"""The extraction benchmark stays runnable: a few corpus cases on real stores, scored as documented."""

from __future__ import annotations

from memory.bench import extraction
from memory.bench.extraction import Case, GoldOp, load, matches, run_cases, score
from memory.types import Event, Operation


def test_corpus_is_large_split_and_mostly_labelled_as_documented():
    cases = load()
    assert len(cases) >= 300
    assert {c.split for c in cases} == {"dev", "test"}
    assert sum(not c.gold for c in cases) / len(cases) >= 0.4
    assert all(c.split == ("test" if int(c.id[1:]) % 2 else "dev") for c in cases)


def test_matching_needs_the_event_and_every_key_phrase():
    gold = GoldOp(event=Event.UPDATE, old="Acme Robotics", new="Globex")
    good = Operation(
        event=Event.UPDATE, old_text="User works at Acme Robotics.", new_text="User works at Globex."
    )
    assert matches(good, gold)
    assert not matches(good.model_copy(update={"event": Event.ADD}), gold)
    assert not matches(good.model_copy(update={"old_text": "User works at Acme."}), gold)
    extra, missed = score([good, good], [gold])
    assert extra == [good] and missed == []


def test_a_few_cases_run_on_a_real_memory(make_memory):
    by_id = {c.id: c for c in load()}
    cases = [by_id[i] for i in ("x001", "x003", "x004", "x005")]
    cases.append(
        Case(id="y1", split="dev", mood="question", prior=["I live in Boston."], turn="Where do I live?")
    )
    memory = make_memory(graph_store={"enabled": False})
    result = run_cases(cases, memory)
    assert result["cases"] == 5 and result["must_change_nothing"] == 2
    assert result["destructive_from_non_assertive"] == 0
    for event in ("ADD", "UPDATE", "DELETE"):
        assert set(result[event]) == {"tp", "fp", "fn", "precision", "recall"}
    assert result["UPDATE"]["tp"] == 1 and result["DELETE"]["tp"] == 1
    assert extraction.NON_ASSERTIVE >= {"question", "hypothetical", "quote"}


def test_the_second_tuning_set_is_its_own_split():
    cases = load(extraction.DEV2)
    assert len(cases) >= 200 and {c.split for c in cases} == {"dev2"}
    assert [c.id for c in cases] == [f"d{i:03d}" for i in range(1, len(cases) + 1)]
    unchanged = [c for c in cases if not c.gold]
    assert len(unchanged) / len(cases) >= 0.4 and all(c.prior for c in unchanged)


def test_a_key_word_matches_its_inflected_forms_but_not_another_word():
    gold = GoldOp(event=Event.DELETE, old="coach")
    assert matches(Operation(event=Event.DELETE, old_text="User coaches their son's soccer team."), gold)
    assert not matches(Operation(event=Event.DELETE, old_text="User rides the coachella bus."), gold)
    assert not matches(Operation(event=Event.DELETE, old_text="User is a stagecoach driver."), gold)
    assert matches(
        Operation(event=Event.DELETE, old_text="User lives at 190 Elm St."),
        GoldOp(event=Event.DELETE, old="190"),
    )
    assert not matches(
        Operation(event=Event.DELETE, old_text="User weighs 1900 g."), GoldOp(event=Event.DELETE, old="190")
    )


def test_plan_memories_are_counted_apart_from_facts(make_memory):
    memory = make_memory(graph_store={"enabled": False})
    cases = [
        Case(id="p1", split="dev", mood="plan", turn="I'm going to move to Denver next spring", gold=[]),
        Case(
            id="p2",
            split="dev",
            mood="plan",
            turn="I'm going to learn the cello",
            gold=[GoldOp(event=Event.ADD, new="cello")],
        ),
    ]
    result = run_cases(cases, memory)
    assert result["plan_memories"] == {"plan_turns": 2, "on_plan_turns": 2, "elsewhere": 0}
    assert result["ADD"]["tp"] == result["ADD"]["fp"] == result["ADD"]["fn"] == 0
