"""Fix it from the answer: every memory an answer used can be edited, forgotten, or marked wrong
(which opens the editor). Changes go through the public Memory API and apply at once, with a notice."""

from __future__ import annotations

from typing import Any

import streamlit as st

from memory import MemoryLayerError
from memory.types import MemoryHit, MemoryItem
from ui.memory_view import escape
from ui.questions import edit_operation
from ui.session import ChatMessage, chats

WRONG_HINT = "What is right? Correct it below, or forget it."


def render_fix_controls(memory: Any, user_id: str, message: ChatMessage, hit: MemoryHit) -> None:
    """Edit / Forget / This is wrong under one memory of the panel; the editor opens in place."""
    key = f"fix_{message.id}_{hit.memory.id}"
    mode = st.session_state.get("fix_open", {}).get(key)
    if mode:
        render_editor(memory, user_id, message, hit.memory, key, mode)
        return
    buttons = [  # label, key suffix, icon, callback, its arguments
        ("Edit", "edit", ":material/edit:", open_editor, (key, "edit")),
        ("Forget", "forget", ":material/delete:", forget, (memory, user_id, message, hit.memory)),
        ("This is wrong", "wrong", ":material/report:", open_editor, (key, "wrong")),
    ]
    with st.container(horizontal=True, gap="small", key=f"{key}_bar"):
        for label, suffix, icon, action, args in buttons:
            st.button(label, key=f"{key}_{suffix}", icon=icon, type="tertiary", on_click=action, args=args)


def render_editor(
    memory: Any, user_id: str, message: ChatMessage, item: MemoryItem, key: str, mode: str
) -> None:
    with st.container(border=True, key=f"{key}_editor"):
        if mode == "wrong":
            st.caption(WRONG_HINT)
        st.text_area("Memory", value=item.text, key=f"{key}_text", label_visibility="collapsed")
        with st.container(horizontal=True, gap="small"):
            st.button(
                "Save",
                key=f"{key}_save",
                type="primary",
                icon=":material/check:",
                on_click=save,
                args=(memory, user_id, message, item, key),
            )
            st.button("Cancel", key=f"{key}_cancel", on_click=close_editor, args=(key,))
            if mode == "wrong":
                st.button(
                    "Forget it",
                    key=f"{key}_forget_wrong",
                    icon=":material/delete:",
                    on_click=forget,
                    args=(memory, user_id, message, item, key),
                )


def open_editor(key: str, mode: str) -> None:
    st.session_state.setdefault("fix_open", {})[key] = mode


def close_editor(key: str) -> None:
    st.session_state.setdefault("fix_open", {}).pop(key, None)
    st.session_state.pop(f"{key}_text", None)  # the editor shows the stored text next time


def save(memory: Any, user_id: str, message: ChatMessage, item: MemoryItem, key: str) -> None:
    text = str(st.session_state.get(f"{key}_text", "")).strip()
    if text == item.text:
        close_editor(key)
        return
    try:
        new = memory.update(item.id, text, user_id=user_id)
    except MemoryLayerError as exc:
        message.fix_notes.append(f"⚠ {exc}")
        return
    close_editor(key)
    for hit in hits_of(user_id, item.id):
        hit.memory = new
    edit = edit_operation(memory, user_id, item, new)
    if edit.undoable:  # shown with an Undo button among the turn's changes
        message.undoable.append(edit)
        st.toast(escape(f"✎ Corrected: {item.text} → {new.text}"))
    else:
        notify(message, f"✎ Corrected: {item.text} → {new.text}")


def forget(memory: Any, user_id: str, message: ChatMessage, item: MemoryItem, key: str | None = None) -> None:
    try:
        memory.delete(item.id, user_id=user_id)
    except MemoryLayerError as exc:
        message.fix_notes.append(f"⚠ {exc}")
        return
    if key:
        close_editor(key)
    drop_from_panels(user_id, {item.id})
    notify(message, f"🗑 Forgot: {item.text}")


def drop_from_panels(user_id: str, memory_ids: set[str]) -> None:
    """Forgotten memories leave every panel of memories used in this user's chats."""
    if not memory_ids:
        return
    for chat in chats(user_id):
        for message in chat.messages:
            message.memories = [hit for hit in message.memories if hit.memory.id not in memory_ids]


def hits_of(user_id: str, memory_id: str) -> list[MemoryHit]:
    return [
        hit
        for chat in chats(user_id)
        for m in chat.messages
        for hit in m.memories
        if hit.memory.id == memory_id
    ]


def notify(message: ChatMessage, note: str) -> None:
    message.fix_notes.append(note)
    st.toast(escape(note))


def render_fix_notes(message: ChatMessage) -> None:
    for note in message.fix_notes:
        st.caption(escape(note))
