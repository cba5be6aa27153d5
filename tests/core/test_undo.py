"""Ask before overwriting, undo after: pending changes and undo through the public API, real stores.

The offline extractor marks a retraction matched by shared words only as a guess; the LLM path is a
real local OpenAI-protocol server whose reply carries a low confidence.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from memory import Event, MemoryType
from memory.errors import InvalidInputError, NotFoundError, StaleChangeError, StoreError, UndoError
from tests.openai_server import OpenAIStubServer, last_user_text

U = "ana"


def facts(mem, user: str = U, past: bool = False) -> list[str]:
    return sorted(m.text for m in mem.get_all(user_id=user, types=[MemoryType.SEMANTIC], include_past=past))


def changed(result) -> list:
    return [op for op in result.operations if op.type != MemoryType.EPISODIC and op.event != Event.NONE]


# -- asking ------------------------------------------------------------------------------------------
def held_pottery(memory) -> list[str]:
    """Two facts about pottery: "not into pottery anymore" could end either, so it is asked."""
    memory.add("I love pottery classes.", user_id=U)
    memory.add("I sell my pottery at the market.", user_id=U)
    return facts(memory)


def test_an_ambiguous_retraction_is_asked_not_applied(memory):
    before = held_pottery(memory)
    assert len(before) == 2, "each statement must give a fact"
    result = memory.add("I'm not into pottery anymore.", user_id=U)
    assert changed(result) == []
    assert facts(memory) == before  # nothing closed
    [change] = result.pending
    assert change.event == Event.DELETE
    assert change.question.startswith("You told me you ") and "no longer true" in change.question
    assert change.choices == ["apply", "ignore"]
    assert [c.id for c in memory.pending(U)] == [change.id]
    assert memory.pending("someone-else") == []

    applied = memory.apply(change.id, "apply", user_id=U)
    [gone] = applied.operations
    assert gone.event == Event.DELETE and gone.old_text in before
    assert facts(memory) == [t for t in before if t != gone.old_text]
    assert gone.old_text in facts(memory, past=True)  # closed, kept as the past
    assert memory.pending(U) == []
    with pytest.raises(StaleChangeError, match="already answered"):
        memory.apply(change.id, "apply", user_id=U)


def test_ignore_keeps_the_memory_and_bad_answers_are_refused(memory):
    before = held_pottery(memory)
    [change] = memory.add("I'm not into pottery anymore.", user_id=U).pending
    with pytest.raises(InvalidInputError, match="apply, ignore"):
        memory.apply(change.id, "keep_both", user_id=U)  # a retraction has nothing to keep beside
    with pytest.raises(InvalidInputError, match="Unknown answer"):
        memory.apply(change.id, "yes please", user_id=U)
    with pytest.raises(NotFoundError):
        memory.apply(change.id, "apply", user_id="mallory")  # another user cannot answer it
    assert memory.apply(change.id, "ignore", user_id=U).operations == []
    assert facts(memory) == before
    assert memory.pending(U) == []


def test_a_question_about_a_memory_that_changed_since_is_dropped(memory):
    held_pottery(memory)
    [change] = memory.add("I'm not into pottery anymore.", user_id=U).pending
    for pottery in memory.get_all(user_id=U, types=[MemoryType.SEMANTIC]):
        memory.delete(pottery.id, user_id=U)  # forgetting it also drops the question that quotes it
    assert memory.pending(U) == []
    with pytest.raises(NotFoundError):
        memory.apply(change.id, "apply", user_id=U)


# -- the LLM path: low confidence ------------------------------------------------------------------
def op(kind: str, text: str | None, target: str | None, confidence: float | None, city: str | None = None):
    relations = [{"subject": "User", "relation": "lives_in", "object": city}] if city else []
    return {
        "op": kind,
        "type": "semantic",
        "text": text,
        "target": target,
        "entities": [city] if city else [],
        "relations": relations,
        "confidence": confidence,
    }


def short_id(body: dict[str, Any], text: str) -> str:
    match = re.search(rf"\b(m\d+) \[\w+\] {re.escape(text)}", last_user_text(body))
    assert match, last_user_text(body)
    return match.group(1)


@pytest.fixture
def llm_memory(make_memory):
    with OpenAIStubServer() as server:
        settings = {"base_url": server.base_url, "model": "stub", "timeout_s": 5.0, "max_retries": 0}
        yield make_memory(llm=settings), server


def moved(confidence: float):
    return lambda body: {
        "operations": [
            op(
                "UPDATE",
                "User lives in Boulder.",
                short_id(body, "User lives in Denver."),
                confidence,
                "Boulder",
            )
        ]
    }


def test_a_low_confidence_update_from_the_llm_is_asked(llm_memory):
    mem, server = llm_memory
    server.responder = lambda body: {"operations": [op("ADD", "User lives in Denver.", None, 0.95, "Denver")]}
    mem.add("I live in Denver.", user_id=U)
    server.responder = moved(0.4)
    result = mem.add("Spent the whole week in Boulder, loving it.", user_id=U)
    assert changed(result) == []
    [change] = result.pending
    assert change.question == "You told me you live in Denver: did you move to Boulder?"
    assert change.choices == ["apply", "keep_both", "ignore"]
    assert facts(mem) == ["User lives in Denver."]

    both = mem.apply(change.id, "keep_both", user_id=U)
    assert [(o.event, o.new_text) for o in both.operations] == [(Event.ADD, "User lives in Boulder.")]
    assert facts(mem) == ["User lives in Boulder.", "User lives in Denver."]


def test_applying_an_asked_update_supersedes_and_a_sure_one_is_not_asked(llm_memory):
    mem, server = llm_memory
    server.responder = lambda body: {"operations": [op("ADD", "User lives in Denver.", None, 0.95, "Denver")]}
    mem.add("I live in Denver.", user_id=U)
    server.responder = moved(0.4)
    [change] = mem.add("Spent the week in Boulder.", user_id=U).pending
    [update] = mem.apply(change.id, "apply", user_id=U).operations
    assert (update.event, update.old_text, update.new_text) == (
        Event.UPDATE,
        "User lives in Denver.",
        "User lives in Boulder.",
    )
    assert update.undoable and update.id
    old = mem.get(update.previous_id, user_id=U)
    assert old.valid_to is not None and old.superseded_by == update.memory_id

    server.responder = lambda body: {"operations": [op("ADD", "User lives in Denver.", None, 0.95, "Denver")]}
    mem.add("Back to Denver.", user_id="bo")
    server.responder = moved(0.9)
    sure = mem.add("I moved to Boulder.", user_id="bo")
    assert sure.pending == [] and [o.event for o in changed(sure)] == [Event.UPDATE]


# -- undo --------------------------------------------------------------------------------------------
def test_undo_an_update_restores_the_previous_version(memory):
    memory.add("I live in Denver.", user_id=U)
    [update] = changed(memory.add("I moved to Boulder.", user_id=U))
    assert update.event == Event.UPDATE and update.undoable
    edges = {(e.object, e.valid_to is None) for e in memory.graph.edges(U)}
    assert ("Denver", False) in edges and ("Boulder", True) in edges

    done = memory.undo(update.id, user_id=U)
    assert {(o.event, o.reason) for o in done} == {(Event.DELETE, "undone"), (Event.ADD, "restored by undo")}
    assert facts(memory) == ["User lives in Denver."]
    assert facts(memory, past=True) == ["User lives in Denver."]  # the successor is gone, not past
    denver = memory.get(update.previous_id, user_id=U)
    assert denver.valid_to is None and denver.superseded_by is None
    assert [e.object for e in memory.graph.edges(U, include_past=False)] == ["Denver"]
    assert "Boulder" not in {e.object for e in memory.graph.edges(U)}
    assert memory.history(denver.id, user_id=U)[-1].reason == "restored by undo"
    with pytest.raises(UndoError, match="already undone"):
        memory.undo(update.id, user_id=U)
    # Once undone, the fact can change again as usual.
    [again] = changed(memory.add("I moved to Austin.", user_id=U))
    assert (again.event, again.old_text) == (Event.UPDATE, "User lives in Denver.")


def test_undo_a_retraction_reopens_and_a_forget_cannot_be_undone(memory):
    memory.add("I like jazz. I live in Denver.", user_id=U)
    [gone] = changed(memory.add("I don't like jazz anymore.", user_id=U))
    assert gone.event == Event.DELETE and gone.undoable
    memory.undo(gone.id, user_id=U)
    assert facts(memory) == ["User likes jazz.", "User lives in Denver."]

    [forgot] = changed(memory.add("Please forget that I like jazz.", user_id=U))
    assert forgot.event == Event.DELETE and not forgot.undoable
    with pytest.raises(UndoError, match="cannot be brought back"):
        memory.undo(forgot.id, user_id=U)
    assert facts(memory) == ["User lives in Denver."]


def test_undo_an_add_takes_the_memory_back_but_keeps_the_transcript(memory):
    memory.log_conversation([{"role": "user", "content": "I live in Denver."}], user_id=U, session_id="s")
    result = memory.add("I live in Denver.", user_id=U, session_id="s")
    episode = next(o for o in result.operations if o.type == MemoryType.EPISODIC)
    [fact] = changed(result)
    memory.undo(fact.id, user_id=U)
    memory.undo(episode.id, user_id=U)
    assert memory.get_all(user_id=U, include_past=True) == []
    assert [c for _, c, _ in memory.transcript("s", user_id=U)] == ["I live in Denver."]


def test_undo_refuses_what_a_later_change_built_on_and_other_users_ops(memory):
    memory.add("I live in Denver.", user_id=U)
    [first] = changed(memory.add("I moved to Boulder.", user_id=U))
    [second] = changed(memory.add("I moved to Austin.", user_id=U))
    with pytest.raises(UndoError, match="undo that change first"):
        memory.undo(first.id, user_id=U)
    assert facts(memory) == ["User lives in Austin."]  # nothing of the refused undo landed
    with pytest.raises(NotFoundError):
        memory.undo(second.id, user_id="mallory")
    with pytest.raises(InvalidInputError):
        memory.undo("", user_id=U)
    closing = [h for h in memory.history(first.previous_id, user_id=U) if h.event == Event.UPDATE]
    assert [h.operation_id for h in closing] == [first.id]  # the history row names its operation
    memory.undo(second.id, user_id=U)
    memory.undo(first.id, user_id=U)
    assert facts(memory) == ["User lives in Denver."]


def test_the_cli_asks_applies_and_undoes(tmp_path, capsys):
    from memory.cli import main

    def cli(*args: str) -> Any:
        assert main(["--data-dir", str(tmp_path / "cli"), "--json", *args]) == 0
        return json.loads(capsys.readouterr().out)

    cli("add", "--user", U, "I love pottery classes.")
    cli("add", "--user", U, "I sell my pottery at the market.")
    [change] = cli("add", "--user", U, "I'm not into pottery anymore.")["pending"]
    assert [p["id"] for p in cli("pending", "--user", U)] == [change["id"]]
    [gone] = cli("apply", "--user", U, change["id"], "apply")["operations"]
    assert cli("pending", "--user", U) == []
    assert [op["event"] for op in cli("undo", "--user", U, gone["id"])] == ["ADD"]
    assert sorted(m["text"] for m in cli("list", "--user", U, "--type", "semantic")) == [
        "User loves pottery classes.",
        "User sells their pottery at the market.",
    ]
    assert main(["--data-dir", str(tmp_path / "cli"), "undo", "--user", U, gone["id"]]) == 1
    assert "already undone" in capsys.readouterr().err


def test_an_undo_that_fails_midway_changes_nothing(memory):
    memory.add("I live in Denver.", user_id=U)
    [update] = changed(memory.add("I moved to Boulder.", user_id=U))
    memory.graph.close()  # the graph store fails from now on
    with pytest.raises(StoreError):
        memory.undo(update.id, user_id=U)
    assert facts(memory) == ["User lives in Boulder."]
    assert memory.get(update.previous_id, user_id=U).superseded_by == update.memory_id
    rows = memory.history(update.previous_id, user_id=U)
    assert "restored by undo" not in [h.reason for h in rows]


def test_undo_an_edit_restores_the_text(memory):
    memory.add("I live in Denver.", user_id=U)
    [fact] = memory.get_all(user_id=U, types=[MemoryType.SEMANTIC])
    memory.update(fact.id, "User lives in Denver, Colorado.", user_id=U)
    edit = memory.history(fact.id, user_id=U)[-1]
    assert edit.reason == "edited" and edit.operation_id
    [done] = memory.undo(edit.operation_id, user_id=U)
    assert (done.event, done.new_text) == (Event.UPDATE, "User lives in Denver.")
    assert memory.get(fact.id, user_id=U).text == "User lives in Denver."
    memory.update(fact.id, "User lives in Denver, CO.", user_id=U)
    first = memory.history(fact.id, user_id=U)[-1].operation_id
    memory.update(fact.id, "User lives in Denver (Colorado).", user_id=U)
    with pytest.raises(UndoError, match="edited again since"):
        memory.undo(first, user_id=U)
