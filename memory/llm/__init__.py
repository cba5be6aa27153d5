"""Chat models: the ``ChatLLM`` interface, the OpenAI-compatible backend, and the factory."""

from __future__ import annotations

from collections.abc import Callable

from memory.config import LLMConfig
from memory.llm.base import ChatLLM, Message, Usage
from memory.llm.openai import OpenAIChatLLM

__all__ = ["ChatLLM", "Message", "OpenAIChatLLM", "Usage", "make_captioner", "make_llm"]


def make_llm(config: LLMConfig) -> ChatLLM | None:
    """The configured chat model, or None when no LLM is configured (offline mode)."""
    if not config.enabled:
        return None
    return OpenAIChatLLM(config)


def make_captioner(config: LLMConfig) -> Callable[[bytes, str], str] | None:
    """``caption(image_bytes, mime) -> text`` from the vision model, or None when there is none."""
    if not config.enabled or not config.vision_model:
        return None
    return OpenAIChatLLM(config).caption_image
