"""Assistant over a real Memory (real stores in tmp_path) and the local OpenAI-protocol server."""

from __future__ import annotations

from typing import Any

import pytest

from memory import Memory
from memory.assistant import Assistant
from memory.prompts import NO_LLM_LABEL
from memory.types import Event, MemoryType
from tests.openai_server import OpenAIStubServer, Reply, is_extraction_request, last_user_text, system_text

FRENCH_RULE = "Always answer in French."


def scripted(body: dict[str, Any]) -> Reply:
    """Extraction: a rule when the user asks for French, else nothing. Chat: a fixed reply."""
    if is_extraction_request(body):
        said = last_user_text(body)
        if "French" in said.split("NEW MESSAGE from the user:")[-1]:
            rule = {"op": "ADD", "type": "procedural", "text": FRENCH_RULE, "target": None}
            return Reply(json={"operations": [rule | {"entities": ["French"], "relations": []}]})
        return Reply(json={"operations": []})
    return Reply(text="Rome is the capital of Italy.")


@pytest.fixture
def server() -> OpenAIStubServer:
    with OpenAIStubServer(scripted) as server:
        yield server


@pytest.fixture
def online(make_memory, server: OpenAIStubServer) -> Memory:
    return make_memory(llm={"base_url": server.base_url, "model": "stub", "timeout_s": 2.0, "max_retries": 0})


@pytest.fixture
def assistant(online: Memory):
    with Assistant(online) as assistant:
        yield assistant


def test_a_rule_stated_in_one_turn_steers_the_next_reply(
    assistant: Assistant, online: Memory, server: OpenAIStubServer
) -> None:
    first = assistant.turn("From now on always answer in French.", user_id="ana", session_id="s1")
    first.reply()
    result = first.wait_write(timeout=30)
    assert result is not None and result.extractor == "llm"
    assert any(op.event == Event.ADD and op.type == MemoryType.PROCEDURAL for op in result.operations)

    second = assistant.turn("What is the capital of Italy?", user_id="ana", session_id="s1")
    assert [rule.text for rule in second.rules] == [FRENCH_RULE]
    assert second.reply() == "Rome is the capital of Italy."
    system = system_text(server.reply_requests[-1])
    assert "Rules the user has set for you" in system and FRENCH_RULE in system
    second.wait_write(timeout=30)
    assert len(server.extraction_requests) == 2


def test_memories_are_retrieved_before_streaming_and_reach_the_prompt(
    assistant: Assistant, online: Memory, server: OpenAIStubServer
) -> None:
    online.add("I live in Lisbon.", user_id="bo", infer=False)
    history = [{"role": "user", "content": "Hi!"}, {"role": "assistant", "content": "Hello Bo."}]
    chat = assistant.turn(
        "Where do I live?",
        user_id="bo",
        session_id="s",
        history=history,
        attachments_text="ticket.txt: LIS-OPO",
    )
    assert chat.memories and "Lisbon" in chat.memories[0].text and chat.retrieval_ms > 0
    assert server.reply_requests == []  # nothing is asked of the model before stream()
    pieces = list(chat.stream())
    assert len(pieces) > 1 and "".join(pieces) == chat.text
    messages = server.reply_requests[0]["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    # Memories reach the model as quoted data in the last user message, never in the system message.
    assert (
        "I live in Lisbon." in messages[-1]["content"] and "episodic · chat turn" in messages[-1]["content"]
    )
    assert "I live in Lisbon." not in messages[0]["content"]
    assert "ticket.txt: LIS-OPO" in messages[-1]["content"]
    written = chat.wait_write(timeout=30)
    assert written is not None and written.operations


def test_without_a_language_model_it_answers_from_memory(make_memory) -> None:
    offline = make_memory("offline")
    offline.add("I live in Lisbon.", user_id="cy", infer=False)
    with Assistant(offline) as assistant:
        assert assistant.offline
        chat = assistant.turn("Where do I live?", user_id="cy", session_id="s")
        text = chat.reply()
        assert text.startswith(NO_LLM_LABEL) and "I live in Lisbon." in text
        result = chat.wait_write(timeout=30)
    assert result is not None
    stored = [m.text for m in offline.get_all(user_id="cy")]
    assert "Where do I live?" in stored and not any(NO_LLM_LABEL in t for t in stored)


def test_a_temporary_chat_writes_nothing(
    assistant: Assistant, online: Memory, server: OpenAIStubServer
) -> None:
    chat = assistant.turn("From now on always answer in French.", user_id="di", remember=False)
    assert chat.reply() == "Rome is the capital of Italy."
    assert chat.write is None and chat.wait_write(timeout=5) is None
    assistant.close()
    assert online.get_all(user_id="di") == [] and server.extraction_requests == []


@pytest.mark.parametrize(
    ("reply", "words", "partial"),
    [
        (Reply(status=500, error="model crashed"), "answered HTTP 500: model crashed", ""),
        (Reply(text="slow", delay=4), "did not answer within 2 s", ""),
        (Reply(text="Rome is the capital", truncate_after=3), "closed the connection", "Rome is "),
    ],
    ids=["http-500", "timeout", "truncated-stream"],
)
def test_model_failures_end_the_stream_in_words_and_the_turn_is_kept(
    assistant: Assistant, online: Memory, server: OpenAIStubServer, reply: Reply, words: str, partial: str
) -> None:
    server.queue(reply)
    chat = assistant.turn("What is the capital of Italy?", user_id="ed", session_id="s")
    text = "".join(chat.stream())
    assert text == chat.text and text.startswith(partial)
    assert "⚠️ The language model could not be reached: the language model at" in text
    assert words in text and chat.error and words in chat.error
    assert chat.wait_write(timeout=30) is not None
    stored = [m.text for m in online.get_all(user_id="ed")]
    assert "What is the capital of Italy?" in stored and not any("⚠️" in t for t in stored)


def test_a_stream_abandoned_part_way_still_remembers_the_turn(
    assistant: Assistant, online: Memory, server: OpenAIStubServer
) -> None:
    chat = assistant.turn("What is the capital of Italy?", user_id="fa")
    stream = chat.stream()
    assert next(stream) + next(stream) == "Rome is "
    stream.close()
    assert chat.done and chat.text == "Rome is "
    assert chat.wait_write(timeout=30) is not None


def test_the_next_turn_waits_for_a_slow_write_of_the_previous_one(make_memory) -> None:
    """No explicit wait: a rule whose extraction takes a second still steers the very next reply."""

    def slow(body: dict[str, Any]) -> Reply:
        reply = scripted(body)
        return Reply(json=reply.json, delay=1.0) if is_extraction_request(body) else reply

    with OpenAIStubServer(slow) as server:
        mem = make_memory(
            llm={"base_url": server.base_url, "model": "stub", "timeout_s": 5.0, "max_retries": 0}
        )
        with Assistant(mem) as assistant:
            assistant.turn("From now on always answer in French.", user_id="ana", session_id="s").reply()
            second = assistant.turn("What is the capital of Italy?", user_id="ana", session_id="s")
            assert [rule.text for rule in second.rules] == [FRENCH_RULE]


def test_a_giant_paste_is_answered_and_remembered_whole(make_memory) -> None:
    """A 1 MB message: no exception, a reply, the opening kept as the turn and the whole text searchable."""
    mem = make_memory()
    filler = "The quarterly figures were discussed at length in the meeting. " * 16_000
    message = "Please keep these meeting notes. " + filler + "The vault combination is 5521."
    assert len(message) > 1_000_000
    with Assistant(mem) as assistant:
        turn = assistant.turn(message, user_id="u", session_id="s")
        assert turn.reply().startswith(NO_LLM_LABEL)
        result = turn.wait_write(timeout=120)
    assert result is not None and not result.warnings
    episode = mem.get_all(user_id="u", types=[MemoryType.EPISODIC], filters={"source_kind": "chat"})
    assert (
        len(episode) == 1
        and "stored whole as pasted text" in episode[0].text
        and len(episode[0].text) < 1_200
    )
    hit = mem.search("What is the vault combination?", user_id="u", limit=3)[0]
    assert "5521" in hit.text and hit.memory.source.file_name.startswith("pasted text")


def test_each_turn_has_a_receipt_with_reply_and_extraction_apart(
    make_memory, server: OpenAIStubServer
) -> None:
    priced = make_memory(
        "priced",
        llm={
            "base_url": server.base_url,
            "model": "stub",
            "timeout_s": 5.0,
            "max_retries": 0,
            "price_in_per_mtok": 2.0,
            "price_out_per_mtok": 8.0,
        },
    )
    with Assistant(priced) as assistant:
        turn = assistant.turn("From now on always answer in French.", user_id="ana", session_id="s1")
        turn.reply()
        result = turn.wait_write(timeout=30)
        receipt = turn.receipt
    reply_body, extraction_body = server.reply_requests[-1], server.extraction_requests[-1]
    assert receipt.reply.calls == 1 and receipt.reply.completion_tokens == len(turn.text.split())
    assert receipt.reply.prompt_tokens == sum(len(m["content"].split()) for m in reply_body["messages"])
    assert result.usage is not None and result.usage == receipt.extraction
    assert receipt.extraction.calls == 1 and receipt.extraction.prompt_tokens == sum(
        len(m["content"].split()) for m in extraction_body["messages"]
    )
    assert extraction_body["max_tokens"] == priced.config.llm.max_extraction_tokens
    expected = (
        (receipt.reply.prompt_tokens + receipt.extraction.prompt_tokens) * 2.0
        + (receipt.reply.completion_tokens + receipt.extraction.completion_tokens) * 8.0
    ) / 1e6
    assert receipt.cost_usd == pytest.approx(expected)
    assert receipt.operations == {"ADD": 2}  # the turn itself and the rule
    line = receipt.line()
    assert line.startswith("retrieval ") and "memory: 2 added" in line
    assert f"reply: {receipt.reply.prompt_tokens:,} tokens in, {receipt.reply.completion_tokens} out" in line
    assert "extraction: " in line and line.endswith(f"${expected:.4f}")


def test_without_a_model_the_receipt_says_no_llm(memory: Memory) -> None:
    with Assistant(memory) as assistant:
        turn = assistant.turn("I live in Porto.", user_id="zé")
        assert "memory: " in turn.receipt.line()
        turn.reply()
        result = turn.wait_write(timeout=30)
        receipt = turn.receipt
    assert result.usage is None and receipt.reply is None and receipt.extraction is None
    assert receipt.line().endswith("no LLM") and "added" in receipt.line()


def test_a_turn_past_the_writer_deadline_is_kept_as_said(online: Memory, server: OpenAIStubServer) -> None:
    from memory.writer import TurnWriter

    with Assistant(online, writer=TurnWriter(deadline_s=0.0)) as assistant:
        turn = assistant.turn("From now on always answer in French.", user_id="ana")
        turn.reply()
        result = turn.wait_write(timeout=30)
    assert server.extraction_requests == []
    assert [op.new_text for op in result.operations] == ["From now on always answer in French."]
    assert any("without looking for facts" in w for w in result.warnings)


def test_a_fact_that_ended_with_nothing_in_its_place_is_shown_as_the_past(make_memory) -> None:
    offline = make_memory("offline")
    offline.add("I work at Acme Robotics as a QA engineer and I live in Leeds.", user_id="sam")
    offline.add("got laid off this morning, still in shock", user_id="sam")
    offline.add("I moved to Sheffield.", user_id="sam")
    with Assistant(offline) as assistant:
        work = assistant.turn("Where do I work?", user_id="sam", session_id="s", remember=False)
        ended = [h.memory for h in work.memories if not h.memory.current]
        assert [m.text for m in ended] == ["User works at Acme Robotics."]
        assert "until" in work.reply() and "User works at Acme Robotics." in work.reply()
        home = assistant.turn("Where do I live?", user_id="sam", session_id="s", remember=False)
        # Leeds was replaced by Sheffield: the current fact answers, the past stays out of it
        assert all(h.memory.current for h in home.memories)
        assert "Sheffield" in home.reply()


def test_an_ended_fact_leads_the_answer_where_it_ranked(make_memory) -> None:
    offline = make_memory("offline")
    offline.add("hi, I'm Sam. I'm married to Gareth and I work at Infosys", user_id="sam")
    offline.add("gareth and me are seperated now, he moved out in may", user_id="sam")
    with Assistant(offline) as assistant:
        turn = assistant.turn("who is my husband?", user_id="sam", session_id="s", remember=False)
        reply = turn.reply()
    assert "From what I remember: **User is married to Gareth.** — but you told me on" in reply
    assert "User's name is Sam." not in reply.split("\n- also")[0]


def test_memories_that_matter_too_little_are_neither_used_nor_shown(make_memory) -> None:
    offline = make_memory("offline")
    for said in [
        "hey! im Dana, vegetarian for years, I live in Lyon",
        "I moved to Grenoble.",
        "what do I eat?",
        "where do I live?",
        "Should I quit my job?",  # indexed with the turn before it, "where do I live?"
    ]:
        offline.add(said, user_id="dana", session_id="s0")
    with Assistant(offline) as assistant:
        found = {
            h.memory.text: h for h in offline.search("where did I live before?", user_id="dana", limit=8)
        }
        turn = assistant.turn("where did I live before?", user_id="dana", session_id="s", remember=False)
        used = [h.memory.text for h in turn.memories]
        assert "User lives in Grenoble." in used
        # found by the words of the turn before it alone, and far in meaning: not used
        asked = found["Should I quit my job?"]
        assert "keyword" in asked.matched_by and (asked.similarity or 0) < 0.3
        assert "Should I quit my job?" not in used and "what do I eat?" not in used
        assert "where do I live?" in used  # an earlier question close in meaning is still used
        # An earlier order to forget, as it is kept, tells nothing remembered: neither used nor shown.
        offline.add("I live in Paris.", user_id="dana", session_id="s0")
        offline.add("please forget that I live in Paris", user_id="dana", session_id="s0")
        turn = assistant.turn("please forget where I work", user_id="dana", session_id="s", remember=False)
        assert not [h for h in turn.memories if "forget" in h.memory.text], turn.memories
        offline.add("I had to remove my wisdom tooth in May.", user_id="dana", session_id="s0")
        turn = assistant.turn(
            "when did I have my wisdom tooth out?", user_id="dana", session_id="s", remember=False
        )
        assert "I had to remove my wisdom tooth in May." in [h.memory.text for h in turn.memories]
        assert "I had to remove my wisdom tooth in May." in turn.reply()  # and offered as remembered


def test_what_do_you_know_about_me_lists_the_users_facts(make_memory) -> None:
    """No search ranks "what do you know about me?" near the facts (they share no words with it): the
    answer lists the user's current facts in the order they were told, with the rules, and uses no
    chat turn, no fact that no longer holds and no file's knowledge."""
    offline = make_memory("offline")
    offline.add("hey, I'm Dana. I just moved to Lisbon for a new job at Farfetch", user_id="dana")
    offline.add("I'm vegetarian but I eat fish sometimes", user_id="dana")
    offline.add("actually I work at Revolut now, not Farfetch", user_id="dana")
    offline.add("Always answer in British English.", user_id="dana")
    offline.ingest(b"The museum opens at 10am on Sundays.", user_id="dana", filename="museum.txt")
    offline.add("I live in Oslo.", user_id="someone else")
    with Assistant(offline) as assistant:
        for question in ("what do you know about me?", "Tell me everything you know about me", "who am I?"):
            chat = assistant.turn(question, user_id="dana", session_id="s")
            text = chat.reply()
            chat.wait_write(timeout=30)
            used = {hit.memory.text for hit in chat.memories}
            assert used == {
                "User's name is Dana.",
                "User lives in Lisbon.",
                "User works at Revolut.",
                "User is vegetarian.",
                "User eats fish sometimes.",
            }, used
            lines = text.splitlines()
            start = lines.index("Here is what I know about you:")
            assert lines[start + 1 : start + 3] == ["- Your name is Dana.", "- You live in Lisbon."]
            assert "- You work at Revolut." in lines and "Farfetch" not in text and "Oslo" not in text
            assert "Rules you have given me: Always answer in British English." in text
        # A question about one thing is still a search.
        chat = assistant.turn("what do you know about Lisbon?", user_id="dana", session_id="s")
        assert "Here is what I know about you" not in chat.reply()
        assert chat.memories[0].memory.text == "User lives in Lisbon."


def test_what_do_you_know_about_me_with_nothing_known_says_so(make_memory) -> None:
    offline = make_memory("offline")
    with Assistant(offline) as assistant:
        text = assistant.turn("what do you know about me?", user_id="new", session_id="s").reply()
    assert "I don't remember anything related to that yet." in text
