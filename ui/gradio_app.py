"""A compact Gradio chat over the same Assistant: `python -m ui.gradio_app` serves 127.0.0.1:7860."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

import gradio as gr

from memory import Memory, MemoryConfig, MemoryHit, MemoryLayerError
from memory.assistant import Assistant
from ui.notices import describe_changes, describe_ingest
from ui.services import NO_LLM_TEXT

FILE_TYPES = [".pdf", ".png", ".jpg", ".jpeg", ".webp", ".gif", ".txt", ".md"]
WRITE_WAIT_S = 20.0
PANEL_HINT = "The memories each answer used appear here."


def memories_markdown(hits: list[MemoryHit], notes: list[str]) -> str:
    """The side panel: each memory used with its type, similarity and source, then what changed."""
    if not hits:
        lines = ["**🧠 No memories used.**"]
    else:
        lines = [f"**🧠 {len(hits)} memor{'y' if len(hits) == 1 else 'ies'} used**", ""]
        for hit in hits:
            similar = f"{round(hit.similarity * 100)}% similar · " if hit.similarity is not None else ""
            lines.append(
                f"- `{hit.memory.type.value}` {hit.memory.text}  \n  _{similar}{hit.memory.source.label()}_"
            )
    if notes:
        lines += ["", *notes]
    return "\n".join(lines)


def chat_reply(
    assistant: Assistant,
    message: dict[str, Any],
    history: list[dict[str, Any]],
    user_id: str,
    temporary: bool,
    session_id: str,
) -> Iterator[tuple[list[dict[str, Any]], None, str]]:
    """Ingest attached files, then stream the answer; yields (chat, cleared input, panel)."""
    text = (message.get("text") or "").strip()
    files = [Path(f if isinstance(f, str) else f["path"]) for f in message.get("files") or []]
    user_id = (user_id or "").strip()
    if not text and not files:
        yield history, None, PANEL_HINT
        return
    if not user_id:
        yield history, None, "Type a user name first."
        return
    earlier = [
        {"role": m["role"], "content": m["content"]} for m in history if isinstance(m.get("content"), str)
    ]
    history = [*history, {"role": "user", "content": text or ", ".join(f.name for f in files)}]
    notes: list[str] = []
    for path in files:
        if temporary:
            notes.append(f"📄 {path.name} was not read: this chat is temporary.")
            continue
        try:
            notes += describe_ingest(
                assistant.memory.ingest(path, user_id=user_id, filename=path.name, session_id=session_id)
            )
        except MemoryLayerError as exc:
            notes.append(f"⚠ {exc}")
    if not text:
        history.append({"role": "assistant", "content": "\n".join(notes)})
        yield history, None, memories_markdown([], [])
        return
    turn = assistant.turn(
        text, user_id=user_id, session_id=session_id, history=earlier, remember=not temporary
    )
    history.append({"role": "assistant", "content": ""})
    panel = memories_markdown(turn.memories, notes)
    for piece in turn.stream():
        history[-1] = {"role": "assistant", "content": history[-1]["content"] + piece}
        yield history, None, panel
    if turn.write is not None:
        try:
            notes += describe_changes(turn.write.result(timeout=WRITE_WAIT_S))
        except FutureTimeout:
            notes.append("⏳ Still updating memory…")
        except Exception as exc:
            notes.append(f"⚠ This turn could not be remembered: {exc}")
    elif temporary:
        notes.append("🕶 Temporary chat: not remembered.")
    yield history, None, memories_markdown(turn.memories, notes)


def build_app(assistant: Assistant) -> gr.Blocks:
    llm = assistant.memory.config.llm
    status = f"🤖 Model: {llm.model}" if not assistant.offline else f"⚙️ {NO_LLM_TEXT}"
    with gr.Blocks(title="Memory Chat") as demo:
        gr.Markdown("# 🧠 Memory Chat\nA chat assistant that remembers you across chats.")
        session = gr.State(lambda: str(uuid.uuid4()))
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="Chat", height=480)
                box = gr.MultimodalTextbox(
                    file_types=FILE_TYPES,
                    file_count="multiple",
                    placeholder="Message the assistant, or attach a file…",
                    show_label=False,
                )
            with gr.Column(scale=2):
                user = gr.Textbox(value="ada", label="User", info="Each user has separate memories.")
                temporary = gr.Checkbox(label="🕶 Temporary chat (nothing is remembered)")
                panel = gr.Markdown(PANEL_HINT)
                gr.Markdown(status)

        def respond(message, history, user_id, temp, session_id):  # noqa: ANN001, ANN202
            yield from chat_reply(assistant, message, history or [], user_id, temp, session_id)

        box.submit(respond, [box, chatbot, user, temporary, session], [chatbot, box, panel])
    return demo


def main() -> None:
    memory = Memory(MemoryConfig())
    assistant = Assistant(memory)
    try:
        build_app(assistant).launch(server_name="127.0.0.1", server_port=7860)
    finally:
        assistant.close()
        memory.close()


if __name__ == "__main__":
    main()
