"""Ask before overwriting, undo after (Streamlit): a change the extractor was not sure of is asked in
the chat with Apply / Keep both / Ignore, and each change a turn made has Undo beside its notice."""

from __future__ import annotations

from typing import Any

import streamlit as st

from memory import MemoryLayerError
from memory.types import AddResult, Event, MemoryItem, Operation, PendingChange
from ui.markup import escape
from ui.notices import CHOICE_LABELS, can_undo, describe_answer, describe_operation, describe_undone
from ui.session import ChatMessage, chats

CHOICE_ICONS = {
    "apply": ":material/check:",
    "keep_both": ":material/call_split:",
    "ignore": ":material/close:",
}


def take_result(message: ChatMessage, result: AddResult) -> None:
    """Split a write's result: questions to ask, changes with Undo, and the other notes."""
    message.questions += result.pending
    message.undoable += [op for op in result.changed() if can_undo(op)]
    message.memory_notes += [
        note for op in result.changed() if not can_undo(op) and (note := describe_operation(op))
    ]
    message.memory_notes += [f"⚠ {w}" for w in result.warnings]


def edit_operation(memory: Any, user_id: str, old: MemoryItem, new: MemoryItem) -> Operation:
    """An edit made from the panel as an operation Undo can take back (its id is on the history row)."""
    rows = memory.history(old.id, user_id=user_id)
    op_id = rows[-1].operation_id if rows else None
    return Operation(
        event=Event.UPDATE,
        memory_id=old.id,
        type=old.type,
        old_text=old.text,
        new_text=new.text,
        reason="edited",
        id=op_id,
        undoable=bool(op_id),
    )


def render_questions(memory: Any, user_id: str, message: ChatMessage) -> None:
    """Each open question in plain words, with a button per answer it allows."""
    for change in message.questions:
        key = f"ask_{message.id}_{change.id}"
        with st.container(border=True, key=f"question_{message.id}_{change.id}"):
            st.markdown(f":material/help: {escape(change.question)}")
            with st.container(horizontal=True, gap="small"):
                for choice in change.choices:
                    st.button(
                        CHOICE_LABELS.get(choice, choice),
                        key=f"{key}_{choice}",
                        icon=CHOICE_ICONS.get(choice),
                        type="primary" if choice == "apply" else "secondary",
                        on_click=answer,
                        args=(memory, user_id, message, change, choice),
                    )


def render_undoable(memory: Any, user_id: str, message: ChatMessage) -> None:
    """Each change this turn made that can be reversed: its notice and an Undo button."""
    for op in message.undoable:
        key = f"undo_{message.id}_{op.id}"
        with st.container(
            horizontal=True, gap="small", vertical_alignment="center", key=f"change_{message.id}_{op.id}"
        ):
            st.caption(escape(describe_operation(op) or ""))
            st.button(
                "Undo",
                key=key,
                icon=":material/undo:",
                type="tertiary",
                on_click=undo,
                args=(memory, user_id, message, op),
            )


def answer(memory: Any, user_id: str, message: ChatMessage, change: PendingChange, choice: str) -> None:
    message.questions = [c for c in message.questions if c.id != change.id]
    try:
        result = memory.apply(change.id, choice, user_id=user_id)
    except MemoryLayerError as exc:
        message.memory_notes.append(f"⚠ {exc}")
        return
    message.undoable += [op for op in result.changed() if can_undo(op)]
    notes = describe_answer(change, choice, result)
    message.memory_notes += [n for n in notes if n not in map(describe_operation, message.undoable)]
    st.toast(escape(notes[0]))


def undo(memory: Any, user_id: str, message: ChatMessage, op: Operation) -> None:
    try:
        done = memory.undo(op.id, user_id=user_id)
    except MemoryLayerError as exc:  # UndoError among them: its message says why, in plain words
        message.memory_notes.append(f"⚠ {exc}")
        return
    message.undoable = [o for o in message.undoable if o.id != op.id]
    refresh_hits(memory, user_id, [d.memory_id for d in done if d.event == Event.UPDATE and d.memory_id])
    message.memory_notes.append(describe_undone(op))
    st.toast(escape(message.memory_notes[-1]))


def refresh_hits(memory: Any, user_id: str, memory_ids: list[str]) -> None:
    """Memories whose text an undo restored show that text in every panel of this user's chats."""
    for memory_id in memory_ids:
        try:
            item = memory.get(memory_id, user_id=user_id)
        except MemoryLayerError:
            continue
        for chat in chats(user_id):
            for m in chat.messages:
                for hit in m.memories:
                    if hit.memory.id == item.id:
                        hit.memory = item
