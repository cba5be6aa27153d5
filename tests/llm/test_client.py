"""OpenAIChatLLM against the local server: replies, streams, JSON modes, usage and failures in words."""

from __future__ import annotations

import json
import threading

import pytest

from memory.config import LLMConfig, MemoryConfig
from memory.errors import ConfigError, LLMError, LLMResponseError, LLMTimeoutError
from memory.llm import OpenAIChatLLM, make_captioner, make_llm
from tests.llm.conftest import llm_for
from tests.openai_server import OpenAIStubServer, Reply

SCHEMA = {"title": "thing", "type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}
HELLO = [{"role": "user", "content": "hello"}]


def test_complete_returns_the_text_and_counts_usage(
    openai_server: OpenAIStubServer, llm: OpenAIChatLLM
) -> None:
    openai_server.queue(Reply(text="hi there"))
    assert llm.complete(HELLO) == "hi there"
    usage = llm.usage.snapshot()
    assert usage["requests"] == 1 and usage["completion_tokens"] == 2 and usage["prompt_tokens"] == 1
    body = openai_server.chat_requests[0]
    assert body["model"] == "stub" and body["messages"] == HELLO and "response_format" not in body


def test_stream_yields_pieces_and_counts_usage(openai_server: OpenAIStubServer, llm: OpenAIChatLLM) -> None:
    openai_server.queue(Reply(text="one two three four"))
    pieces = list(llm.stream(HELLO))
    assert len(pieces) == 4 and "".join(pieces) == "one two three four"
    assert openai_server.chat_requests[0]["stream"] is True
    assert llm.usage.snapshot() == {"requests": 1, "prompt_tokens": 1, "completion_tokens": 4}


def test_json_schema_is_sent_as_response_format(openai_server: OpenAIStubServer, llm: OpenAIChatLLM) -> None:
    openai_server.queue(Reply(json={"a": 1}))
    assert json.loads(llm.complete(HELLO, json_schema=SCHEMA)) == {"a": 1}
    fmt = openai_server.chat_requests[0]["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["schema"] == SCHEMA
    assert fmt["json_schema"]["name"] == "thing"


def test_auto_json_mode_steps_down_once_and_remembers() -> None:
    with OpenAIStubServer(reject_response_format=("json_schema",)) as server:
        llm = llm_for(server)
        server.queue(Reply(json={"a": 1}), Reply(json={"a": 2}))
        assert json.loads(llm.complete(HELLO, json_schema=SCHEMA)) == {"a": 1}
        assert json.loads(llm.complete(HELLO, json_schema=SCHEMA)) == {"a": 2}
        formats = [(b.get("response_format") or {}).get("type") for b in server.chat_requests]
        assert formats == ["json_schema", "json_object", "json_object"]
        assert llm.json_mode == "object"
        assert "JSON schema" in server.chat_requests[-1]["messages"][0]["content"]


def test_auto_json_mode_falls_back_to_prompt_instructions() -> None:
    with OpenAIStubServer(reject_response_format=("json_schema", "json_object")) as server:
        llm = llm_for(server)
        server.queue(Reply(json={"a": 1}))
        assert json.loads(llm.complete(HELLO, json_schema=SCHEMA)) == {"a": 1}
        assert llm.json_mode == "prompt"
        last = server.chat_requests[-1]
        assert "response_format" not in last and '"required":["a"]' in last["messages"][0]["content"]


def test_fixed_json_mode_does_not_step_down() -> None:
    with OpenAIStubServer(reject_response_format=("json_schema",)) as server:
        llm = llm_for(server, json_mode="schema")
        with pytest.raises(LLMError, match="HTTP 400"):
            llm.complete(HELLO, json_schema=SCHEMA)
        assert len(server.chat_requests) == 1


def test_server_error_is_an_llm_error_in_words(openai_server: OpenAIStubServer, llm: OpenAIChatLLM) -> None:
    openai_server.queue(Reply(status=500, error="model crashed"))
    with pytest.raises(LLMError) as info:
        llm.complete(HELLO)
    assert (
        str(info.value) == f"the language model at {openai_server.base_url} answered HTTP 500: model crashed"
    )


def test_timeout_names_the_server_and_the_limit(openai_server: OpenAIStubServer) -> None:
    llm = llm_for(openai_server, timeout_s=1.0)
    openai_server.queue(Reply(text="late", delay=3))
    with pytest.raises(LLMTimeoutError) as info:
        llm.complete(HELLO)
    assert str(info.value) == f"the language model at {openai_server.base_url} did not answer within 1 s"


def test_unreachable_server_is_an_llm_error() -> None:
    with OpenAIStubServer() as server:
        url = server.base_url
    llm = OpenAIChatLLM(LLMConfig(base_url=url, model="stub", max_retries=0, timeout_s=2))
    with pytest.raises(LLMError, match="could not be reached"):
        llm.complete(HELLO)


def test_truncated_stream_raises_llm_error(openai_server: OpenAIStubServer, llm: OpenAIChatLLM) -> None:
    openai_server.queue(Reply(text="one two three four five", truncate_after=3))
    received: list[str] = []
    with pytest.raises(LLMResponseError, match="closed the connection"):
        for piece in llm.stream(HELLO):
            received.append(piece)
    assert "".join(received) == "one two "


def test_truncated_plain_reply_raises_llm_error(openai_server: OpenAIStubServer, llm: OpenAIChatLLM) -> None:
    openai_server.queue(Reply(text="whatever", truncate_after=0))
    with pytest.raises(LLMError):
        llm.complete(HELLO)


def test_usage_counter_is_thread_safe(openai_server: OpenAIStubServer, llm: OpenAIChatLLM) -> None:
    threads = [threading.Thread(target=lambda: [llm.complete(HELLO) for _ in range(5)]) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert llm.usage.snapshot()["requests"] == 20


def test_make_llm_is_none_without_a_model_and_uses_a_placeholder_key() -> None:
    assert make_llm(LLMConfig()) is None
    llm = make_llm(LLMConfig(base_url="http://127.0.0.1:9/v1"))
    assert isinstance(llm, OpenAIChatLLM) and llm._client.api_key == "not-needed"


def test_openai_api_key_fills_the_config_only_for_openai_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    assert MemoryConfig().llm.api_key == "sk-test" and MemoryConfig().llm.enabled
    assert MemoryConfig(llm={"base_url": "http://127.0.0.1:9/v1"}).llm.api_key is None
    assert MemoryConfig(llm={"api_key": "sk-own"}).llm.api_key == "sk-own"


def test_caption_image_sends_the_image_to_the_vision_model(openai_server: OpenAIStubServer) -> None:
    caption = make_captioner(LLMConfig(base_url=openai_server.base_url, vision_model="eyes", max_retries=0))
    assert caption is not None
    openai_server.queue(Reply(text="  A red bicycle against a wall.  "))
    assert caption(b"\x89PNG fake", "image/png") == "A red bicycle against a wall."
    body = openai_server.chat_requests[0]
    assert body["model"] == "eyes"
    image = body["messages"][0]["content"][1]
    assert image["type"] == "image_url" and image["image_url"]["url"].startswith("data:image/png;base64,")


def test_no_captioner_without_a_vision_model(llm: OpenAIChatLLM) -> None:
    assert make_captioner(LLMConfig(base_url="http://127.0.0.1:9/v1")) is None
    with pytest.raises(ConfigError, match="vision_model"):
        llm.caption_image(b"x", "image/png")


def test_models_route_lists_the_stub_model(openai_server: OpenAIStubServer, llm: OpenAIChatLLM) -> None:
    assert [m.id for m in llm._client.models.list()] == ["stub"]


def test_calls_are_noted_for_the_thread_that_made_them(openai_server: OpenAIStubServer) -> None:
    from memory.llm.usage import recording

    llm = llm_for(openai_server)
    openai_server.queue(Reply(text="one two three"), Reply(json={"a": 1}))
    other: list = []
    with recording() as calls:
        assert "".join(llm.stream(HELLO)) == "one two three"
        llm.complete(HELLO, json_schema=SCHEMA)
        thread = threading.Thread(target=lambda: other.append(llm.complete(HELLO)))
        thread.start()
        thread.join()
    assert other  # the other thread's call happened, but is not this block's
    assert [c.purpose for c in calls.calls] == ["reply", "extraction"]
    assert (calls.calls[0].prompt_tokens, calls.calls[0].completion_tokens) == (1, 3)
    assert calls.calls[1].completion_tokens == len(json.dumps({"a": 1}).split())
    assert all(c.seconds > 0 for c in calls.calls)


def test_extraction_output_is_capped_per_turn(openai_server: OpenAIStubServer) -> None:
    from memory.llm.usage import recording

    llm = llm_for(openai_server, max_tokens=900, max_extraction_tokens=5)
    openai_server.queue(Reply(text="fine"), Reply(json={"a": 1, "b": "two words"}))
    llm.complete(HELLO)  # a reply call keeps max_tokens
    assert openai_server.chat_requests[-1]["max_tokens"] == 900
    with recording(extraction_budget=5):
        llm.complete(HELLO, json_schema=SCHEMA)  # the server reports 5 completion tokens
        assert openai_server.chat_requests[-1]["max_tokens"] == 5
        with pytest.raises(LLMError, match="max_extraction_tokens"):
            llm.complete(HELLO, json_schema=SCHEMA)
    assert len(openai_server.chat_requests) == 2  # the spent budget asked nothing of the server


def test_cost_is_computed_only_when_the_model_has_a_price() -> None:
    from memory.llm.usage import LLMCall, summarise

    calls = [LLMCall("reply", 1_000, 500, 0.5), LLMCall("reply", 3_000, 500, 0.25)]
    free = summarise(calls, LLMConfig(base_url="http://127.0.0.1:1/v1"))
    assert (free.calls, free.prompt_tokens, free.completion_tokens, free.seconds) == (2, 4_000, 1_000, 0.75)
    assert free.cost_usd is None
    priced = summarise(calls, LLMConfig(price_in_per_mtok=0.15, price_out_per_mtok=0.6))
    assert priced.cost_usd == pytest.approx((4_000 * 0.15 + 1_000 * 0.6) / 1e6)
