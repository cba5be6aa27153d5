"""The Gradio "Agent memory" tab of support mode: the agent's playbook, knowledge and documents
(``scope="agent"``): add, edit, delete, history, upload."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from memory import Memory, MemoryLayerError, MemoryType
from memory.types import MemoryInput, Source, SourceKind
from ui.markup import escape

KINDS = {"Rule (playbook)": MemoryType.PROCEDURAL, "Fact (knowledge)": MemoryType.SEMANTIC}
FILE_TYPES = [".pdf", ".txt", ".md", ".png", ".jpg", ".jpeg"]


def agent_listing(memory: Memory, agent_id: str) -> tuple[str, Any]:
    """Markdown of the agent's memory, and the choices of the editor's picker."""
    items = memory.get_all(agent_id=agent_id, scope="agent")
    lines, choices = [], []
    for title, kind in (("Playbook", MemoryType.PROCEDURAL), ("Knowledge", MemoryType.SEMANTIC)):
        shown = [i for i in items if i.type == kind and not i.source.file_sha256]
        lines.append(f"**{title}** ({len(shown)})")
        lines += [f"- {escape(i.text)}" for i in shown] or ["- nothing yet"]
        choices += [(f"{title}: {i.text[:80]}", i.id) for i in shown]
    docs = memory.documents(agent_id=agent_id, scope="agent")
    lines.append(f"**Documents** ({len(docs)})")
    lines += [f"- {escape(d['file_name'] or d['sha256'][:12])} · {d['memories']} memories" for d in docs]
    return "\n".join(lines), gr.update(choices=choices, value=None)


def add_entry(memory: Memory, agent_id: str, text: str, kind: str) -> str:
    if not (text or "").strip():
        return "Type a rule or a fact first."
    entry = MemoryInput(text=text, type=KINDS[kind], source=Source(kind=SourceKind.MANUAL, role="operator"))
    return _attempt(lambda: memory.add_batch([entry], agent_id=agent_id, scope="agent"), "✓ Added.")


def save_entry(memory: Memory, agent_id: str, memory_id: str | None, text: str) -> str:
    if not memory_id:
        return "Pick a memory to edit."
    return _attempt(lambda: memory.update(memory_id, text, agent_id=agent_id, scope="agent"), "✎ Saved.")


def delete_entry(memory: Memory, agent_id: str, memory_id: str | None) -> str:
    if not memory_id:
        return "Pick a memory to delete."
    return _attempt(lambda: memory.delete(memory_id, agent_id=agent_id, scope="agent"), "🗑 Deleted.")


def entry_history(memory: Memory, agent_id: str, memory_id: str | None) -> str:
    if not memory_id:
        return ""
    try:
        entries = memory.history(memory_id, agent_id=agent_id, scope="agent")
    except MemoryLayerError as exc:
        return f"⚠ {escape(str(exc))}"
    return "  \n".join(
        f"{e.at:%d %b %Y %H:%M} · {e.event.value} · {escape(e.new_text or e.old_text or '')}" for e in entries
    )


def upload(memory: Memory, agent_id: str, path: str | None) -> str:
    if not path:
        return "Choose a file first."
    name = Path(path).name
    return _attempt(
        lambda: memory.ingest(Path(path), filename=name, agent_id=agent_id, scope="agent"), f"📄 Read {name}."
    )


def _attempt(action, done: str) -> str:  # type: ignore[no-untyped-def]
    try:
        action()
    except MemoryLayerError as exc:
        return f"⚠ {escape(str(exc))}"
    return done


def build_operator(memory: Memory, agent_id: str, tab: gr.Tab) -> None:
    gr.Markdown(f"Shared by every customer of **{escape(agent_id)}**; customers' chats never change it.")
    listing = gr.Markdown(elem_id="agent-memory")
    with gr.Row():
        text = gr.Textbox(label="New rule or fact", scale=3, elem_id="operator-text")
        kind = gr.Radio(list(KINDS), value="Rule (playbook)", label="Kind", scale=1)
        add = gr.Button("Add", elem_id="operator-add")
    with gr.Row():
        picked = gr.Dropdown(label="Edit", choices=[], scale=3, elem_id="operator-pick")
        edited = gr.Textbox(label="Text", scale=3)
        save = gr.Button("Save")
        delete = gr.Button("Delete", variant="stop")
    history = gr.Markdown()
    with gr.Row():
        file = gr.File(label="Upload to the knowledge base", file_types=FILE_TYPES, type="filepath")
        read = gr.Button("Read the file")
    notice = gr.Markdown(elem_id="operator-notice")

    def refresh() -> tuple[str, Any]:
        return agent_listing(memory, agent_id)

    tab.select(refresh, None, [listing, picked])
    for button, run, inputs in (
        (add, lambda t, k: add_entry(memory, agent_id, t, k), [text, kind]),
        (save, lambda m, t: save_entry(memory, agent_id, m, t), [picked, edited]),
        (delete, lambda m: delete_entry(memory, agent_id, m), [picked]),
        (read, lambda f: upload(memory, agent_id, f), [file]),
    ):
        button.click(run, inputs, notice).then(refresh, None, [listing, picked])
    picked.change(lambda m: entry_history(memory, agent_id, m), picked, history)
