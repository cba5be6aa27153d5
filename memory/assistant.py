"""``Assistant``: one chat turn = retrieve memories -> build the prompt -> stream the reply -> remember.

UI-agnostic: Streamlit, Gradio, the cookbooks and the tests drive the same object. The memory write
runs after the reply, through the assistant's ``TurnWriter`` (per-user order, bounded queue), so
replies never wait on it. Each turn carries a ``TurnReceipt``: what it took and what it cost.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from concurrent.futures import Future
from concurrent.futures import wait as futures_wait
from datetime import datetime
from typing import Any

from memory.checks import asks_about_self, orders_forgetting
from memory.errors import LLMError, MemoryLayerError
from memory.llm import ChatLLM, Message, make_llm
from memory.llm.usage import LLMCall, recording, summarise
from memory.prompts import ABOUT_YOU, chat_messages, offline_reply
from memory.receipt import TurnReceipt, operation_counts
from memory.types import AddResult, MemoryHit, MemoryItem, MemoryType, SourceKind
from memory.writer import TurnWriter

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
        self._reply_calls: list[LLMCall] = []

    @property
    def receipt(self) -> TurnReceipt:
        """What this turn took so far: complete once the reply has streamed and the write is done."""
        config = self._assistant.memory.config.llm
        llm = self._assistant.llm is not None
        receipt = TurnReceipt(retrieval_ms=round(self.retrieval_ms, 1), llm=llm, remembered=self.remember)
        if llm and self.done:
            receipt.reply = summarise(self._reply_calls, config)
        if self.write is not None and self.write.done():
            error = self.write.exception()
            if error is not None:
                receipt.write_failed = True
            else:
                result = self.write.result()
                receipt.operations = operation_counts(result)
                if llm:
                    receipt.extraction = result.usage or summarise([], config)
        return receipt

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
                while True:
                    with recording() as calls:  # only the model's own work, not the caller's
                        piece = next(source, None)
                    self._reply_calls += calls.of("reply")
                    if piece is None:
                        break
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
            try:
                self.write = self._assistant._remember(self, "" if self.offline else reply)
            except MemoryLayerError as exc:  # the queue is full: the turn says so instead of raising
                self.write = Future()
                self.write.set_exception(exc)


# "What do you know about me?" is answered from at most this many of the user's facts, newest first.
ABOUT_USER_SHOWN = 25
QUERY_CHARS = 2_000  # retrieval looks at the start of a very long message
LONG_MESSAGE_CHARS = 8_000  # longer messages are also stored as a pasted-text document
LONG_MESSAGE_PREVIEW = 1_000
# A fact that ended with nothing in its place is shown beside an answer when it ranks among the best
# ENDED_AMONG hits of the search that includes the past; at most ENDED_SHOWN of them.
ENDED_AMONG = 3
ENDED_SHOWN = 2
# A chat turn scoring under this share of the best hit's score matters too little to be used or shown
# beside the answer ("where did I live before?" does not list "what do I eat?"); facts and rules stay.
RELATIVE_FLOOR = 0.2
# An earlier turn that only asked is used only when it is this close in meaning: "Should I quit my job?"
# is found by "where did I live before?" through the turn before it ("where do I live?") alone.
ASKED_FLOOR = 0.3


def _worth_using(hits: list[MemoryHit]) -> list[MemoryHit]:
    """The hits a reply is built from and shown beside: facts and rules, and the chat turns that matter
    (an earlier order to forget tells nothing remembered)."""
    best = hits[0].score if hits else 0.0
    return [
        hit
        for hit in hits
        if hit.memory.type != MemoryType.EPISODIC
        or (
            hit.score >= RELATIVE_FLOOR * best
            and (not hit.memory.metadata.get("question") or (hit.similarity or 0.0) >= ASKED_FLOOR)
            and not orders_forgetting(hit.memory.text)
        )
    ]


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
        writer: TurnWriter | None = None,
    ) -> None:
        self.memory = memory
        self.llm = llm if llm is not None else make_llm(memory.config.llm)
        self.search_limit = search_limit
        self.history_limit = history_limit
        self.write_wait_s = write_wait_s
        self.writer = writer or TurnWriter()
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
            if query.strip() and asks_about_self(query):
                memories = self._about_user(user_id)
            if query.strip() and not memories:
                memories = self.memory.search(
                    query, user_id=user_id, agent_id=agent_id, limit=self.search_limit
                )
                memories = self._with_ended(query, _worth_using(memories), user_id, agent_id)
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

    def _about_user(self, user_id: str) -> list[MemoryHit]:
        """ "What do you know about me?": the user's current facts, newest first (at most
        ``ABOUT_USER_SHOWN``), not what a search of those words would rank; none when nothing is known.
        A file's knowledge is not about the user."""
        facts = [
            item
            for item in self.memory.get_all(user_id=user_id, types=[MemoryType.SEMANTIC])
            if item.source.kind != SourceKind.DOCUMENT
        ]
        facts.sort(key=lambda item: item.updated_at, reverse=True)
        return [
            MemoryHit(memory=item, score=1.0, matched_by=[ABOUT_YOU]) for item in facts[:ABOUT_USER_SHOWN]
        ]

    def _with_ended(
        self, query: str, found: list[MemoryHit], user_id: str, agent_id: str | None
    ) -> list[MemoryHit]:
        """``found`` with the facts the user ended with nothing in their place ("got laid off this
        morning") that rank among the best hits once the past is searched too: still the answer's business
        ("where do I work?"), and shown as the past, each where it ranked. A fact that was replaced is
        not: its successor is current. Unchanged when the search already reached the past (the question
        asked about it)."""
        if any(not hit.memory.current for hit in found):
            return found
        every = self.memory.search(
            query, user_id=user_id, agent_id=agent_id, limit=ENDED_AMONG, include_past=True
        )
        rank = {hit.memory.id: i for i, hit in enumerate(every)}
        ended = [
            hit
            for hit in every
            if not hit.memory.current
            and hit.memory.superseded_by is None
            and hit.memory.type == MemoryType.SEMANTIC
        ][:ENDED_SHOWN]
        merged = list(found)
        for hit in ended:  # before the first hit that ranked below it
            at = next(
                (k for k, h in enumerate(merged) if rank.get(h.memory.id, len(rank)) > rank[hit.memory.id]),
                None,
            )
            merged.insert(len(merged) if at is None else at, hit)
        return merged

    def close(self) -> None:
        """Finish pending memory writes and stop the writer threads."""
        self.writer.close()

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
            reply = offline_reply(turn.message, turn.memories, turn.rules, remember=turn.remember)
            yield from re.findall(r"[^\n]*\n|[^\n]+", reply)
            return
        yield from self.llm.stream(turn.prompt)

    def _remember(self, turn: ChatTurn, reply: str) -> Future[AddResult]:
        future = self.writer.submit(turn.user_id, lambda late: self._write(turn, reply, late=late))
        future.add_done_callback(_log_write_failure)
        self._last_write[turn.user_id] = future
        return future

    def _write(self, turn: ChatTurn, reply: str, *, late: bool = False) -> AddResult:
        """Remember the turn, with the extraction's LLM usage on the result. A turn that waited past
        the writer's deadline is kept as said, without extraction, so a backlog cannot grow forever."""
        config = self.memory.config.llm
        with recording(extraction_budget=config.max_extraction_tokens) as calls:
            result = self._store(turn, "" if late else reply, infer=not late)
        if late:
            result.warnings.append(
                f"This turn waited more than {self.writer.deadline_s:g} s to be remembered: it was kept "
                "as said, without looking for facts in it."
            )
        if result.usage is None and config.enabled:
            result.usage = summarise(calls.of("extraction"), config)
        return result

    def _store(self, turn: ChatTurn, reply: str, *, infer: bool) -> AddResult:
        """A very long paste is stored whole as a text document (chunked, searchable) and the turn
        keeps its opening, so nothing is lost and no single memory is enormous."""
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
            messages, user_id=turn.user_id, session_id=turn.session_id, agent_id=turn.agent_id, infer=infer
        )


def _log_write_failure(future: Future) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("remembering a turn failed: %s", future.exception())
