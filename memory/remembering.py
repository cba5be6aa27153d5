"""What is said becomes memories: a chat turn is kept as an episode and its facts are extracted and
reconciled; an operator's words teach the agent; entries are stored as given; the user corrects a
memory or switches a rule. Every write goes through the facade's ``writing`` (one unit of work)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from memory.agent_scope import Scope, agent_of, check_agent
from memory.checks import check_id, check_text, is_question, normalise_messages, without_forget_orders
from memory.config import MemoryConfig
from memory.embeddings.parts import embed_texts
from memory.errors import InvalidInputError
from memory.extraction import Extraction, Extractor, Turn
from memory.llm.usage import recording, summarise
from memory.reading import Reading, owner_of
from memory.reconcile import Reconciler
from memory.retrieval import PRESETS, Retriever
from memory.stores.base import ScopeFilter
from memory.stores.payload import INDEX_CONTEXT
from memory.types import (
    AddResult,
    Event,
    MemoryInput,
    MemoryItem,
    MemoryType,
    Operation,
    Source,
    SourceKind,
    new_id,
    utcnow,
)
from memory.writes import Epoch, Stores, UnitOfWork, Writing

DELETED_MEANWHILE = (
    "Your memories were deleted while this message was being processed; nothing of it was kept."
)


class Remembering:
    """The writes behind ``Memory.add``, ``remember_turn``, ``add_batch``, ``update`` and ``confirm_rule``."""

    def __init__(
        self,
        stores: Stores,
        extractor: Extractor,
        reconciler: Reconciler,
        retriever: Retriever,
        reading: Reading,
        config: MemoryConfig,
        writing: Writing,
        epoch: Epoch,
    ) -> None:
        self._vectors = stores.vectors
        self._embedder = stores.embedder
        self._extractor = extractor
        self._reconciler = reconciler
        self._retriever = retriever
        self._reading = reading
        self._config = config
        self._writing = writing
        self._epoch = epoch

    def add(
        self,
        messages: Any,
        user_id: str | None,
        agent_id: str | None,
        session_id: str | None,
        metadata: dict[str, Any] | None,
        infer: bool,
        occurred_at: datetime | None,
        scope: Scope,
    ) -> AddResult:
        """Remember a turn: the user's message is always kept as an episodic memory, and with
        ``infer`` its facts, preferences and rules are reconciled (ADD/UPDATE/DELETE/NONE).
        ``scope="agent"`` (agent_id, no user_id) is the operator teaching the agent: its rules and facts
        go to the agent's shared memory, which a customer's turn can never write."""
        user_id = owner_of(user_id, agent_id, scope)
        agent_id = check_agent(agent_id)
        msgs = normalise_messages(messages, self._config.max_text_chars)
        if scope == "agent":
            return self._teach_agent(msgs, user_id, agent_id, session_id, metadata, infer, occurred_at)
        user_text = "\n".join(m["content"] for m in msgs if m["role"] == "user").strip()
        turn_id = str(uuid.uuid4())
        at = occurred_at or utcnow()
        if not infer:
            inputs = [
                MemoryInput(
                    text=m["content"],
                    agent_id=agent_id,
                    session_id=session_id,
                    occurred_at=at,
                    source=Source(
                        kind=SourceKind.CHAT, session_id=session_id, turn_id=turn_id, role=m["role"]
                    ),
                    metadata=metadata or {},
                )
                for m in msgs
            ]
            items = self.add_batch(inputs, user_id, None, "user")
            return AddResult(
                operations=[
                    Operation(event=Event.ADD, memory_id=i.id, type=i.type, new_text=i.text) for i in items
                ],
                extractor="none",
            )
        if not user_text:
            raise InvalidInputError("There is no user message to remember.")
        turn = Turn(
            text=user_text,
            role="user",
            user_id=user_id,
            agent_id=agent_id,
            session_id=session_id,
            turn_id=turn_id,
            at=at,
            context=[m for m in msgs if m["role"] != "user"],
            source=Source(kind=SourceKind.CHAT, session_id=session_id, turn_id=turn_id, role="user"),
        )
        llm = self._config.llm
        with recording(extraction_budget=llm.max_extraction_tokens) as calls:
            result = self.remember_turn(turn, metadata, True)
        if result.usage is None and llm.enabled:  # tokens and time of the extraction, for receipts
            result.usage = summarise(calls.of("extraction"), llm)
        return result

    def remember_turn(self, turn: Turn, metadata: dict[str, Any] | None, keep_episode: bool) -> AddResult:
        """Store the turn itself first (so it is never lost), then extract and reconcile its facts.
        The extraction (an LLM call, possibly seconds) runs outside any lock; if the user's memories
        are deleted meanwhile, nothing of this turn comes back."""
        since = self._epoch(turn.user_id)
        ops: list[Operation] = []
        episode = None
        if keep_episode:
            episode = Reconciler.new_item(turn, turn.text, MemoryType.EPISODIC)
            episode.metadata = {**(metadata or {}), "question": is_question(turn.text)}
            earlier = self._earlier_turns(turn)
            if earlier:
                episode.metadata[INDEX_CONTEXT] = earlier
            vector = embed_texts(self._embedder, [episode.text])
            with self._writing(turn.user_id, since) as uow:
                if uow is None:
                    return AddResult(warnings=[DELETED_MEANWHILE], extractor="none")
                uow.operation_id = episode_op = new_id()
                uow.add([episode], reason="chat turn", vectors=vector)
            ops.append(
                Operation(
                    event=Event.ADD,
                    memory_id=episode.id,
                    type=MemoryType.EPISODIC,
                    new_text=turn.text,
                    reason="chat turn",
                    id=episode_op,
                    undoable=True,
                )
            )
        related = self._related(turn)
        extraction = self._extract(turn, related)
        with self._writing(turn.user_id, since) as uow:
            if uow is None:
                return AddResult(operations=ops, warnings=[DELETED_MEANWHILE], extractor=extraction.extractor)
            if episode is not None and (extraction.turn_entities or extraction.turn_relations):
                self._annotate_episode(uow, episode, extraction)
            applied, warnings = self._reconciler.apply(turn, extraction, related, uow)
            if episode is not None and any(op.erased for op in applied):
                ops = self._redact_order(uow, episode, ops)
        return AddResult(
            operations=ops + applied,
            warnings=warnings,
            extractor=extraction.extractor,
            pending=uow.asked,
            forgotten=uow.erased,
        )

    def _redact_order(self, uow: UnitOfWork, episode: MemoryItem, ops: list[Operation]) -> list[Operation]:
        """The turn made the memory forget: it is kept without the words of its order."""
        found = self._vectors.get([episode.id], ScopeFilter(user_id=episode.user_id))
        if not found:
            return ops
        kept = uow.redact(found[0], without_forget_orders(episode.text))
        return [
            op.model_copy(update={"new_text": kept.text}) if op.memory_id == episode.id else op for op in ops
        ]

    def _earlier_turns(self, turn: Turn) -> str:
        """The turns just before this one in the same session: keyword-indexed with it (not part of its
        text), so a reply like "Yes, last Friday!" is found by the words of the question it answers."""
        n = self._config.retrieval.context_turns
        if not n or not turn.session_id:
            return ""
        scope = ScopeFilter(
            user_id=turn.user_id,
            agent_id=turn.agent_id,
            session_id=turn.session_id,
            types=[MemoryType.EPISODIC],
        )
        return "\n".join(item.text for item in reversed(self._vectors.newest(scope, n)))

    def _extract(self, turn: Turn, related: list[MemoryItem]) -> Extraction:
        try:
            return self._extractor.extract(turn, related)
        except Exception as exc:  # an extractor bug must not lose the turn, which is already stored
            return Extraction(
                warnings=[f"Could not extract facts from this message: {exc}"], extractor="none"
            )

    def _annotate_episode(self, uow: UnitOfWork, episode: MemoryItem, extraction: Extraction) -> None:
        """Entities and triples of the turn go on its episodic memory, if it still exists."""
        found = self._vectors.get([episode.id], ScopeFilter(user_id=episode.user_id))
        if not found:
            return  # deleted while the extractor was working: nothing is written back
        current = found[0]
        annotated = current.model_copy(
            update={"entities": extraction.turn_entities, "relations": extraction.turn_relations}
        )
        uow.rewrite(current, annotated)

    def _related(self, turn: Turn) -> list[MemoryItem]:
        """Existing facts and rules near the turn, shown to the extractor as m1..mN (graph-free: the
        extractor needs the memories themselves). The nearest ten, however far: the floor that keeps an
        unrelated memory out of an answer would hide "User lives with their parents." from "got my own
        flat in Sheffield", and the extractor judges for itself what a turn is about."""
        scope = ScopeFilter(
            user_id=turn.user_id, agent_id=turn.agent_id, types=[MemoryType.SEMANTIC, MemoryType.PROCEDURAL]
        )
        settings = replace(PRESETS["hybrid"], graph=False, min_dense_similarity=0.0)
        hits = self._retriever.search(turn.text, scope, 10, settings)
        return [h.memory for h in hits]

    def add_batch(
        self, entries: list[MemoryInput], user_id: str | None, agent_id: str | None, scope: Scope
    ) -> list[MemoryItem]:
        """Store memories verbatim in one unit of work (embedded before the lock is taken): no
        extraction, one history row each. ``scope="agent"``: rules and facts of the agent's shared memory."""
        user_id = owner_of(user_id, agent_id, scope)
        if scope == "agent":
            entries = [_agent_entry(e, agent_of(user_id) or "") for e in entries]
        items = [item_from_input(e, user_id, self._config.max_text_chars) for e in entries]
        since = self._epoch(user_id)
        vectors = embed_texts(self._embedder, [i.text for i in items])
        with self._writing(user_id, since) as uow:
            if uow is None:
                return []
            uow.add(items, reason="stored as given", vectors=vectors)
        return items

    def update(
        self,
        memory_id: Any,
        text: Any,
        user_id: str | None,
        agent_id: str | None,
        metadata: dict[str, Any] | None,
        scope: Scope,
    ) -> MemoryItem:
        """Correct a memory in place (same id; the old text stays in its history). Its graph edges
        are closed, since they described the old text."""
        text = check_text(text, self._config.max_text_chars)
        memory_id, user_id = check_id(memory_id), owner_of(user_id, agent_id, scope)
        with self._writing(user_id) as uow:
            assert uow is not None
            old = self._reading.owned(memory_id, user_id, agent_id)  # re-read under the lock
            new = old.model_copy(
                update={
                    "text": text,
                    "updated_at": utcnow(),
                    "relations": [],
                    "metadata": {**old.metadata, **(metadata or {})},
                }
            )
            uow.operation_id = new_id()  # ``undo`` finds the edit by it (history's operation_id)
            uow.rewrite(old, new, event=Event.UPDATE, actor="user", reason="edited")
        return new

    def confirm_rule(
        self, memory_id: Any, user_id: str | None, active: bool, agent_id: str | None, scope: Scope
    ) -> MemoryItem:
        """Switch a rule on (an imported rule waits for this) or off, without changing its text."""
        memory_id, user_id = check_id(memory_id), owner_of(user_id, agent_id, scope)
        with self._writing(user_id) as uow:
            assert uow is not None
            rule = self._reading.owned(memory_id, user_id, agent_id if scope == "agent" else None)
            if rule.type != MemoryType.PROCEDURAL:
                raise InvalidInputError("Only rules (procedural memories) can be switched on or off.")
            metadata = {**rule.metadata, "inactive": not active}
            reason = "rule confirmed by the user" if active else "rule switched off by the user"
            new = rule.model_copy(update={"metadata": metadata, "updated_at": utcnow()})
            uow.rewrite(rule, new, event=Event.UPDATE, actor="user", reason=reason)
        return new

    def _teach_agent(
        self,
        msgs: list[dict[str, str]],
        owner: str,
        agent_id: str | None,
        session_id: str | None,
        metadata: dict[str, Any] | None,
        infer: bool,
        occurred_at: datetime | None,
    ) -> AddResult:
        """The operator's words become the agent's rules and facts (no episode: the agent's memory is
        its playbook and knowledge). What the extractor finds nothing in is kept as a fact, as said."""
        text = "\n".join(m["content"] for m in msgs if m["role"] != "assistant").strip()
        if not text:
            raise InvalidInputError("There is no operator message to remember.")
        turn_id = str(uuid.uuid4())
        source = Source(kind=SourceKind.CHAT, session_id=session_id, turn_id=turn_id, role="operator")
        turn = Turn(
            text=text,  # the extractor reads it as a speaker's turn; the source says who said it
            user_id=owner,
            agent_id=agent_id,
            session_id=session_id,
            turn_id=turn_id,
            at=occurred_at or utcnow(),
            source=source,
        )
        result = self.remember_turn(turn, metadata, False) if infer else AddResult(extractor="none")
        if result.operations:
            return result
        entry = MemoryInput(
            text=text,
            type=MemoryType.SEMANTIC,
            agent_id=agent_id,
            session_id=session_id,
            occurred_at=turn.at,
            source=source,
            metadata=metadata or {},
        )
        items = self.add_batch([entry], None, agent_id, "agent")
        result.operations += [
            Operation(
                event=Event.ADD, memory_id=i.id, type=i.type, new_text=i.text, reason="stated by an operator"
            )
            for i in items
        ]
        return result


def item_from_input(entry: MemoryInput, user_id: str, max_chars: int) -> MemoryItem:
    """A new memory of ``user_id`` (a resolved owner) from an entry, its text checked."""
    at = entry.occurred_at or utcnow()
    metadata = entry.metadata
    if entry.type == MemoryType.EPISODIC and "question" not in metadata:
        # a turn stored as given is weighed as the chat weighs its own turns (a question tells little)
        metadata = {**metadata, "question": is_question(entry.text)}
    return MemoryItem(
        text=check_text(entry.text, max_chars),
        type=entry.type,
        user_id=user_id,
        agent_id=entry.agent_id,
        session_id=entry.session_id,
        valid_from=at,
        source=entry.source,
        entities=entry.entities,
        relations=entry.relations,
        metadata=metadata,
    )


def _agent_entry(entry: MemoryInput, agent_id: str) -> MemoryInput:
    """An entry for the agent's shared memory: a rule or a fact of that agent, never an episode."""
    if entry.type == MemoryType.EPISODIC:
        raise InvalidInputError(
            "The agent's shared memory holds rules, facts and documents, not episodes: store this as "
            "a semantic or procedural memory, or in the customer's own memory."
        )
    return entry.model_copy(update={"agent_id": agent_id})


def default_extractor(config: MemoryConfig) -> Extractor:
    """The LLM extractor when an LLM is configured (and its client installed), else the offline one."""
    if config.llm.enabled:
        try:
            from memory.extraction.llm import make_extractor
        except ImportError:
            pass
        else:
            return make_extractor(config)
    from memory.extraction.offline import OfflineExtractor

    return OfflineExtractor()
