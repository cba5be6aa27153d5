"""``OpenAIChatLLM``: any OpenAI-compatible chat server (OpenAI, Ollama, vLLM, LM Studio, llama.cpp)."""

from __future__ import annotations

import base64
import importlib
import json
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

import openai

from memory.config import LLMConfig
from memory.errors import ConfigError, LLMError, LLMResponseError, LLMTimeoutError
from memory.llm.base import Message, Usage
from memory.llm.usage import LLMCall, extraction_allowance, note_call
from memory.prompts import IMAGE_CAPTION_PROMPT

log = logging.getLogger(__name__)

# Servers without an API key (Ollama, vLLM, llama.cpp) still need a non-empty one for the client.
PLACEHOLDER_API_KEY = "not-needed"
_JSON_MODES = ("schema", "object", "prompt")  # auto walks down this list when the server says no


def _http_errors() -> tuple[type[Exception], ...]:
    """Base errors of the HTTP library beneath ``openai`` (``httpx``, or ``httpx2`` in newer releases)."""
    found: list[type[Exception]] = []
    for name in ("httpx", "httpx2"):
        try:
            found.append(importlib.import_module(name).HTTPError)
        except (ImportError, AttributeError):
            continue
    return tuple(found)


CLIENT_ERRORS: tuple[type[Exception], ...] = (openai.OpenAIError, *_http_errors())


def _caused_by(exc: BaseException, *names: str) -> bool:
    """Whether ``exc`` or an error behind it is of a class with one of these names (any HTTP library)."""
    seen: BaseException | None = exc
    while seen is not None:
        if any(cls.__name__ in names for cls in type(seen).__mro__):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def make_client(
    *, base_url: str | None, api_key: str | None, timeout_s: float, max_retries: int
) -> openai.OpenAI:
    if not api_key and not base_url:
        raise ConfigError("No language model is configured: set llm.base_url or llm.api_key.")
    return openai.OpenAI(
        base_url=base_url,
        api_key=api_key or PLACEHOLDER_API_KEY,
        timeout=timeout_s,
        max_retries=max_retries,
    )


def translate_error(exc: Exception, *, what: str, base_url: str, timeout_s: float) -> LLMError:
    """The most specific ``LLMError`` for an openai/httpx failure, in words a user can act on."""
    where = f"the {what} at {base_url}"
    if isinstance(exc, openai.APITimeoutError) or _caused_by(exc, "TimeoutException"):
        return LLMTimeoutError(f"{where} did not answer within {timeout_s:g} s")
    if isinstance(exc, openai.AuthenticationError):
        return LLMError(f"{where} refused the API key (HTTP 401); check llm.api_key or OPENAI_API_KEY")
    if isinstance(exc, openai.NotFoundError):
        return LLMError(
            f"{where} answered HTTP 404 ({_status_detail(exc)}); check the model name "
            "and that the URL ends in /v1"
        )
    if isinstance(exc, openai.RateLimitError):
        return LLMError(f"{where} is limiting requests (HTTP 429); try again in a moment")
    if isinstance(exc, openai.APIStatusError):
        return LLMError(f"{where} answered HTTP {exc.status_code}: {_status_detail(exc)}")
    if _caused_by(exc, "RemoteProtocolError"):
        return LLMResponseError(f"{where} closed the connection before the reply was complete")
    if isinstance(exc, openai.APIConnectionError) or _caused_by(exc, "TransportError"):
        cause = exc.__cause__ or exc
        return LLMError(f"{where} could not be reached ({cause or type(cause).__name__})")
    return LLMError(f"{where} failed: {exc}")


def _status_detail(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])[:300]
        if isinstance(inner, str):
            return inner[:300]
    return (exc.message or "no details")[:300]


def _call(purpose: str, usage: Any, started: float) -> LLMCall:
    return LLMCall(
        purpose=purpose,
        prompt_tokens=(usage.prompt_tokens or 0) if usage else 0,
        completion_tokens=(usage.completion_tokens or 0) if usage else 0,
        seconds=time.perf_counter() - started,
    )


def _with_system_instruction(messages: list[Message], instruction: str) -> list[Message]:
    """Add to the leading system message (many chat templates refuse a system message elsewhere)."""
    if messages and messages[0].get("role") == "system" and isinstance(messages[0].get("content"), str):
        first = {**messages[0], "content": f"{messages[0]['content']}\n\n{instruction}"}
        return [first, *messages[1:]]
    return [{"role": "system", "content": instruction}, *messages]


class OpenAIChatLLM:
    """A ``ChatLLM`` over the ``openai`` client; remembers which JSON mode the server accepts."""

    def __init__(self, config: LLMConfig) -> None:
        self.config = config
        self.model = config.model
        self.vision_model = config.vision_model
        self.usage = Usage()
        self._client = make_client(
            base_url=config.base_url,
            api_key=config.api_key,
            timeout_s=config.timeout_s,
            max_retries=config.max_retries,
        )
        self.base_url = str(self._client.base_url).rstrip("/")
        self._json_mode = "schema" if config.json_mode == "auto" else config.json_mode
        self._stream_usage = True  # ask for token counts in streams until a server refuses
        self._lock = threading.Lock()

    @property
    def json_mode(self) -> str:
        """The JSON mode now in use: schema, object or prompt."""
        return self._json_mode

    def complete(self, messages: list[Message], *, json_schema: dict[str, Any] | None = None) -> str:
        """A structured (``json_schema``) call is an extraction: its output is capped by
        ``max_extraction_tokens``, less what this turn's earlier extraction calls used."""
        purpose = "extraction" if json_schema is not None else "reply"
        limit = self.config.max_tokens
        if json_schema is not None:
            limit = extraction_allowance(self.config.max_extraction_tokens)
            if limit <= 0:
                raise LLMError(
                    f"the extraction budget of {self.config.max_extraction_tokens} tokens for this "
                    "turn is spent (llm.max_extraction_tokens)"
                )
        started = time.perf_counter()
        while True:
            mode = self._json_mode if json_schema is not None else None
            kwargs = self._json_kwargs(messages, json_schema, mode)
            try:
                response = self._client.chat.completions.create(
                    **self._base_kwargs(max_tokens=limit), **kwargs
                )
            except openai.BadRequestError as exc:
                if mode is not None and self._downgrade_json_mode(mode, exc):
                    continue
                raise self._error(exc) from exc
            except CLIENT_ERRORS as exc:
                raise self._error(exc) from exc
            break
        self._note(purpose, response.usage, started)
        if not response.choices or response.choices[0].message.content is None:
            raise LLMResponseError(f"the language model at {self.base_url} returned an empty reply")
        return response.choices[0].message.content

    def stream(self, messages: list[Message]) -> Iterator[str]:
        started = time.perf_counter()
        chunks = self._open_stream(messages)
        self.usage.record()
        finished = False
        reported = None
        try:
            for chunk in chunks:
                if chunk.usage is not None:
                    reported = chunk.usage
                    self.usage.add_tokens(chunk.usage.prompt_tokens, chunk.usage.completion_tokens)
                for choice in chunk.choices:
                    if choice.delta is not None and choice.delta.content:
                        yield choice.delta.content
                    if choice.finish_reason:
                        finished = True
        except CLIENT_ERRORS as exc:
            raise self._error(exc) from exc
        finally:
            chunks.close()
        if not finished:
            raise LLMResponseError(f"the reply from the language model at {self.base_url} was cut off")
        note_call(_call("reply", reported, started))

    def caption_image(self, image_bytes: bytes, mime: str, prompt: str | None = None) -> str:
        """A short description of an image by ``vision_model``, so the image becomes searchable text."""
        if not self.vision_model:
            raise ConfigError("No vision model is configured: set llm.vision_model to caption images.")
        data_url = f"data:{mime};base64,{base64.b64encode(image_bytes).decode('ascii')}"
        content = [
            {"type": "text", "text": prompt or IMAGE_CAPTION_PROMPT},
            {"type": "image_url", "image_url": {"url": data_url}},
        ]
        kwargs = self._base_kwargs() | {"model": self.vision_model}
        started = time.perf_counter()
        try:
            response = self._client.chat.completions.create(
                messages=[{"role": "user", "content": content}], **kwargs
            )
        except CLIENT_ERRORS as exc:
            raise self._error(exc, what="vision model") from exc
        self._note("caption", response.usage, started)
        text = response.choices[0].message.content if response.choices else None
        if not text:
            raise LLMResponseError(f"the vision model at {self.base_url} returned an empty caption")
        return text.strip()

    def _open_stream(self, messages: list[Message]) -> openai.Stream:
        while True:
            extra = {"stream_options": {"include_usage": True}} if self._stream_usage else {}
            try:
                return self._client.chat.completions.create(
                    messages=messages, stream=True, **self._base_kwargs(), **extra
                )
            except openai.BadRequestError as exc:
                if not self._stream_usage:
                    raise self._error(exc) from exc
                self._stream_usage = False  # an older server that does not know stream_options
            except CLIENT_ERRORS as exc:
                raise self._error(exc) from exc

    def _base_kwargs(self, max_tokens: int | None = None) -> dict[str, Any]:
        return {
            "model": self.model,
            "temperature": self.config.temperature,
            "max_tokens": max_tokens or self.config.max_tokens,
        }

    def _note(self, purpose: str, usage: Any, started: float) -> None:
        """Count a finished call on this client and in the calling thread's open recordings."""
        self.usage.record(usage.prompt_tokens if usage else 0, usage.completion_tokens if usage else 0)
        note_call(_call(purpose, usage, started))

    def _json_kwargs(
        self, messages: list[Message], schema: dict[str, Any] | None, mode: str | None
    ) -> dict[str, Any]:
        if schema is None or mode is None:
            return {"messages": messages}
        if mode == "schema":
            name = str(schema.get("title") or "response").replace(" ", "_")[:64]
            response_format = {
                "type": "json_schema",
                "json_schema": {"name": name, "schema": schema, "strict": True},
            }
            return {"messages": messages, "response_format": response_format}
        instruction = (
            "Reply with one JSON object that follows this JSON schema, and nothing else:\n"
            + json.dumps(schema, separators=(",", ":"))
        )
        guided = _with_system_instruction(messages, instruction)
        if mode == "object":
            return {"messages": guided, "response_format": {"type": "json_object"}}
        return {"messages": guided}

    def _downgrade_json_mode(self, mode: str, exc: openai.BadRequestError) -> bool:
        """After a 400 in auto mode, step down to the next JSON mode; False when none is left."""
        if self.config.json_mode != "auto" or mode == "prompt":
            return False
        with self._lock:
            if self._json_mode == mode:
                self._json_mode = _JSON_MODES[_JSON_MODES.index(mode) + 1]
                log.info(
                    "%s rejected JSON mode %r (%s); using %r from now on",
                    self.base_url,
                    mode,
                    _status_detail(exc),
                    self._json_mode,
                )
        return True

    def _error(self, exc: Exception, what: str = "language model") -> LLMError:
        return translate_error(exc, what=what, base_url=self.base_url, timeout_s=self.config.timeout_s)
