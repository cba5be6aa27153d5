"""Memory.add with the LLM extractor end to end: one request per add, operations land on the right
memories, bad model output never loses the turn, and targets outside the shown memories are refused."""

from __future__ import annotations

import re
from typing import Any

import pytest

from memory import Event, MemoryType
from tests.openai_server import OpenAIStubServer, Reply, is_extraction_request, last_user_text


def op(
    kind: str, text: str | None = None, target: str | None = None, kind_of: str = "semantic"
) -> dict[str, Any]:
    return {"op": kind, "type": kind_of, "text": text, "target": target, "entities": [], "relations": []}


def short_id_of(body: dict[str, Any], text: str) -> str:
    """The short id the prompt gave to the memory with this text."""
    match = re.search(rf"\b(m\d+) \[\w+\] {re.escape(text)}", last_user_text(body))
    assert match, last_user_text(body)
    return match.group(1)


@pytest.fixture
def server():
    with OpenAIStubServer() as server:
        yield server


@pytest.fixture
def mem(make_memory, server):
    return make_memory(llm={"base_url": server.base_url, "model": "stub", "timeout_s": 1.0, "max_retries": 0})


def test_one_request_per_add_and_updates_land_on_the_right_memory(mem, server):
    server.responder = lambda body: {
        "operations": [op("ADD", "User lives in Lisbon."), op("ADD", "User likes jazz.")]
    }
    mem.add("I live in Lisbon and I like jazz.", user_id="u")
    server.responder = lambda body: {"operations": [op("ADD", "User lives in Lisbon.")]}
    mem.add("I live in Lisbon.", user_id="other")  # same words, another user
    assert len(server.extraction_requests) == 2

    def move(body: dict[str, Any]) -> dict[str, Any]:
        return {
            "operations": [
                op("UPDATE", "User lives in Porto.", short_id_of(body, "User lives in Lisbon.")),
                op("DELETE", target=short_id_of(body, "User likes jazz.")),
            ]
        }

    server.responder = move
    result = mem.add("I moved to Porto and I'm done with jazz.", user_id="u")
    assert len(server.extraction_requests) == 3
    assert [
        (o.event, o.old_text, o.new_text) for o in result.operations if o.type != MemoryType.EPISODIC
    ] == [
        (Event.UPDATE, "User lives in Lisbon.", "User lives in Porto."),
        (Event.DELETE, "User likes jazz.", None),
    ]
    facts = sorted(m.text for m in mem.get_all(user_id="u", types=[MemoryType.SEMANTIC]))
    assert facts == ["User lives in Porto."]
    assert [m.text for m in mem.get_all(user_id="other", types=[MemoryType.SEMANTIC])] == [
        "User lives in Lisbon."
    ]


@pytest.mark.parametrize(
    "reply",
    [
        Reply(raw="{'operations': [ {'op': 'ADD', "),  # malformed, twice
        Reply(status=500, error="boom"),
        Reply(json={"operations": []}, delay=3.0),  # client timeout is 1 s
    ],
    ids=["malformed", "http-500", "timeout"],
)
def test_model_failures_keep_the_turn_and_say_so(mem, server, reply):
    server.responder = lambda body: reply
    result = mem.add("I live in Ghent.", user_id="u")
    assert result.warnings and all(w for w in result.warnings)
    kinds = {(o.event, o.type) for o in result.operations}
    assert (Event.ADD, MemoryType.EPISODIC) in kinds
    # The offline rules stood in: the fact is still there.
    assert "User lives in Ghent." in [m.text for m in mem.get_all(user_id="u", types=[MemoryType.SEMANTIC])]


def test_code_fenced_json_is_taken(mem, server):
    server.responder = lambda body: Reply(
        raw='```json\n{"operations": [{"op": "ADD", "type": "semantic", '
        '"text": "User owns a red bike.", "target": null}]}\n```'
    )
    result = mem.add("I own a red bike.", user_id="u")
    assert result.extractor == "llm" and not result.warnings
    assert [o.new_text for o in result.operations if o.type == MemoryType.SEMANTIC] == [
        "User owns a red bike."
    ]


def test_invented_ids_and_other_users_ids_are_refused(mem, server):
    server.responder = lambda body: {"operations": [op("ADD", "User lives in Oslo.")]}
    mem.add("I live in Oslo.", user_id="victim")
    victim_id = mem.get_all(user_id="victim", types=[MemoryType.SEMANTIC])[0].id
    server.responder = lambda body: {"operations": [op("ADD", "User likes tea.")]}
    mem.add("I like tea.", user_id="u")
    server.responder = lambda body: (
        {
            "operations": [
                op("DELETE", target=victim_id),
                op("UPDATE", "hijacked", "m9"),
                op("DELETE", target="m1"),
            ]
        }
        if is_extraction_request(body)
        else "ok"
    )
    result = mem.add("Whatever.", user_id="u")
    assert mem.get(victim_id, user_id="victim").text == "User lives in Oslo."
    assert result.warnings
    # m1 was a real memory shown to the model (u's own), so that DELETE is the only change allowed.
    changed = [o for o in result.operations if o.type != MemoryType.EPISODIC and o.event != Event.NONE]
    assert [(o.event, o.old_text) for o in changed] == [(Event.DELETE, "User likes tea.")]


def test_a_long_fact_told_again_is_not_stored_twice(mem, server):
    fact = (  # several sentences on several things: its stored vector is the mean of theirs
        "User works long hours and the quarterly report is due on Friday. "
        "User's manager keeps moving the deadlines around. "
        "User painted a sunset over the lake last weekend."
    )
    server.responder = lambda body: {"operations": [op("ADD", fact)]}
    first = mem.add(
        "I volunteer at the shelter on Saturdays, three years now; fostering next spring!", user_id="u"
    )
    again = mem.add("Like I said, Saturdays at the shelter, three years, fostering in spring.", user_id="u")
    facts = [o for o in first.operations + again.operations if o.type == MemoryType.SEMANTIC]
    assert [o.event for o in facts] == [Event.ADD, Event.NONE]
    assert [m.text for m in mem.get_all(user_id="u", types=[MemoryType.SEMANTIC])] == [fact]
