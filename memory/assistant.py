"""``Assistant``: one chat turn = retrieve memories -> build the prompt -> stream the reply -> remember.

UI-agnostic: Streamlit, Gradio, the cookbooks and the tests drive the same object. The memory write
runs after the reply, on one background thread owned by the assistant, so replies never wait on it.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from datetime import datetime
from typing import Any

from memory.errors import LLMError
from memory.llm import ChatLLM, Message, make_llm
from memory.prompts import chat_messages, offline_reply
from memory.types import AddResult, MemoryHit, MemoryItem, MemoryType

log = logging.getLogger(__name__)

UNREACHABLE_NOTICE = "⚠️ The language model could not be reached: {error}."


class ChatTurn:
    """One turn: what was retrieved (available at once), then the streamed reply, then the write."""

    def __init__(
        self,
        *,
        assistant: Assistant,
        message: str,
        user_id: str,
        session_id: str | None,
        agent_id: str | None,
        remember: bool,
        memories: list[MemoryHit],
        rules: list[MemoryItem],
        retrieval_ms: float,
        prompt: list[Message] | None,
        warnings: list[str],
    ) -> None:
        self.message = message
        self.user_id = user_id
        self.session_id = session_id
        self.agent_id = agent_id
        self.remember = remember
        self.memories = memories
        self.rules = rules
        self.retrieval_ms = retrieval_ms
        self.prompt = prompt  # the messages sent to the model; None when answering from memory
        self.warnings = warnings
        self.text = ""  # the full reply shown to the user, set when the stream ends
        self.error: str | None = None  # why the model failed, when it did
        self.done = False
        self.write: Future[AddResult] | None = None
        self._assistant = assistant
        self._started = False

    @property
    def offline(self) -> bool:
        return self.prompt is None

    def stream(self) -> Iterator[str]:
        """The reply piece by piece. Model failures end it with a notice instead of raising."""
        if self._started:
            if self.done and self.text:
                yield self.text
            return
        self._started = True
        source = self._assistant._reply_pieces(self)
        parts: list[str] = []
        notice = ""
        try:
            try:
                for piece in source:
                    parts.append(piece)
                    yield piece
            except Exception as exc:  # the UI must get words, never a traceback
                if not isinstance(exc, LLMError):
                    log.exception("the reply stream failed")
                self.error = str(exc) or type(exc).__name__
                notice = ("\n\n" if "".join(parts).strip() else "") + UNREACHABLE_NOTICE.format(
                    error=self.error.rstrip(".")
                )
                yield notice
        finally:
            source.close()
            self._finish("".join(parts), notice)

    def reply(self) -> str:
        """Consume the stream and return the whole reply."""
        for _ in self.stream():
            pass
        return self.text

    def wait_write(self, timeout: float | None = None) -> AddResult | None:
        """The result of the memory write; None for a temporary chat or a stream not yet finished."""
        if self.write is None:
            return None
        return self.write.result(timeout=timeout)

    def _finish(self, reply: str, notice: str) -> None:
        if self.done:
            return
        self.text = reply + notice
        self.done = True
        if self.remember:
            # An answer composed from memory repeats stored memories: only the user's words are new.
            self.write = self._assistant._remember(self, "" if self.offline else reply)


QUERY_CHARS = 2_000  # retrieval looks at the start of a very long message
LONG_MESSAGE_CHARS = 8_000  # longer messages are also stored as a pasted-text document
LONG_MESSAGE_PREVIEW = 1_000


class Assistant:
    """Chat over a ``Memory``; without a language model it answers from memory, clearly labelled."""

    def __init__(
        self,
        memory: Any,
        llm: ChatLLM | None = None,
        *,
        search_limit: int = 8,
        history_limit: int = 20,
        write_wait_s: float = 5.0,
    ) -> None:
        self.memory = memory
        self.llm = llm if llm is not None else make_llm(memory.config.llm)
        self.search_limit = search_limit
        self.history_limit = history_limit
        self.write_wait_s = write_wait_s
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="memory-write")
        self._last_write: dict[str, Future[AddResult]] = {}

    @property
    def offline(self) -> bool:
        return self.llm is None

    def turn(
        self,
        message: str,
        *,
        user_id: str,
        session_id: str | None = None,
        agent_id: str | None = None,
        history: list[dict[str, Any]] | None = None,
        remember: bool = True,
        attachments_text: str | None = None,
    ) -> ChatTurn:
        """Retrieve now; the reply comes from ``ChatTurn.stream()``.

        The previous turn's memory write is given up to ``write_wait_s`` to finish first, so a rule or
        fact stated a moment ago is already there (offline it takes milliseconds; with an LLM, seconds).
        """
        pending = self._last_write.get(user_id)
        if pending is not None and not pending.done():
            futures_wait([pending], timeout=self.write_wait_s)
        started = time.perf_counter()
        query = (message.strip() or (attachments_text or ""))[:QUERY_CHARS]
        warnings: list[str] = []
        memories: list[MemoryHit] = []
        rules: list[MemoryItem] = []
        try:
            if query.strip():
                memories = self.memory.search(
                    query, user_id=user_id, agent_id=agent_id, limit=self.search_limit
                )
            rules = self.memory.get_all(user_id=user_id, agent_id=agent_id, types=[MemoryType.PROCEDURAL])
        except Exception as exc:  # answer without memories rather than not at all
            log.exception("memory retrieval failed")
            warnings.append(f"Memories could not be retrieved: {exc}")
        retrieval_ms = (time.perf_counter() - started) * 1000
        prompt = None
        if self.llm is not None:
            prompt = self._prompt(message, memories, rules, history or [], attachments_text)
        return ChatTurn(
            assistant=self,
            message=message,
            user_id=user_id,
            session_id=session_id,
            agent_id=agent_id,
            remember=remember,
            memories=memories,
            rules=rules,
            retrieval_ms=retrieval_ms,
            prompt=prompt,
            warnings=warnings,
        )

    def close(self) -> None:
        """Finish pending memory writes and stop the writer thread."""
        self._writer.shutdown(wait=True)

    def __enter__(self) -> Assistant:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _prompt(
        self,
        message: str,
        memories: list[MemoryHit],
        rules: list[MemoryItem],
        history: list[dict[str, Any]],
        attachments_text: str | None,
    ) -> list[Message]:
        earlier = [
            {"role": m["role"], "content": m["content"]}
            for m in history
            if m.get("role") in ("user", "assistant") and isinstance(m.get("content"), str) and m["content"]
        ][-self.history_limit :]
        today = datetime.now().astimezone().date()
        return chat_messages(
            message, memories, rules, earlier, today=today, attachments_text=attachments_text
        )

    def _reply_pieces(self, turn: ChatTurn) -> Iterator[str]:
        if self.llm is None or turn.prompt is None:
            yield from re.findall(r"[^\n]*\n|[^\n]+", offline_reply(turn.message, turn.memories, turn.rules))
            return
        yield from self.llm.stream(turn.prompt)

    def _remember(self, turn: ChatTurn, reply: str) -> Future[AddResult]:
        future = self._writer.submit(self._write, turn, reply)
        future.add_done_callback(_log_write_failure)
        self._last_write[turn.user_id] = future
        return future

    def _write(self, turn: ChatTurn, reply: str) -> AddResult:
        """Remember the turn. A very long paste is stored whole as a text document (chunked, searchable)
        and the turn keeps its opening, so nothing is lost and no single memory is enormous."""
        message = turn.message
        if turn.session_id:
            shown = [{"role": "user", "content": message}]
            shown += [{"role": "assistant", "content": turn.text}] if turn.text.strip() else []
            self.memory.log_conversation(shown, user_id=turn.user_id, session_id=turn.session_id)
        if len(message) > LONG_MESSAGE_CHARS:
            stamp = datetime.now().astimezone().strftime("%Y-%m-%d %H.%M.%S")
            doc = self.memory.ingest(
                message.encode("utf-8"),
                user_id=turn.user_id,
                agent_id=turn.agent_id,
                filename=f"pasted text {stamp}.txt",
                session_id=turn.session_id,
            )
            message = (
                f"{message[:LONG_MESSAGE_PREVIEW].rstrip()}… [pasted text of {len(turn.message):,} "
                f"characters, stored whole as {doc.file_name}]"
            )
        messages = [{"role": "user", "content": message}]
        if reply.strip():
            messages.append({"role": "assistant", "content": reply[:LONG_MESSAGE_CHARS]})
        return self.memory.add(
            messages, user_id=turn.user_id, session_id=turn.session_id, agent_id=turn.agent_id
        )


def _log_write_failure(future: Future) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("remembering a turn failed: %s", future.exception())
