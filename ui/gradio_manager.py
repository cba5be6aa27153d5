"""The Gradio memory manager: search and filter, edit, history, delete; documents; export and
import; delete all with a typed confirmation. Every handler is also an API endpoint by name."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

import gradio as gr

from memory import MemoryLayerError, MemoryType
from memory.types import MemoryItem, SourceKind
from ui.markup import escape
from ui.memory_query import find_memories

SEARCH_LIMIT = 50
ANY_SOURCE = "all sources"
TYPE_CHOICES = [t.value for t in MemoryType]
SOURCE_CHOICES = [ANY_SOURCE, *(s.value for s in SourceKind)]
MEMORY_HEADERS = ["Memory", "Type", "Source", "Created"]
DOCUMENT_HEADERS = ["File", "Kind", "Memories", "Uploaded"]
CONFIRM_WORD = "DELETE"
EMPTY_TEXT = (
    "Nothing remembered yet. Tell the assistant about yourself in the Chat tab, or attach a document."
)


def when(item_time: Any) -> str:
    return item_time.astimezone().strftime("%d %b %Y, %H:%M")


def choice_label(item: MemoryItem) -> str:
    flat = " ".join(item.text.split())
    return f"{flat[:70]}{'…' if len(flat) > 70 else ''} ({item.type.value})"


def list_memories(
    memory: Any, user_id: str, query: str, types: list[str] | None, source: str | None
) -> tuple[list[list[str]], gr.Dropdown, str]:
    """The table of memories (best match first when searching), the editor's picker, and a count."""
    user_id = (user_id or "").strip()
    if not user_id:
        return [], gr.Dropdown(choices=[], value=None), "Type a user name first."
    kinds = [MemoryType(t) for t in types or []] or None
    filters = {"source_kind": source} if source and source != ANY_SOURCE else {}
    query = (query or "").strip()
    try:
        items = find_memories(
            memory, user_id=user_id, query=query, types=kinds, filters=filters, limit=SEARCH_LIMIT
        )
    except MemoryLayerError as exc:
        return [], gr.Dropdown(choices=[], value=None), f"⚠ {escape(str(exc))}"
    rows = [[item.text, item.type.value, item.source.label(), when(item.created_at)] for item in items]
    picker = gr.Dropdown(choices=[(choice_label(i), i.id) for i in items], value=None)
    if not items:
        status = "No memory matches these filters." if (query or kinds or filters) else EMPTY_TEXT
    else:
        order = "best match first" if query else "newest first"
        status = f"{len(items)} memor{'y' if len(items) == 1 else 'ies'}, {order}."
    return rows, picker, status


def open_memory(memory: Any, user_id: str, memory_id: str | None) -> tuple[str, str]:
    """The picked memory's text for the editor, and its history."""
    if not memory_id:
        return "", ""
    try:
        item = memory.get(memory_id, user_id=user_id)
        entries = memory.history(memory_id, user_id=user_id)
    except MemoryLayerError as exc:
        return "", f"⚠ {escape(str(exc))}"
    lines = ["**History**"]
    for entry in entries:
        if entry.event.value == "UPDATE":
            change = f"{escape(entry.old_text or '')} → {escape(entry.new_text or '')}"
        else:
            change = escape(entry.new_text or entry.old_text or "")
        lines.append(f"- **{entry.event.value}** · {when(entry.at)} · by {escape(entry.actor)}: {change}")
    return item.text, "\n".join(lines)


def save_memory(memory: Any, user_id: str, memory_id: str | None, text: str) -> str:
    if not memory_id:
        return "Pick a memory to edit first."
    try:
        new = memory.update(memory_id, text, user_id=user_id)
    except MemoryLayerError as exc:
        return f"⚠ {escape(str(exc))}"
    return f"✅ Saved: {escape(new.text)}"


def delete_memory(memory: Any, user_id: str, memory_id: str | None) -> str:
    if not memory_id:
        return "Pick a memory to delete first."
    try:
        item = memory.get(memory_id, user_id=user_id)
        memory.delete(memory_id, user_id=user_id)
    except MemoryLayerError as exc:
        return f"⚠ {escape(str(exc))}"
    return f"🗑 Deleted: {escape(item.text)}"


def list_documents(memory: Any, user_id: str) -> tuple[list[list[Any]], gr.Dropdown]:
    user_id = (user_id or "").strip()
    if not user_id:
        return [], gr.Dropdown(choices=[], value=None)
    try:
        docs = memory.documents(user_id=user_id)
    except MemoryLayerError:
        return [], gr.Dropdown(choices=[], value=None)
    rows = [
        [d["file_name"] or "unnamed file", d["kind"], d["memories"], when(d["uploaded_at"])] for d in docs
    ]
    choices = [(f"{d['file_name'] or 'unnamed file'} ({d['memories']} memories)", d["sha256"]) for d in docs]
    return rows, gr.Dropdown(choices=choices, value=None)


def delete_document(memory: Any, user_id: str, sha256: str | None) -> str:
    if not sha256:
        return "Pick a document to delete first."
    try:
        count = memory.delete_document(sha256, user_id=user_id)
    except MemoryLayerError as exc:
        return f"⚠ {escape(str(exc))}"
    return f"🗑 Deleted the document and its {count} memor{'y' if count == 1 else 'ies'}."


def export_memories(memory: Any, user_id: str) -> tuple[str | None, str]:
    """A JSON file of every memory of this user, ready to download."""
    user_id = (user_id or "").strip()
    if not user_id:
        return None, "Type a user name first."
    try:
        data = memory.export(user_id=user_id)
    except MemoryLayerError as exc:
        return None, f"⚠ {escape(str(exc))}"
    folder = Path(tempfile.mkdtemp(prefix="memory-export-"))
    path = folder / f"memories-{re.sub(r'[^A-Za-z0-9._-]+', '-', user_id).strip('-') or 'user'}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    count = len(data.get("memories", []))
    return str(path), f"⬇ Exported {count} memor{'y' if count == 1 else 'ies'}: download the file below."


def import_memories(memory: Any, user_id: str, file: Any) -> str:
    if not file:
        return "Choose a JSON export first."
    path = Path(file if isinstance(file, str) else file["path"])
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return f"⚠ This file is not valid JSON: {escape(str(exc))}"
    try:
        count = memory.import_(data, user_id=user_id)
    except MemoryLayerError as exc:
        return f"⚠ {escape(str(exc))}"
    return f"⬆ Imported {count} memor{'y' if count == 1 else 'ies'}."


def delete_all(memory: Any, user_id: str, confirm: str) -> tuple[str, str]:
    """Deletes everything of this user only after the confirmation word; clears the confirmation."""
    if (confirm or "").strip() != CONFIRM_WORD:
        return f"Type {CONFIRM_WORD} in the box to confirm: nothing was deleted.", confirm
    try:
        count = memory.delete_all(user_id=user_id)
    except MemoryLayerError as exc:
        return f"⚠ {escape(str(exc))}", ""
    return f"🗑 Deleted all {count} memories.", ""


def build_manager(memory: Any, user: gr.Textbox, tab: gr.Tab) -> None:
    """The manager tab's layout and wiring (call inside ``tab``); the lists load when it opens."""
    with gr.Row():
        query = gr.Textbox(placeholder="Search memories…", label="Search", show_label=False, scale=3)
        types = gr.Dropdown(
            TYPE_CHOICES, multiselect=True, label="Type", info="All types when empty", scale=2
        )
        source = gr.Dropdown(SOURCE_CHOICES, value=ANY_SOURCE, label="Source", scale=2)
        search = gr.Button("🔍 Search", variant="primary", scale=1)
    status = gr.Markdown(elem_id="manager-status")
    table = gr.Dataframe(
        headers=MEMORY_HEADERS, interactive=False, wrap=True, label="Memories", elem_id="memory-table"
    )
    with gr.Group():
        picker = gr.Dropdown(label="Memory to edit, see the history of, or delete", choices=[])
        editor = gr.Textbox(label="Memory text", lines=2, info="Edit, then press Save changes.")
        with gr.Row():
            save = gr.Button("💾 Save changes", variant="primary")
            remove = gr.Button("🗑 Delete this memory", variant="stop")
        history = gr.Markdown()
    notice = gr.Markdown(elem_id="manager-notice")
    with gr.Accordion("📄 Documents", open=True):
        docs = gr.Dataframe(
            headers=DOCUMENT_HEADERS, interactive=False, label="Uploaded files", elem_id="document-table"
        )
        with gr.Row():
            doc_picker = gr.Dropdown(label="Document to delete (with all its memories)", choices=[], scale=3)
            doc_delete = gr.Button("🗑 Delete document", variant="stop", scale=1)
    with gr.Accordion("⇅ Export, import, delete all", open=True):
        with gr.Row():
            export = gr.Button("⬇ Export all memories (JSON)")
            export_file = gr.File(label="Exported file", interactive=False, elem_id="export-file", height=90)
        with gr.Row():
            upload = gr.File(
                label="A JSON export of this app", file_types=[".json"], elem_id="import-file", height=90
            )
            import_ = gr.Button("⬆ Import")
        gr.Markdown(
            "**Delete all memories** of this user, with their history and graph. This cannot be undone."
        )
        with gr.Row():
            confirm = gr.Textbox(label=f"Type {CONFIRM_WORD} to confirm", placeholder=CONFIRM_WORD)
            wipe = gr.Button("Delete all memories", variant="stop")

    def refresh(u, q, t, s):  # noqa: ANN001, ANN202
        return (*list_memories(memory, u, q, t, s), *list_documents(memory, u))

    listing = [user, query, types, source]
    shown = [table, picker, status, docs, doc_picker]
    hidden = {"api_visibility": "private"}
    search.click(refresh, listing, shown, api_name="search")
    for trigger in (tab.select, query.submit, types.change, source.change, user.change):
        trigger(refresh, listing, shown, **hidden)
    picker.change(
        lambda u, m: open_memory(memory, u, m), [user, picker], [editor, history], api_name="open_memory"
    )
    changes = [
        (save, lambda u, m, t: save_memory(memory, u, m, t), [user, picker, editor], notice, "save_memory"),
        (remove, lambda u, m: delete_memory(memory, u, m), [user, picker], notice, "delete_memory"),
        (
            doc_delete,
            lambda u, d: delete_document(memory, u, d),
            [user, doc_picker],
            notice,
            "delete_document",
        ),
        (import_, lambda u, f: import_memories(memory, u, f), [user, upload], notice, "import"),
        (wipe, lambda u, c: delete_all(memory, u, c), [user, confirm], [notice, confirm], "delete_all"),
    ]
    for button, action, inputs, outputs, name in changes:  # each change, then the lists again
        button.click(action, inputs, outputs, api_name=name).then(refresh, listing, shown, **hidden)
    export.click(lambda u: export_memories(memory, u), user, [export_file, notice], api_name="export")
