"""The memory manager: search, filter, edit, delete, history, documents, export/import, delete all."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time
from typing import Any

import streamlit as st

from memory import Memory, MemoryLayerError, MemoryType
from memory.types import MemoryItem, SourceKind
from ui.memory_query import find_memories
from ui.memory_view import escape, source_text, type_badge, when

PAGE_SIZE = 50
SEARCH_LIMIT = 50
ANY_SOURCE = "any"
EMPTY_TEXT = (
    "Nothing remembered yet. Tell the assistant about yourself in the chat, or upload a document: "
    "what it remembers appears here, and you can edit or delete any of it."
)


def render_manager(memory: Memory, user_id: str, label: str) -> None:
    st.title("Memory manager")
    st.caption(f"Everything remembered about **{escape(label)}**. Changes apply at once.")
    show_flash()
    try:
        total = memory.count(user_id=user_id)
        documents = memory.documents(user_id=user_id)
    except MemoryLayerError as exc:
        st.error(str(exc))
        return
    memories_tab, documents_tab, transfer_tab = st.tabs(
        [f"Memories ({total})", f"Documents ({len(documents)})", "Export, import, delete all"]
    )
    with memories_tab:
        if total:
            render_memories(memory, user_id)
        else:
            st.info(EMPTY_TEXT, icon=":material/psychology:")
    with documents_tab:
        render_documents(memory, user_id, documents)
    with transfer_tab:
        render_transfer(memory, user_id, total)


# -- feedback that survives the rerun a button callback causes ------------------------------------
def flash(kind: str, text: str) -> None:
    st.session_state["mm_flash"] = (kind, text)


def show_flash() -> None:
    kind, text = st.session_state.pop("mm_flash", (None, None))
    if kind == "error":
        st.error(text)
    elif kind:
        st.success(text)


def guarded(action: Any, done: str, *args: Any, **kwargs: Any) -> None:
    """Run a change from a button callback; report the outcome in plain words."""
    try:
        action(*args, **kwargs)
    except MemoryLayerError as exc:
        flash("error", str(exc))
    else:
        flash("success", done)


# -- memories ----------------------------------------------------------------------------------------
def render_memories(memory: Memory, user_id: str) -> None:
    query, types, filters = render_filters()
    past = st.toggle(
        "Show past memories (changed or no longer true)",
        key="mm_past",
        help="Superseded facts stay as the past",
    )
    try:
        items = find_memories(
            memory,
            user_id=user_id,
            query=query,
            types=types,
            filters=filters,
            limit=SEARCH_LIMIT,
            include_past=past,
        )
    except MemoryLayerError as exc:
        st.error(str(exc))
        return
    if not items:
        st.info("No memory matches these filters." if (query or types or filters) else EMPTY_TEXT)
        return
    shown = st.session_state.get("mm_shown", PAGE_SIZE)
    order = "best match first" if query else "newest first"
    st.caption(f"{len(items)} memor{'y' if len(items) == 1 else 'ies'}, {order}")
    for item in items[:shown]:
        render_memory_card(memory, item, user_id)
    if len(items) > shown:
        st.button(
            f"Show {min(PAGE_SIZE, len(items) - shown)} more",
            key="mm_more",
            on_click=lambda: st.session_state.__setitem__("mm_shown", shown + PAGE_SIZE),
        )


def render_filters() -> tuple[str, list[MemoryType] | None, dict[str, Any]]:
    query = st.text_input(
        "Search", key="mm_search", placeholder="Search memories…", label_visibility="collapsed"
    ).strip()
    left, middle, right = st.columns(3)
    types = left.multiselect(
        "Type", list(MemoryType), key="mm_types", format_func=lambda t: t.value, placeholder="All types"
    )
    source = middle.selectbox(
        "Source",
        [ANY_SOURCE, *SourceKind],
        key="mm_source",
        format_func=lambda s: "All sources" if s == ANY_SOURCE else SourceKind(s).value,
    )
    dates = right.date_input("Created between", value=[], key="mm_dates", format="YYYY-MM-DD")
    filters: dict[str, Any] = {}
    if source != ANY_SOURCE:
        filters["source_kind"] = SourceKind(source).value
    filters.update(date_filters(dates))
    return query, list(types) or None, filters


def date_filters(dates: Any) -> dict[str, datetime]:
    """A picked day or day range as created_after / created_before, in local time."""
    days = [d for d in (dates if isinstance(dates, (list, tuple)) else [dates]) if isinstance(d, date)]
    if not days:
        return {}
    first, last = days[0], days[-1]
    return {
        "created_after": datetime.combine(first, time.min).astimezone(),
        "created_before": datetime.combine(last, time.max).astimezone(),
    }


def render_memory_card(memory: Memory, item: MemoryItem, user_id: str) -> None:
    with st.container(border=True, key=f"mem_{item.id}"):
        st.markdown(f"{type_badge(item.type)} {escape(item.text)}")
        was_edited = (item.updated_at - item.created_at).total_seconds() > 1
        edited = f" · edited {when(item.updated_at)}" if was_edited else ""
        with st.container(horizontal=True, gap="small", vertical_alignment="center"):
            st.caption(f"{source_text(item)}{edited}", width="content")
            st.space("stretch")
            with st.popover("Edit", icon=":material/edit:", type="tertiary", key=f"editor_{item.id}"):
                st.text_area("Text", value=item.text, key=f"edit_{item.id}", label_visibility="collapsed")
                st.button(
                    "Save",
                    key=f"save_{item.id}",
                    type="primary",
                    on_click=save_memory,
                    args=(memory, item.id, user_id),
                )
            with st.popover("History", icon=":material/history:", type="tertiary", key=f"history_{item.id}"):
                render_history(memory, item.id, user_id)
            st.button(
                "Delete",
                icon=":material/delete:",
                type="tertiary",
                key=f"delete_{item.id}",
                on_click=guarded,
                args=(memory.delete, f"Deleted: {item.text}", item.id),
                kwargs={"user_id": user_id},
            )


def save_memory(memory: Memory, memory_id: str, user_id: str) -> None:
    text = st.session_state.get(f"edit_{memory_id}", "")
    guarded(memory.update, f"Saved: {text.strip()}", memory_id, text, user_id=user_id)
    st.session_state.pop(f"edit_{memory_id}", None)  # the editor shows the stored text next time


def render_history(memory: Memory, memory_id: str, user_id: str) -> None:
    try:
        entries = memory.history(memory_id, user_id=user_id)
    except MemoryLayerError as exc:
        st.caption(str(exc))
        return
    for entry in entries:
        if entry.event.value == "UPDATE":
            change = f"{escape(entry.old_text or '')} → {escape(entry.new_text or '')}"
        else:
            change = escape(entry.new_text or entry.old_text or "")
        reason = f" ({escape(entry.reason)})" if entry.reason else ""
        st.markdown(f"**{entry.event.value}** · {when(entry.at)} · by {entry.actor}{reason}  \n{change}")


# -- documents ---------------------------------------------------------------------------------------
def render_documents(memory: Memory, user_id: str, documents: list[dict[str, Any]]) -> None:
    if not documents:
        st.info(
            "No documents yet. Attach a PDF, an image or a text file in the chat with **+**: "
            "its passages become memories, each with its file name and page.",
            icon=":material/description:",
        )
        return
    for doc in documents:
        icon = ":material/image:" if doc["kind"] == SourceKind.IMAGE.value else ":material/description:"
        with st.container(border=True, key=f"doc_{doc['sha256'][:16]}"):
            left, right = st.columns([5, 1], vertical_alignment="center")
            left.markdown(f"{icon} **{escape(doc['file_name'] or 'unnamed file')}**")
            left.caption(f"{doc['memories']} memories · uploaded {when(doc['uploaded_at'])}")
            right.button(
                "Delete",
                icon=":material/delete:",
                key=f"deldoc_{doc['sha256'][:16]}",
                on_click=guarded,
                args=(memory.delete_document, f"Deleted {doc['file_name']} and its memories.", doc["sha256"]),
                kwargs={"user_id": user_id},
            )


# -- export, import, delete all ----------------------------------------------------------------------
def render_transfer(memory: Memory, user_id: str, total: int) -> None:
    st.subheader("Export")
    st.download_button(
        "Download all memories (JSON)",
        icon=":material/download:",
        data=lambda: json.dumps(memory.export(user_id=user_id), indent=2, ensure_ascii=False),
        file_name=f"memories-{slug(user_id)}.json",
        mime="application/json",
        key="mm_export",
        on_click="ignore",
        disabled=not total,
    )
    st.subheader("Import")
    upload = st.file_uploader("A JSON export of this app", type=["json"], key="mm_import_file")
    st.button(
        "Import",
        icon=":material/upload:",
        key="mm_import",
        disabled=upload is None,
        on_click=import_memories,
        args=(memory, user_id),
    )
    st.subheader("Delete all memories")
    st.caption("Removes every memory, its history and the graph of this user. This cannot be undone.")
    confirm = st.text_input("Type DELETE to confirm", key="mm_delete_confirm", placeholder="DELETE")
    st.button(
        "Delete all memories",
        key="mm_delete_all",
        type="primary",
        disabled=confirm.strip() != "DELETE" or not total,
        on_click=delete_everything,
        args=(memory, user_id),
    )


def import_memories(memory: Memory, user_id: str) -> None:
    upload = st.session_state.get("mm_import_file")
    if upload is None:
        return
    try:
        data = json.loads(upload.getvalue().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        flash("error", f"This file is not valid JSON: {exc}")
        return
    try:
        count = memory.import_(data, user_id=user_id)
    except MemoryLayerError as exc:
        flash("error", str(exc))
        return
    flash("success", f"Imported {count} memor{'y' if count == 1 else 'ies'}.")


def delete_everything(memory: Memory, user_id: str) -> None:
    try:
        count = memory.delete_all(user_id=user_id)
    except MemoryLayerError as exc:
        flash("error", str(exc))
        return
    st.session_state["mm_delete_confirm"] = ""
    flash("success", f"Deleted all {count} memories.")


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "user"
