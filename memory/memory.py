"""The Memory facade: the library API. It validates input, builds scopes, and delegates to
extraction, reconciliation, retrieval and the stores."""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from ingestion import media
from memory.agent_scope import Scope, agent_of, check_agent, is_agent_owner
from memory.changes import Changes
from memory.checks import (
    check_id,
    check_owner,
    check_session,
    check_text,
    check_user,
    is_question,
    normalise_messages,
)
from memory.config import MemoryConfig
from memory.embeddings import make_embedder
from memory.errors import InvalidInputError, UnsafePathError
from memory.extraction import Extraction, Extractor, Turn
from memory.llm.usage import recording, summarise
from memory.reading import Reading, owner_of, store_scope
from memory.reconcile import Reconciler, versions
from memory.retrieval import PRESETS, RetrievalSettings, Retriever, settings_from_config
from memory.stores import make_graph_store, make_history, make_vector_store
from memory.stores.base import ScopeFilter
from memory.stores.payload import INDEX_CONTEXT
from memory.types import (
    AddResult,
    Event,
    GraphEdge,
    HistoryEntry,
    MemoryHit,
    MemoryInput,
    MemoryItem,
    MemoryType,
    Operation,
    PendingChange,
    SessionSummary,
    Source,
    SourceKind,
    new_id,
    utcnow,
)
from memory.writes import HistoryRow, Stores, UnitOfWork, finish, recover


class Memory:
    """Long-term memory for chat assistants. One instance per process; safe to share between threads.

    Writes of one user are serialised by that user's lock (never one lock for everyone), and every
    write goes through one unit of work (``memory.writes``): vector store, graph and history, or none.
    """

    def __init__(self, config: MemoryConfig | None = None, *, extractor: Extractor | None = None) -> None:
        self.config = config or MemoryConfig()
        Path(self.config.data_dir).mkdir(parents=True, exist_ok=True)
        self.embedder = make_embedder(self.config.embedder)
        self._vectors = make_vector_store(self.config, self.embedder.dims)
        try:
            self._history = make_history(self.config)
            self._graph = make_graph_store(self.config, embed=self.embedder.embed)
        except Exception:
            self._vectors.close()
            raise
        self._stores = Stores(self._vectors, self._graph, self._history, self.embedder, self._remove_media)
        self._extractor = extractor or _default_extractor(self.config)
        self._reconciler = Reconciler(
            self._vectors, self.embedder, self.config.dedupe_threshold, self.config.confirm_below
        )
        self._changes = Changes(self._vectors, self._history, self._reconciler, self._writing)
        self._retriever = Retriever(self._vectors, self.embedder, self._graph)
        self._settings = settings_from_config(self.config.retrieval)
        self._reading = Reading(self._vectors, self._history, self._retriever, self._settings, self.config)
        self._locks: dict[str, threading.RLock] = {}
        self._locks_guard = threading.Lock()
        self._epochs: dict[str, int] = {}  # bumped by delete_all: a write begun before it lands nowhere
        self._reset_epoch = 0
        self._closed = False
        self.recovered = recover(self._stores)  # units of work a crash left half done

    @classmethod
    def from_config(cls, data: dict[str, Any]) -> Memory:
        return cls(MemoryConfig.from_dict(data))

    @property
    def extractor_name(self) -> str:
        return self._extractor.name

    @property
    def graph(self):  # type: ignore[no-untyped-def]
        """The graph store (or None), for the graph view."""
        return self._graph

    # -- locking ---------------------------------------------------------------------------------
    def _lock(self, user_id: str) -> threading.RLock:
        with self._locks_guard:
            return self._locks.setdefault(user_id, threading.RLock())

    def _epoch(self, user_id: str) -> tuple[int, int]:
        return self._reset_epoch, self._epochs.get(user_id, 0)

    @contextmanager
    def _writing(self, user_id: str, since: tuple[int, int] | None = None) -> Iterator[UnitOfWork | None]:
        """Hold the user's lock and give a unit of work, committed on exit. ``since``: the epoch the
        write began in; if the user's memories were deleted after it, the unit is None (write nothing)."""
        with self._lock(user_id):
            if since is not None and since != self._epoch(user_id):
                yield None
                return
            uow = UnitOfWork(self._stores, user_id)
            yield uow
            uow.commit()

    # -- writing -----------------------------------------------------------------------------
    def add(
        self,
        messages: str | list[dict[str, str]],
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        session_id: str | None = None,
        metadata: dict[str, Any] | None = None,
        infer: bool = True,
        occurred_at: datetime | None = None,
        scope: Scope = "user",
    ) -> AddResult:
        """Remember a turn: the user's message is always kept as an episodic memory, and with
        ``infer`` its facts, preferences and rules are reconciled (ADD/UPDATE/DELETE/NONE).
        ``scope="agent"`` (agent_id, no user_id) is the operator teaching the agent: its rules and facts
        go to the agent's shared memory, which a customer's turn can never write."""
        user_id = owner_of(user_id, agent_id, scope)
        agent_id = check_agent(agent_id)
        msgs = normalise_messages(messages, self.config.max_text_chars)
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
            items = self.add_batch(inputs, user_id=user_id)
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
        llm = self.config.llm
        with recording(extraction_budget=llm.max_extraction_tokens) as calls:
            result = self.remember_turn(turn, metadata=metadata)
        if result.usage is None and llm.enabled:  # tokens and time of the extraction, for receipts
            result.usage = summarise(calls.of("extraction"), llm)
        return result

    def remember_turn(
        self, turn: Turn, *, metadata: dict[str, Any] | None = None, keep_episode: bool = True
    ) -> AddResult:
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
            vector = self.embedder.embed([episode.text])
            with self._writing(turn.user_id, since) as uow:
                if uow is None:
                    return AddResult(warnings=[_DELETED_MEANWHILE], extractor="none")
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
                return AddResult(
                    operations=ops, warnings=[_DELETED_MEANWHILE], extractor=extraction.extractor
                )
            if episode is not None and (extraction.turn_entities or extraction.turn_relations):
                self._annotate_episode(uow, episode, extraction)
            applied, warnings = self._reconciler.apply(turn, extraction, related, uow)
        return AddResult(
            operations=ops + applied, warnings=warnings, extractor=extraction.extractor, pending=uow.asked
        )

    def _earlier_turns(self, turn: Turn) -> str:
        """The turns just before this one in the same session: keyword-indexed with it (not part of its
        text), so a reply like "Yes, last Friday!" is found by the words of the question it answers."""
        n = self.config.retrieval.context_turns
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
        extractor needs the memories themselves)."""
        scope = ScopeFilter(
            user_id=turn.user_id, agent_id=turn.agent_id, types=[MemoryType.SEMANTIC, MemoryType.PROCEDURAL]
        )
        hits = self._retriever.search(turn.text, scope, 10, replace(PRESETS["hybrid"], graph=False))
        return [h.memory for h in hits]

    def add_batch(
        self,
        entries: list[MemoryInput],
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        scope: Scope = "user",
    ) -> list[MemoryItem]:
        """Store memories verbatim in one unit of work (embedded before the lock is taken): no
        extraction, one history row each. ``scope="agent"``: rules and facts of the agent's shared memory."""
        user_id = owner_of(user_id, agent_id, scope)
        if scope == "agent":
            entries = [_agent_entry(e, agent_of(user_id) or "") for e in entries]
        items = [self._item_from_input(e, user_id) for e in entries]
        since = self._epoch(user_id)
        vectors = self.embedder.embed([i.text for i in items]) if items else []
        with self._writing(user_id, since) as uow:
            if uow is None:
                return []
            uow.add(items, reason="stored as given", vectors=vectors)
        return items

    def _item_from_input(self, entry: MemoryInput, user_id: str) -> MemoryItem:
        at = entry.occurred_at or utcnow()
        return MemoryItem(
            text=self._check_text(entry.text),
            type=entry.type,
            user_id=user_id,
            agent_id=entry.agent_id,
            session_id=entry.session_id,
            valid_from=at,
            source=entry.source,
            entities=entry.entities,
            relations=entry.relations,
            metadata=entry.metadata,
        )

    def update(
        self,
        memory_id: str,
        text: str,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        metadata: dict[str, Any] | None = None,
        scope: Scope = "user",
    ) -> MemoryItem:
        """Correct a memory in place (same id; the old text stays in its history). Its graph edges
        are closed, since they described the old text."""
        text = self._check_text(text)
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
        self,
        memory_id: str,
        *,
        user_id: str | None = None,
        active: bool = True,
        agent_id: str | None = None,
        scope: Scope = "user",
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

    # -- asking before overwriting, undo (see ``memory.changes``) ------------------------------
    def pending(self, user_id: str) -> list[PendingChange]:
        """Changes the extractor was not sure of, waiting for the user's answer (oldest first)."""
        return self._changes.pending(check_user(user_id))

    def apply(self, pending_id: str, choice: str, *, user_id: str) -> AddResult:
        """Answer a pending change: "apply", "keep_both" (updates only) or "ignore"."""
        return self._changes.apply(pending_id, choice, check_user(user_id))

    def undo(self, operation_id: str, *, user_id: str) -> list[Operation]:
        """Reverse an operation an ``AddResult`` reported (``op.id``): an added memory goes, a
        superseded or retracted one is current again. A forget cannot be undone (``UndoError``)."""
        return self._changes.undo(operation_id, check_user(user_id))

    def delete(
        self,
        memory_id: str,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        scope: Scope = "user",
    ) -> None:
        """Forget one memory, with the versions it replaced or that replaced it: their text leaves the
        vector store, graph, history and transcripts."""
        memory_id, user_id = check_id(memory_id), owner_of(user_id, agent_id, scope)
        with self._writing(user_id) as uow:
            assert uow is not None
            item = self._reading.owned(memory_id, user_id, agent_id)
            for version in versions(self._vectors, item):
                uow.erase(version, reason="deleted", media=_media_of(version))

    def delete_all(
        self,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        session_id: str | None = None,
        types: list[MemoryType] | None = None,
        scope: Scope = "user",
    ) -> int:
        """Forget every memory in the scope (all of them, not a page), past ones included. Deleting all
        of a user's memories also removes their history, graph, transcripts and media: nothing is kept,
        and a write that began before it brings nothing back."""
        owner = owner_of(user_id, agent_id, scope)
        whole_user = (agent_id is None or scope == "agent") and session_id is None and not types
        scope = store_scope(owner, check_agent(agent_id), session_id, types, include_past=True)
        with self._lock(scope.user_id):
            if whole_user:
                self._epochs[scope.user_id] = self._epochs.get(scope.user_id, 0) + 1
                return self._erase_user(scope.user_id)
            items = list(self._vectors.scroll(scope))
            with self._writing(scope.user_id) as uow:
                assert uow is not None
                for item in items:
                    uow.erase(item, reason="deleted with delete_all", media=_media_of(item))
            return len(items)

    def _erase_user(self, user_id: str) -> int:
        """Every store forgets the user. Journaled as committed first, so a crash midway is finished
        on the next open instead of leaving half a user behind."""
        scope = ScopeFilter(user_id=user_id, include_past=True)
        n = self._vectors.count(scope)
        media = [p for item in self._vectors.scroll(scope) for p in _media_of(item)]
        plan = {"committed": True, "delete_user": True, "media": media}
        self._history.journal_open(user_id, plan)
        finish(self._stores, user_id, plan)
        return n

    def reset(self) -> None:
        """Erase everything of every user (admin)."""
        with self._locks_guard:
            self._reset_epoch += 1
        self._vectors.reset()
        self._history.reset()
        if self._graph is not None:
            self._graph.reset()
        media.remove_all_media(Path(self.config.data_dir))

    def compact(self) -> dict[str, int]:
        """Purge what deleted memories left in the engines' files (write-ahead logs, free pages), so
        forgotten text is gone from disk too. Run after delete_all; it rewrites the stores, so it takes
        longer than a write. Returns the data directory's size in bytes before and after."""
        before = _disk_bytes(Path(self.config.data_dir))
        with self._locks_guard:
            compact = getattr(self._vectors, "compact", None)
            if compact is not None:
                compact()
            self._history.compact()
            if self._graph is not None:
                self._graph.compact()
        return {"bytes_before": before, "bytes_after": _disk_bytes(Path(self.config.data_dir))}

    # -- reading (``memory.reading``) -------------------------------------------------------------
    def search(
        self,
        query: str,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        session_id: str | None = None,
        types: list[MemoryType] | None = None,
        filters: dict[str, Any] | None = None,
        limit: int = 10,
        graph: bool | None = None,
        settings: RetrievalSettings | str | None = None,
        include_past: bool | None = None,
        scope: Scope = "user",
    ) -> list[MemoryHit]:
        """Hybrid search in the caller's scope, with the agent's shared memories when an agent is given."""
        return self._reading.search(
            query, user_id, agent_id, session_id, types, filters, limit, graph, settings, include_past, scope
        )

    def get(
        self,
        memory_id: str,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        scope: Scope = "user",
    ) -> MemoryItem:
        """One memory by id (current or past), in any spelling of its id."""
        return self._reading.get(memory_id, user_id, agent_id, scope)

    def get_all(
        self,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        session_id: str | None = None,
        types: list[MemoryType] | None = None,
        filters: dict[str, Any] | None = None,
        limit: int | None = None,
        offset: int = 0,
        include_past: bool = False,
        scope: Scope = "user",
    ) -> list[MemoryItem]:
        """Memories in the scope, newest first. No silent cap: ``limit=None`` returns every one."""
        return self._reading.get_all(
            user_id, agent_id, session_id, types, filters, limit, offset, include_past, scope
        )

    def iter_all(
        self, *, user_id: str, agent_id: str | None = None, include_past: bool = True
    ) -> Iterator[MemoryItem]:
        """Every memory of one owner, a page at a time from the store (store order, not sorted)."""
        return self._reading.iter_all(user_id, agent_id, include_past)

    def count(
        self,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        types: list[MemoryType] | None = None,
        scope: Scope = "user",
    ) -> int:
        return self._reading.count(user_id, agent_id, types, scope)

    def history(
        self,
        memory_id: str,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        scope: Scope = "user",
    ) -> list[HistoryEntry]:
        """What happened to a memory, oldest first, including the versions it superseded."""
        return self._reading.history(memory_id, user_id, agent_id, scope)

    # -- chat transcripts ----------------------------------------------------------------------
    def log_conversation(self, messages: list[dict[str, str]], *, user_id: str, session_id: str) -> None:
        """Keep the messages of a chat as shown, so the chat can be reopened later (not a memory)."""
        rows = []
        for m in messages:
            if (
                not isinstance(m, dict)
                or m.get("role") not in ("user", "assistant")
                or not isinstance(m.get("content"), str)
            ):
                raise InvalidInputError(
                    "Each logged message needs a role (user or assistant) and a text content."
                )
            rows.append((m["role"], m["content"]))  # kept whole, however long: it is a log, not a memory
        self._history.log_messages(check_user(user_id), check_session(session_id), rows)

    def sessions(self, *, user_id: str, limit: int = 50) -> list[SessionSummary]:
        """The user's logged chats, most recent first."""
        return self._history.sessions(check_user(user_id), limit)

    def transcript(self, session_id: str, *, user_id: str) -> list[tuple[str, str, datetime]]:
        """(role, content, time) of one logged chat of this user, oldest first."""
        return self._history.transcript(check_user(user_id), check_session(session_id))

    # -- export / import ---------------------------------------------------------------------
    def export(
        self,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        scope: Scope = "user",
        media: bool = False,
    ) -> Any:
        """Every memory of the user (or, with ``scope="agent"``, of the agent's shared memory), past
        ones included, with history, provenance, graph edges and documents (format version 2, see
        ``memory.portable``). ``media=True``: the bytes of a zip that also holds the stored media."""
        from memory.portable import export_archive, export_memories

        owner = owner_of(user_id, agent_id, scope)
        return export_archive(self, owner) if media else export_memories(self, owner)

    def import_(
        self,
        data: Any,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        scope: Scope = "user",
        format: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """Load a file into ``user_id`` (or the agent's shared memory): an export of this library (all
        or nothing), a ChatGPT ``conversations.json`` or a Mem0 dump (see ``memory.importers``).
        Returns the memories stored."""
        from memory.importers import import_file

        owner = owner_of(user_id, agent_id, scope)
        return import_file(self, data, user_id=owner, format=format, progress=progress).memories

    def write_imported(
        self,
        items: list[MemoryItem],
        user_id: str,
        *,
        edges: list[GraphEdge] | None = None,
        history: dict[str, list[HistoryRow]] | None = None,
    ) -> None:
        """Store prepared import records in one unit of work: each id is new, or already this owner's.
        Records imported into an agent's shared memory belong to that agent. ``edges`` and ``history``
        (export version 2): a new memory gets the graph edges and history rows exported with it,
        instead of edges derived from its relations and an "imported" row."""
        user_id = check_owner(user_id)
        if is_agent_owner(user_id):
            items = [i.model_copy(update={"agent_id": agent_of(user_id)}) for i in items]
        vectors = self.embedder.embed([i.text for i in items]) if items else []
        with self._writing(user_id) as uow:
            assert uow is not None
            owned = {
                i.id: i
                for i in self._vectors.get(
                    [i.id for i in items], ScopeFilter(user_id=user_id, include_past=True)
                )
            }
            fresh = [(i, v) for i, v in zip(items, vectors, strict=True) if i.id not in owned]
            uow.add(
                [i for i, _ in fresh],
                actor="user",
                reason="imported",
                vectors=[v for _, v in fresh],
                link=edges is None,
                record=history is None,
            )
            for item, _ in fresh if history is not None else ():
                for row in history.get(item.id) or [
                    (item.id, user_id, Event.ADD, None, item.text, "user", "imported")
                ]:
                    uow.record(row)
            uow.restore_edges(edges or [])
            for item in items:
                if item.id in owned:
                    uow.rewrite(owned[item.id], item, event=Event.UPDATE, actor="user", reason="imported")

    def taken_ids(self, ids: list[str], user_id: str) -> set[str]:
        """Which of these (canonical) ids belong to someone other than this user."""
        mine = {i.id for i in self._vectors.get(ids, ScopeFilter(user_id=user_id, include_past=True))}
        return self._vectors.existing_ids(ids) - mine

    # -- documents ---------------------------------------------------------------------------
    def ingest(
        self,
        file: str | Path | bytes,
        *,
        user_id: str | None = None,
        filename: str | None = None,
        session_id: str | None = None,
        agent_id: str | None = None,
        password: str | None = None,
        progress: Callable[[int, int], None] | None = None,
        scope: Scope = "user",
    ):  # type: ignore[no-untyped-def]
        """Take a file into the user's memory, or (``scope="agent"``) into the agent's knowledge base."""
        from memory.documents import ingest_file

        owner = owner_of(user_id, agent_id, scope)
        return ingest_file(
            self,
            file,
            user_id=owner,
            filename=filename,
            session_id=session_id,
            agent_id=check_agent(agent_id),
            password=password,
            progress=progress,
        )

    def add_document(
        self, entries: list[MemoryInput], *, user_id: str, sha256: str, agent_id: str | None = None
    ) -> list[MemoryItem] | None:
        """Store a file's memories in one unit of work, unless this owner (and agent) already has the
        file: the check and the write happen under one lock. None means it was already there.
        ``user_id`` is the owner ``ingest`` resolved (a user, or the agent's reserved owner)."""
        user_id = check_owner(user_id)
        items = [self._item_from_input(e, user_id) for e in entries]
        since = self._epoch(user_id)
        vectors = self.embedder.embed([i.text for i in items]) if items else []
        with self._writing(user_id, since) as uow:
            if uow is None:
                return []
            scope = store_scope(user_id, agent_id, None, None, {"file_sha256": sha256}, include_past=True)
            if self._vectors.count(scope):
                return None
            uow.add(items, reason="uploaded", vectors=vectors)
        return items

    def count_document(self, sha256: str, *, user_id: str, agent_id: str | None = None) -> int:
        owner = check_owner(user_id)
        return self._vectors.count(store_scope(owner, agent_id, None, None, {"file_sha256": sha256}))

    def documents(
        self, *, user_id: str | None = None, agent_id: str | None = None, scope: Scope = "user"
    ) -> list[dict[str, Any]]:
        """Uploaded files of a user (or of the agent's knowledge base): name, hash, kind, pages seen,
        number of memories."""
        docs: dict[str, dict[str, Any]] = {}
        # A read: export passes the owner it resolved (possibly the agent's reserved one).
        owner = (
            check_owner(user_id)
            if scope == "user" and is_agent_owner(user_id)
            else owner_of(user_id, agent_id, scope)
        )
        for item in self._vectors.scroll(store_scope(owner, None, None, None)):
            sha = item.source.file_sha256
            if not sha:
                continue
            doc = docs.setdefault(
                sha,
                {
                    "sha256": sha,
                    "file_name": item.source.file_name,
                    "kind": item.source.kind.value,
                    "memories": 0,
                    "uploaded_at": item.created_at,
                },
            )
            doc["memories"] += 1
            doc["uploaded_at"] = min(doc["uploaded_at"], item.created_at)
        return sorted(docs.values(), key=lambda d: d["uploaded_at"], reverse=True)

    def delete_document(
        self, sha256: str, *, user_id: str | None = None, agent_id: str | None = None, scope: Scope = "user"
    ) -> int:
        """Forget every memory that came from one uploaded file, and the stored file itself."""
        owner = owner_of(user_id, agent_id, scope)
        agent_id = check_agent(agent_id)
        scope = store_scope(owner, agent_id, None, None, {"file_sha256": sha256}, include_past=True)
        with self._writing(scope.user_id) as uow:
            assert uow is not None
            items = list(self._vectors.scroll(scope))
            for item in items:
                uow.erase(item, reason="document deleted", media=_media_of(item))
        return len(items)

    def _remove_media(self, user_id: str, paths: list[str]) -> None:
        """Remove this user's stored files that none of their memories refers to any more. Media are
        per user, so another user's copy of the same image stays; a path outside the user's own
        media folder (from an imported record, say) is never touched."""
        scope = store_scope(user_id, None, None, None, include_past=True)
        still = {p for item in self._vectors.scroll(scope) for p in _media_of(item)}
        for rel in paths:
            if rel not in still:
                with contextlib.suppress(UnsafePathError):
                    media.remove_media(Path(self.config.data_dir), rel, user_id=user_id)

    # -- plumbing ----------------------------------------------------------------------------
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
        result = (
            self.remember_turn(turn, metadata=metadata, keep_episode=False)
            if infer
            else AddResult(extractor="none")
        )
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
        items = self.add_batch([entry], agent_id=agent_id, scope="agent")
        result.operations += [
            Operation(
                event=Event.ADD, memory_id=i.id, type=i.type, new_text=i.text, reason="stated by an operator"
            )
            for i in items
        ]
        return result

    def _check_text(self, text: Any) -> str:
        return check_text(text, self.config.max_text_chars)

    def optimize(self) -> None:
        """Build vector indexes now (they are also built in the background after large writes)."""
        optimize = getattr(self._vectors, "optimize", None)
        if optimize:
            optimize()

    def flush(self) -> None:
        flush = getattr(self._vectors, "flush", None)
        if flush:
            flush()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._vectors.close()
        self._history.close()
        if self._graph is not None:
            self._graph.close()

    def __enter__(self) -> Memory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_DELETED_MEANWHILE = (
    "Your memories were deleted while this message was being processed; nothing of it was kept."
)


def _media_of(item: MemoryItem) -> list[str]:
    return [p for p in (item.source.image_path, item.source.thumbnail_path) if p]


def _disk_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def _agent_entry(entry: MemoryInput, agent_id: str) -> MemoryInput:
    """An entry for the agent's shared memory: a rule or a fact of that agent, never an episode."""
    if entry.type == MemoryType.EPISODIC:
        raise InvalidInputError(
            "The agent's shared memory holds rules, facts and documents, not episodes: store this as "
            "a semantic or procedural memory, or in the customer's own memory."
        )
    return entry.model_copy(update={"agent_id": agent_id})


def _default_extractor(config: MemoryConfig) -> Extractor:
    if config.llm.enabled:
        try:
            from memory.extraction.llm import make_extractor
        except ImportError:
            pass
        else:
            return make_extractor(config)
    from memory.extraction.offline import OfflineExtractor

    return OfflineExtractor()


__all__ = ["Memory", "MemoryInput"]
