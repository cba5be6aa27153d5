"""The chat-model interface every backend implements, and its thread-safe usage counter."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

Message = dict[str, Any]  # {"role": "system" | "user" | "assistant", "content": str | list}


@dataclass
class Usage:
    """Requests made and tokens the server reported; safe to update from several threads."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def record(self, prompt_tokens: int | None = 0, completion_tokens: int | None = 0) -> None:
        with self._lock:
            self.requests += 1
            self.prompt_tokens += prompt_tokens or 0
            self.completion_tokens += completion_tokens or 0

    def add_tokens(self, prompt_tokens: int | None, completion_tokens: int | None) -> None:
        """Tokens reported after the request was counted (the last chunk of a stream)."""
        with self._lock:
            self.prompt_tokens += prompt_tokens or 0
            self.completion_tokens += completion_tokens or 0

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return {
                "requests": self.requests,
                "prompt_tokens": self.prompt_tokens,
                "completion_tokens": self.completion_tokens,
            }


class ChatLLM(Protocol):
    """A chat model: one blocking completion, or a stream of text pieces."""

    model: str
    usage: Usage

    def complete(self, messages: list[Message], *, json_schema: dict[str, Any] | None = None) -> str:
        """The full reply. With ``json_schema`` the reply is asked to be a JSON object of that shape."""
        ...

    def stream(self, messages: list[Message]) -> Iterator[str]:
        """The reply as it is generated; raises ``LLMError`` if the model fails part-way."""
        ...
