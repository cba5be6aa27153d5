"""The Gradio chat tab: streamed answers that load nothing remote, the memories each answer used
(each with edit, forget and "this is wrong"), what changed, and a receipt per turn."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

import gradio as gr

from memory import MemoryHit, MemoryLayerError
from memory.assistant import Assistant
from memory.receipt import TurnReceipt, totals_line
from memory.types import AddResult
from ui.deployment import support_agent
from ui.markup import escape, inert_markdown, plain_text
from ui.notices import describe_changes, describe_ingest

WRITE_WAIT_S = 20.0
RECEIPT_TITLE = "🧾 "  # the title of the small message under each answer that holds its receipt
WRONG_HINT = "What is right? Correct it, or forget it."


def hit_record(hit: MemoryHit, label_scope: bool = False) -> dict[str, Any]:
    """A memory used, as plain data the page keeps between events; in support mode (``label_scope``)
    it says whether it is the agent's shared memory or the customer's own."""
    return {
        "scope": hit.scope if label_scope else None,
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
    whose = {"agent": "🏢 **agent** · ", "user": "👤 **customer** · "}.get(hit.get("scope") or "", "")
    return f"{whose}`{hit['type']}` {escape(hit['text'])}  \n_{similar}{escape(hit['source'])}_"


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
    on_write: Callable[[AddResult], None] | None = None,
) -> Iterator[tuple[list[dict[str, Any]], None, list[dict[str, Any]], str, list[dict[str, Any]]]]:
    """Ingest attached files, then stream the answer.

    Yields (chat, cleared input, memories used, notes, receipts of this chat); ``on_write`` gets the
    turn's write result (its questions and undoable changes) once it is known."""
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
    agent_id = support_agent(assistant.memory.config)
    turn = assistant.turn(
        text,
        user_id=user_id,
        session_id=session_id,
        history=earlier,
        remember=not temporary,
        agent_id=agent_id,
    )
    used = [hit_record(hit, label_scope=agent_id is not None) for hit in turn.memories]
    history.append({"role": "assistant", "content": ""})
    reply = ""
    for piece in turn.stream():
        reply += piece
        history[-1] = {"role": "assistant", "content": inert_markdown(reply)}
        yield history, None, used, notes_markdown(notes), receipts
    history[-1] = {"role": "assistant", "content": inert_markdown(turn.text)}
    notes += wait_for_write(turn, temporary, on_write)
    if turn.write is not None and turn.write.done() and turn.write.exception() is None:
        gone = set(turn.write.result().forgotten)  # a forget order: what it forgot leaves the panel
        used = [hit for hit in used if hit["id"] not in gone]
    receipt = turn.receipt
    history.append(
        {"role": "assistant", "content": "", "metadata": {"title": RECEIPT_TITLE + receipt.line()}}
    )
    yield history, None, used, notes_markdown(notes), [*receipts, receipt.model_dump()]


def wait_for_write(
    turn: Any, temporary: bool, on_write: Callable[[AddResult], None] | None = None
) -> list[str]:
    if turn.write is None:
        return ["🕶 Temporary chat: not remembered."] if temporary else []
    try:
        result = turn.write.result(timeout=WRITE_WAIT_S)
    except FutureTimeout:
        return ["⏳ Still updating memory…"]
    except Exception as exc:
        return [f"⚠ This turn could not be remembered: {exc}"]
    if on_write is not None:
        on_write(result)
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


def panel_state(used: list[dict[str, Any]], editing: dict[str, str] | None = None) -> dict[str, Any]:
    """What the panel shows: the memories used, and which one's editor is open (one state, so one
    event redraws the panel once)."""
    return {"used": used, "editing": editing}


def render_panel(
    assistant: Assistant, state: dict[str, Any] | None, user: gr.Textbox, panel: gr.State, notice: gr.Markdown
) -> None:
    """Inside ``gr.render``: each memory used, with its buttons or, when open, its editor."""
    used = (state or {}).get("used") or []
    editing = (state or {}).get("editing")
    if not used:
        gr.Markdown("🧠 The memories each answer used appear here.", elem_classes=["memories-used"])
        return
    gr.Markdown(
        f"**🧠 {len(used)} memor{'y' if len(used) == 1 else 'ies'} used**", elem_classes=["memories-used"]
    )

    def forget(user_id: str, current: dict[str, Any], memory_id: str) -> tuple[dict[str, Any], str]:
        kept, editor, said = forget_memory(assistant, user_id, memory_id, current["used"])
        return panel_state(kept, editor), said

    def correct(
        user_id: str, text: str, current: dict[str, Any], memory_id: str
    ) -> tuple[dict[str, Any], str]:
        kept, editor, said = correct_memory(assistant, user_id, memory_id, text, current["used"])
        return panel_state(kept, editor), said

    for hit in used:
        memory_id = hit["id"]
        with gr.Column(variant="panel", elem_classes=["memory-used"]):
            gr.Markdown(hit_line(hit), padding=True)
            if editing and editing.get("id") == memory_id:
                if editing.get("mode") == "wrong":
                    gr.Markdown(WRONG_HINT, padding=True)
                box = gr.Textbox(value=hit["text"], show_label=False, lines=2, interactive=True)
                with gr.Row():
                    save = gr.Button("Save", variant="primary", size="sm", min_width=60)
                    cancel = gr.Button("Cancel", size="sm", min_width=60)
                    drop = gr.Button("🗑 Forget it", size="sm", min_width=60)
                save.click(
                    lambda u, t, p, m=memory_id: correct(u, t, p, m), [user, box, panel], [panel, notice]
                )
                cancel.click(lambda p: panel_state(p["used"]), panel, panel)
            else:
                with gr.Row():
                    edit = gr.Button("✏️ Edit", size="sm", min_width=60)
                    drop = gr.Button("🗑 Forget", size="sm", min_width=60)
                    wrong = gr.Button("⚠️ This is wrong", size="sm", min_width=60)
                edit.click(
                    lambda p, m=memory_id: panel_state(p["used"], {"id": m, "mode": "edit"}), panel, panel
                )
                wrong.click(
                    lambda p, m=memory_id: panel_state(p["used"], {"id": m, "mode": "wrong"}), panel, panel
                )
            drop.click(lambda u, p, m=memory_id: forget(u, p, m), [user, panel], [panel, notice])
