"""Per-browser chat state: each user's chats and messages live in ``st.session_state``."""

from __future__ import annotations

import uuid
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from memory import MemoryLayerError
from memory.types import AddResult, MemoryHit, Operation, PendingChange

TITLE_CHARS = 40


@dataclass
class ChatMessage:
    role: str  # "user" or "assistant"
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    content: str = ""
    files: list[str] = field(default_factory=list)  # names the user attached
    notices: list[str] = field(default_factory=list)  # what happened to the attached files
    errors: list[str] = field(default_factory=list)
    memories: list[MemoryHit] = field(default_factory=list)  # memories the answer used
    answered: bool = False  # there was a question, so the memory panel belongs under it
    memory_notes: list[str] = field(default_factory=list)  # "✓ Remembered: …"
    write: Future[AddResult] | None = None  # the memory write, while it is still running
    temporary: bool = False
    fix_notes: list[str] = field(default_factory=list)  # "✎ Corrected: …" from the panel's buttons
    turn: Any = None  # the Assistant's ChatTurn behind this answer, for its receipt
    questions: list[PendingChange] = field(default_factory=list)  # changes asked, not yet answered
    undoable: list[Operation] = field(default_factory=list)  # changes shown with an Undo button


@dataclass
class ChatSession:
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    title: str = ""
    messages: list[ChatMessage] = field(default_factory=list)

    def name(self, text: str) -> None:
        """Title the chat after its first message."""
        if not self.title and text.strip():
            flat = " ".join(text.split())
            self.title = flat if len(flat) <= TITLE_CHARS else flat[: TITLE_CHARS - 1] + "…"

    def history(self) -> list[dict[str, str]]:
        """Earlier messages for the language model, oldest first."""
        return [{"role": m.role, "content": m.content} for m in self.messages if m.content]


def chats(user_id: str) -> list[ChatSession]:
    """This user's chats in this browser session, newest first."""
    return st.session_state.setdefault("chats", {}).setdefault(user_id, [])


def current_chat(user_id: str) -> ChatSession:
    sessions = chats(user_id)
    current = st.session_state.setdefault("current_chat", {})
    for chat in sessions:
        if chat.id == current.get(user_id):
            return chat
    return new_chat(user_id)


def new_chat(user_id: str) -> ChatSession:
    """Start a chat, reusing the newest one while it is still empty."""
    sessions = chats(user_id)
    if sessions and not sessions[0].messages:
        chat = sessions[0]
    else:
        chat = ChatSession()
        sessions.insert(0, chat)
    st.session_state.setdefault("current_chat", {})[user_id] = chat.id
    return chat


def select_chat(user_id: str, chat_id: str) -> None:
    st.session_state.setdefault("current_chat", {})[user_id] = chat_id


def restore_chats(memory: Any, user_id: str) -> None:
    """Once per browser session and user: reopen the chats logged earlier, after this session's own."""
    restored = st.session_state.setdefault("restored_chats", set())
    if user_id in restored:
        return
    restored.add(user_id)
    sessions = chats(user_id)
    known = {chat.id for chat in sessions}
    try:
        summaries = memory.sessions(user_id=user_id)
        for summary in summaries:
            if summary.session_id in known:
                continue
            chat = ChatSession(id=summary.session_id)
            chat.messages = [
                ChatMessage(role=role, content=content)
                for role, content, _ in memory.transcript(summary.session_id, user_id=user_id)
            ]
            chat.name(summary.title)
            sessions.append(chat)
    except MemoryLayerError:
        return  # the chats of this session still work; older ones just are not listed
