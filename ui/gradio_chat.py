"""The Gradio chat tab: streamed answers that load nothing remote, the memories each answer used
(each with edit, forget and "this is wrong"), what changed, and a receipt per turn."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

import gradio as gr

from memory import MemoryHit, MemoryLayerError
from memory.assistant import Assistant
from memory.receipt import TurnReceipt, totals_line
from ui.markup import escape, inert_markdown, plain_text
from ui.notices import describe_changes, describe_ingest

WRITE_WAIT_S = 20.0
RECEIPT_TITLE = "🧾 "  # the title of the small message under each answer that holds its receipt
WRONG_HINT = "What is right? Correct it, or forget it."


def hit_record(hit: MemoryHit) -> dict[str, Any]:
    """A memory used, as plain data the page keeps between events."""
    return {
        "id": hit.memory.id,
        "text": hit.memory.text,
        "type": hit.memory.type.value,
        "similarity": hit.similarity,
        "source": hit.memory.source.label(),
    }


def hit_line(hit: dict[str, Any]) -> str:
    similar = (
        f"{round(max(hit['similarity'], 0.0) * 100)}% similar · " if hit.get("similarity") is not None else ""
    )
    return f"`{hit['type']}` {escape(hit['text'])}  \n_{similar}{escape(hit['source'])}_"


def model_history(history: list[dict[str, Any]]) -> list[dict[str, str]]:
    """What the model sees of earlier turns: the words said, without receipts."""
    return [
        {"role": m["role"], "content": plain_text(m["content"])}
        for m in history
        if isinstance(m.get("content"), str) and m["content"] and not (m.get("metadata") or {}).get("title")
    ]


def chat_reply(
    assistant: Assistant,
    message: dict[str, Any],
    history: list[dict[str, Any]],
    user_id: str,
    temporary: bool,
    session_id: str,
    receipts: list[dict[str, Any]] | None = None,
) -> Iterator[tuple[list[dict[str, Any]], None, list[dict[str, Any]], str, list[dict[str, Any]]]]:
    """Ingest attached files, then stream the answer.

    Yields (chat, cleared input, memories used, notes, receipts of this chat)."""
    text = (message.get("text") or "").strip()
    files = [Path(f if isinstance(f, str) else f["path"]) for f in message.get("files") or []]
    user_id = (user_id or "").strip()
    receipts = list(receipts or [])
    if not text and not files:
        yield history, None, [], "", receipts
        return
    if not user_id:
        yield history, None, [], "Type a user name first.", receipts
        return
    earlier = model_history(history)
    shown = inert_markdown(text) if text else ", ".join(escape(f.name) for f in files)
    history = [*history, {"role": "user", "content": shown}]
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
        history.append({"role": "assistant", "content": "  \n".join(escape(n) for n in notes)})
        yield history, None, [], "", receipts
        return
    turn = assistant.turn(
        text, user_id=user_id, session_id=session_id, history=earlier, remember=not temporary
    )
    used = [hit_record(hit) for hit in turn.memories]
    history.append({"role": "assistant", "content": ""})
    reply = ""
    for piece in turn.stream():
        reply += piece
        history[-1] = {"role": "assistant", "content": inert_markdown(reply)}
        yield history, None, used, notes_markdown(notes), receipts
    history[-1] = {"role": "assistant", "content": inert_markdown(turn.text)}
    notes += wait_for_write(turn, temporary)
    receipt = turn.receipt
    history.append(
        {"role": "assistant", "content": "", "metadata": {"title": RECEIPT_TITLE + receipt.line()}}
    )
    yield history, None, used, notes_markdown(notes), [*receipts, receipt.model_dump()]


def wait_for_write(turn: Any, temporary: bool) -> list[str]:
    if turn.write is None:
        return ["🕶 Temporary chat: not remembered."] if temporary else []
    try:
        result = turn.write.result(timeout=WRITE_WAIT_S)
    except FutureTimeout:
        return ["⏳ Still updating memory…"]
    except Exception as exc:
        return [f"⚠ This turn could not be remembered: {exc}"]
    return describe_changes(result) + [f"⚠ {w}" for w in result.warnings]


def notes_markdown(notes: list[str]) -> str:
    return "  \n".join(escape(note) for note in notes)


def totals_markdown(receipts: list[dict[str, Any]]) -> str:
    if not receipts:
        return ""
    return f"🧾 **This chat:** {escape(totals_line([TurnReceipt.model_validate(r) for r in receipts]))}"


# -- fix it from the answer ------------------------------------------------------------------------
def forget_memory(
    assistant: Assistant, user_id: str, memory_id: str, used: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], None, str]:
    """Forget a memory the answer used; it leaves the panel at once. Returns (used, editor, notice)."""
    item = next((h for h in used if h["id"] == memory_id), None)
    try:
        assistant.memory.delete(memory_id, user_id=user_id)
    except MemoryLayerError as exc:
        return used, None, f"⚠ {escape(str(exc))}"
    remaining = [h for h in used if h["id"] != memory_id]
    return remaining, None, f"🗑 Forgot: {escape(item['text'] if item else memory_id)}"


def correct_memory(
    assistant: Assistant, user_id: str, memory_id: str, text: str, used: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, str] | None, str]:
    """Save a corrected text through the public API. Returns (used, editor, notice)."""
    old = next((h for h in used if h["id"] == memory_id), None)
    try:
        new = assistant.memory.update(memory_id, text, user_id=user_id)
    except MemoryLayerError as exc:
        return used, {"id": memory_id, "mode": "edit"}, f"⚠ {escape(str(exc))}"
    updated = [{**h, "text": new.text} if h["id"] == memory_id else h for h in used]
    before = escape(old["text"]) if old else ""
    return updated, None, f"✎ Corrected: {before} → {escape(new.text)}"


def render_panel(
    assistant: Assistant,
    used: list[dict[str, Any]],
    editing: dict[str, str] | None,
    user: gr.Textbox,
    used_state: gr.State,
    editing_state: gr.State,
    notice: gr.Markdown,
) -> None:
    """Inside ``gr.render``: each memory used, with its buttons or, when open, its editor."""
    if not used:
        gr.Markdown("🧠 The memories each answer used appear here.", elem_classes=["memories-used"])
        return
    gr.Markdown(
        f"**🧠 {len(used)} memor{'y' if len(used) == 1 else 'ies'} used**", elem_classes=["memories-used"]
    )
    for hit in used:
        memory_id = hit["id"]
        with gr.Group(elem_classes=["memory-used"]):
            gr.Markdown(hit_line(hit), padding=True)
            if editing and editing.get("id") == memory_id:
                if editing.get("mode") == "wrong":
                    gr.Markdown(WRONG_HINT, padding=True)
                box = gr.Textbox(value=hit["text"], show_label=False, lines=2, elem_classes=["fix-text"])
                with gr.Row():
                    save = gr.Button("Save", variant="primary", size="sm")
                    cancel = gr.Button("Cancel", size="sm")
                    forget = gr.Button("🗑 Forget it", size="sm")
                save.click(
                    lambda u, t, h, m=memory_id: correct_memory(assistant, u, m, t, h),
                    [user, box, used_state],
                    [used_state, editing_state, notice],
                )
                cancel.click(lambda: None, None, editing_state)
            else:
                with gr.Row():
                    edit = gr.Button("✏️ Edit", size="sm")
                    forget = gr.Button("🗑 Forget", size="sm")
                    wrong = gr.Button("⚠️ This is wrong", size="sm")
                edit.click(lambda m=memory_id: {"id": m, "mode": "edit"}, None, editing_state)
                wrong.click(lambda m=memory_id: {"id": m, "mode": "wrong"}, None, editing_state)
            forget.click(
                lambda u, h, m=memory_id: forget_memory(assistant, u, m, h),
                [user, used_state],
                [used_state, editing_state, notice],
            )
