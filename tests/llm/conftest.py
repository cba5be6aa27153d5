"""Fixtures for the LLM path: a real local OpenAI-protocol server, scripted per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from memory.config import LLMConfig
from memory.llm import OpenAIChatLLM
from tests.openai_server import OpenAIStubServer


@pytest.fixture(autouse=True)
def _no_real_openai_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


@pytest.fixture
def openai_server() -> Iterator[OpenAIStubServer]:
    with OpenAIStubServer() as server:
        yield server


def llm_for(server: OpenAIStubServer, **overrides: object) -> OpenAIChatLLM:
    settings = {"base_url": server.base_url, "model": "stub", "timeout_s": 5.0, "max_retries": 0} | overrides
    return OpenAIChatLLM(LLMConfig(**settings))


@pytest.fixture
def llm(openai_server: OpenAIStubServer) -> OpenAIChatLLM:
    return llm_for(openai_server)
