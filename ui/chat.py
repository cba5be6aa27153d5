"""The chat page: history from session state, streamed answers, the memories each answer used."""

from __future__ import annotations

from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

import streamlit as st

from memory import MemoryHit, MemoryLayerError
from ui.fix import drop_from_panels, render_fix_controls, render_fix_notes
from ui.markup import inert_markdown
from ui.memory_view import escape, render_memories_used
from ui.notices import describe_ingest
from ui.questions import render_questions, render_undoable, take_result
from ui.services import Services
from ui.session import ChatMessage, ChatSession, current_chat
from ui.support import support_agent

FILE_TYPES = ["pdf", "png", "jpg", "jpeg", "webp", "gif", "txt", "md"]
WRITE_WAIT_S = 20.0  # how long an answer waits for "Memory updated" before leaving it to the next rerun

WELCOME = """
**Hi! I remember what you tell me — across chats.**

- Tell me about yourself: *"My name is Ada and I live in Paris."*
- Give me rules: *"Always answer in French."*
- Attach a PDF, an image or a text file with **+**, then ask about it.

Every answer shows which memories it used. See, edit or delete them in the **Memory manager**.
"""


def render_chat(services: Services, user_id: str, temporary: bool) -> None:
    chat = current_chat(user_id)
    # The input is pinned to the bottom wherever it is called; reading it first lets the welcome
    # text go away in the same run as the first message.
    prompt = st.chat_input(
        "Message the assistant, or attach a file…",
        accept_file="multiple",
        file_type=FILE_TYPES,
        key="chat_input",
    )
    text = (prompt.text or "").strip() if prompt else ""
    files = list(prompt.files or []) if prompt else []
    if temporary:
        st.info(
            "**Temporary chat** — nothing said or uploaded here is remembered.",
            icon=":material/visibility_off:",
        )
    if not chat.messages and not (text or files):
        st.markdown(WELCOME)
    for message in chat.messages:
        render_message(services, user_id, message)
    if text or files:
        send(services, chat, user_id, text, files, temporary)
        st.rerun()  # the sidebar's chat list was drawn before this chat had its first message


def render_message(services: Services, user_id: str, message: ChatMessage) -> None:
    with st.chat_message(message.role):
        if message.role == "user":
            if message.content:
                st.markdown(inert_markdown(message.content))
            for name in message.files:
                st.caption(f":material/attach_file: {escape(name)}")
            return
        for notice in message.notices:
            st.markdown(escape(notice))
        for error in message.errors:
            st.error(error)
        if message.content:
            st.markdown(inert_markdown(message.content))
        if message.answered:
            render_panel(services, user_id, message)
        collect_write(message, user_id)
        render_memory_notes(services, user_id, message)


def render_panel(services: Services, user_id: str, message: ChatMessage) -> None:
    """The memories the answer used, each with edit / forget / this is wrong, then what was fixed."""
    data_dir = Path(services.memory.config.data_dir)

    def controls(hit: MemoryHit) -> None:
        if hit.scope == "agent":  # shared by every customer: changed on the operator page only
            st.caption(":material/support_agent: From the agent's playbook and knowledge base.")
            return
        render_fix_controls(services.memory, user_id, message, hit)

    render_memories_used(message.memories, data_dir, controls, key=f"hit_{message.id}")
    render_fix_notes(message)


def send(
    services: Services, chat: ChatSession, user_id: str, text: str, files: list[Any], temporary: bool
) -> None:
    """Take the files first, then answer the text; an empty message without files does nothing."""
    text = text.strip()
    if not text and not files:
        return
    question = ChatMessage(role="user", content=text, files=[f.name for f in files])
    answer = ChatMessage(role="assistant", temporary=temporary)
    history = chat.history()
    chat.name(text or files[0].name)
    chat.messages += [question, answer]
    render_message(services, user_id, question)
    with st.chat_message("assistant"):
        for upload in files:
            ingest_upload(services, upload, user_id, chat.id, answer, temporary)
        if text:
            answer_text(services, text, user_id, chat.id, history, answer)


def ingest_upload(
    services: Services, upload: Any, user_id: str, session_id: str, answer: ChatMessage, temporary: bool
) -> None:
    name = upload.name
    if temporary:
        answer.notices.append(f"📄 {name} was not read: files become memories, and this chat is temporary.")
        st.markdown(escape(answer.notices[-1]))
        return
    with st.status(f"Reading {name}…", expanded=True) as status:
        bar = st.progress(0.0, text="Opening the file…")

        def progress(done: int, total: int) -> None:
            bar.progress(min(done / max(total, 1), 1.0), text=f"Page {done} of {total}")

        try:
            result = services.memory.ingest(
                upload.getvalue(), user_id=user_id, filename=name, session_id=session_id, progress=progress
            )
        except MemoryLayerError as exc:
            status.update(label=f"{name} could not be read", state="error", expanded=False)
            answer.errors.append(str(exc))
            st.error(str(exc))
            return
        except Exception as exc:
            status.update(label=f"{name} could not be read", state="error", expanded=False)
            answer.errors.append(f"{name} could not be read: {exc}")
            st.error(answer.errors[-1])
            return
        status.update(label=f"Read {name}", state="complete", expanded=False)
    lines = describe_ingest(result)
    answer.notices += lines
    for line in lines:
        st.markdown(escape(line))


def answer_text(
    services: Services,
    text: str,
    user_id: str,
    session_id: str,
    history: list[dict[str, str]],
    answer: ChatMessage,
) -> None:
    try:
        turn = services.assistant.turn(
            text,
            user_id=user_id,
            session_id=session_id,
            history=history,
            remember=not answer.temporary,
            agent_id=support_agent(services),
        )
    except MemoryLayerError as exc:
        answer.errors.append(str(exc))
        st.error(str(exc))
        return
    answer.answered = True
    answer.memories = turn.memories
    answer.turn = turn
    for warning in turn.warnings:
        st.warning(warning)
    show_stream(turn.stream())
    answer.content = turn.text
    render_memories_used(turn.memories, Path(services.memory.config.data_dir))
    answer.write = turn.write
    if answer.write is not None:
        with st.spinner("Updating memory…"):
            try:
                answer.write.result(timeout=WRITE_WAIT_S)
            except FutureTimeout:
                pass  # still writing: the notice appears on a later rerun
            except Exception:
                pass  # collect_write turns the failure into words
        collect_write(answer, user_id)
    render_memory_notes(services, user_id, answer)


def show_stream(pieces: Any) -> None:
    """The reply as it streams, made inert as a whole each time, so that no image whose Markdown
    arrives in several pieces is ever rendered, not even for a moment."""
    placeholder = st.empty()
    shown = ""
    for piece in pieces:
        shown += piece
        placeholder.markdown(inert_markdown(shown) + " ▌")
    placeholder.markdown(inert_markdown(shown))


def collect_write(message: ChatMessage, user_id: str) -> None:
    """Turn a finished background write into 'Memory updated' notes, Undo buttons and questions (once).
    What a forget order erased leaves every panel of memories used (the chat reruns after an answer)."""
    future = message.write
    if future is None or not future.done():
        return
    message.write = None
    try:
        result = future.result()
    except Exception as exc:
        message.memory_notes = [f"⚠ This turn could not be remembered: {exc}"]
        return
    take_result(message, result)
    drop_from_panels(user_id, set(result.forgotten))


def render_memory_notes(services: Services, user_id: str, message: ChatMessage) -> None:
    if message.temporary:
        st.caption(":material/visibility_off: Temporary chat: not remembered.")
        return
    if message.write is not None:
        st.caption(":material/hourglass_top: Updating memory…")
    render_undoable(services.memory, user_id, message)
    if message.memory_notes:
        st.caption("  \n".join(escape(note) for note in message.memory_notes))
    render_questions(services.memory, user_id, message)
    if message.turn is not None:
        st.caption(f":material/receipt_long: {escape(message.turn.receipt.line())}")
