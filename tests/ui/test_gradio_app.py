"""The Gradio app builds, and its reply function answers with the memories it used."""

from __future__ import annotations

import gradio as gr

from memory.assistant import Assistant
from ui.gradio_app import build_app, chat_reply


def test_gradio_app_builds_and_answers_from_memory(memory):
    with Assistant(memory) as assistant:
        assert isinstance(build_app(assistant), gr.Blocks)
        list(chat_reply(assistant, {"text": "I live in Oslo."}, [], "ada", False, "s1"))
        *_, (history, cleared, panel) = chat_reply(
            assistant, {"text": "Where do I live?"}, [], "ada", False, "s1"
        )
    assert cleared is None
    assert [m["role"] for m in history] == ["user", "assistant"]
    assert "Oslo" in panel and "memories used" in panel
