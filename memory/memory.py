"""The Memory facade: the library API. It builds the stores and the collaborators that work on them
(``memory.remembering``, ``memory.reading``, ``memory.forgetting``, ``memory.documents``,
``memory.changes``, ``memory.portable``), owns the per-user locks and epochs, and delegates."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from memory import portable
from memory.agent_scope import Scope, check_agent
from memory.changes import Changes
from memory.checks import check_logged_messages, check_session, check_text, check_user
from memory.config import MemoryConfig
from memory.documents import Documents, ingest_file
from memory.embeddings import make_embedder
from memory.extraction import Extractor, Turn
from memory.forgetting import Forgetting
from memory.reading import Reading, owner_of, store_scope
from memory.reconcile import Reconciler
from memory.remembering import Remembering, default_extractor
from memory.retrieval import RetrievalSettings, Retriever, settings_from_config
from memory.stores import make_graph_store, make_history, make_vector_store
from memory.stores.base import ScopeFilter
from memory.types import (
    AddResult,
    GraphEdge,
    HistoryEntry,
    MemoryHit,
    MemoryInput,
    MemoryItem,
    MemoryType,
    Operation,
    PendingChange,
    SessionSummary,
)
from memory.writes import HistoryRow, Stores, UnitOfWork, recover


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
        self._extractor = extractor or default_extractor(self.config)
        self._reconciler = Reconciler(
            self._vectors, self.embedder, self.config.dedupe_threshold, self.config.confirm_below
        )
        self._changes = Changes(self._vectors, self._history, self._reconciler, self._writing)
        self._retriever = Retriever(self._vectors, self.embedder, self._graph)
        self._settings = settings_from_config(self.config.retrieval)
        self._reading = Reading(
            self._vectors, self._history, self._retriever, self._settings, self.config, self._index_current
        )
        self._remembering = Remembering(
            self._stores,
            self._extractor,
            self._reconciler,
            self._retriever,
            self._reading,
            self.config,
            self._writing,
            self._epoch,
        )
        self._forgetting = Forgetting(self._stores, self._reading, Path(self.config.data_dir), self._writing)
        self._documents = Documents(
            self._stores, self._forgetting, self.config.max_text_chars, self._writing, self._epoch
        )
        self._locks: dict[str, threading.RLock] = {}
        self._locks_guard = threading.Lock()
        self._epochs: dict[str, int] = {}  # bumped by delete_all: a write begun before it lands nowhere
        self._reset_epoch = 0
        self._indexed: set[str] = set()  # owners whose keyword index is known to be up to date
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

    # -- plumbing: locks, epochs, units of work --------------------------------------------------
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

    def _remove_media(self, user_id: str, paths: list[str]) -> None:
        """Called by the stores after a commit that forgot stored files (see ``Forgetting.remove_media``)."""
        self._forgetting.remove_media(user_id, paths)

    def _check_text(self, text: Any) -> str:
        return check_text(text, self.config.max_text_chars)

    # -- writing (``memory.remembering``) --------------------------------------------------------
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
        """Remember a turn: kept as an episode, its facts reconciled (``scope="agent"``: teach the agent)."""
        return self._remembering.add(
            messages, user_id, agent_id, session_id, metadata, infer, occurred_at, scope
        )

    def remember_turn(
        self, turn: Turn, *, metadata: dict[str, Any] | None = None, keep_episode: bool = True
    ) -> AddResult:
        """Store the turn itself first (so it is never lost), then extract and reconcile its facts."""
        return self._remembering.remember_turn(turn, metadata, keep_episode)

    def add_batch(
        self,
        entries: list[MemoryInput],
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        scope: Scope = "user",
    ) -> list[MemoryItem]:
        """Store memories verbatim in one unit of work: no extraction, one history row each."""
        return self._remembering.add_batch(entries, user_id, agent_id, scope)

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
        """Correct a memory in place (same id; the old text stays in its history)."""
        return self._remembering.update(memory_id, text, user_id, agent_id, metadata, scope)

    def confirm_rule(
        self,
        memory_id: str,
        *,
        user_id: str | None = None,
        active: bool = True,
        agent_id: str | None = None,
        scope: Scope = "user",
    ) -> MemoryItem:
        """Switch a rule on or off, without changing its text."""
        return self._remembering.confirm_rule(memory_id, user_id, active, agent_id, scope)

    # -- asking before overwriting, undo (see ``memory.changes``) --------------------------------
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

    # -- forgetting (``memory.forgetting``) ------------------------------------------------------
    def delete(
        self,
        memory_id: str,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        scope: Scope = "user",
    ) -> None:
        """Forget one memory and its versions: their text leaves every store and the transcripts."""
        self._forgetting.delete(memory_id, user_id, agent_id, scope)

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
        found = store_scope(owner, check_agent(agent_id), session_id, types, include_past=True)
        with self._lock(found.user_id):
            if not whole_user:
                return self._forgetting.erase(found, "deleted with delete_all")
            self._epochs[found.user_id] = self._epochs.get(found.user_id, 0) + 1
            return self._forgetting.erase_user(found.user_id)

    def reset(self) -> None:
        """Erase everything of every user (admin)."""
        with self._locks_guard:
            self._reset_epoch += 1
        self._forgetting.reset()

    def compact(self) -> dict[str, int]:
        """Purge what forgotten text left in the engines' files: data directory bytes before and after."""
        return self._forgetting.compact(self._locks_guard)

    def reindex(self, *, user_id: str) -> int:
        """Rebuild the keyword index of the user's memories written under an older recipe of it (a new
        version finds a fact by more words than the one that stored it); the number rewritten. A search
        does this on its own the first time it meets an owner, so calling it is never needed."""
        return self._reindex(check_user(user_id))

    def _reindex(self, owner: str) -> int:
        with self._lock(owner):
            done = self._vectors.refresh_keywords(ScopeFilter(user_id=owner))  # past ones too
            self._indexed.add(owner)
        return done

    def _index_current(self, owners: list[str]) -> None:
        for owner in owners:
            if owner not in self._indexed:
                self._reindex(owner)

    # -- reading (``memory.reading``) ------------------------------------------------------------
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

    # -- chat transcripts ------------------------------------------------------------------------
    def log_conversation(self, messages: list[dict[str, str]], *, user_id: str, session_id: str) -> None:
        """Keep the messages of a chat as shown, so the chat can be reopened later (not a memory)."""
        rows = check_logged_messages(messages)
        self._history.log_messages(check_user(user_id), check_session(session_id), rows)

    def sessions(self, *, user_id: str, limit: int = 50) -> list[SessionSummary]:
        """The user's logged chats, most recent first."""
        return self._history.sessions(check_user(user_id), limit)

    def transcript(self, session_id: str, *, user_id: str) -> list[tuple[str, str, datetime]]:
        """(role, content, time) of one logged chat of this user, oldest first."""
        return self._history.transcript(check_user(user_id), check_session(session_id))

    # -- export / import (``memory.portable``, ``memory.importers``) -----------------------------
    def export(
        self,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        scope: Scope = "user",
        media: bool = False,
    ) -> Any:
        """Every memory of the user (or, with ``scope="agent"``, of the agent's shared memory), past ones
        included, as ``memory.portable`` format 2; ``media=True``: a zip that also holds the stored media."""
        owner = owner_of(user_id, agent_id, scope)
        return portable.export_archive(self, owner) if media else portable.export_memories(self, owner)

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
        """Load an export of this library (all or nothing), a ChatGPT ``conversations.json`` or a Mem0 dump
        into ``user_id`` or the agent's shared memory (``memory.importers``). Returns the memories stored."""
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
        """Store prepared import records in one unit of work (see ``memory.portable``)."""
        portable.write_imported(self._stores, self._writing, items, user_id, edges, history)

    def taken_ids(self, ids: list[str], user_id: str) -> set[str]:
        """The ids of these that another owner holds."""
        return portable.taken_ids(self._vectors, ids, user_id)

    # -- documents (``memory.documents``) --------------------------------------------------------
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
        return ingest_file(self, file, user_id, filename, session_id, agent_id, password, progress, scope)

    def add_document(
        self, entries: list[MemoryInput], *, user_id: str, sha256: str, agent_id: str | None = None
    ) -> list[MemoryItem] | None:
        """Store a file's memories once per owner; None means the file was already there."""
        return self._documents.add(entries, user_id, sha256, agent_id)

    def count_document(self, sha256: str, *, user_id: str, agent_id: str | None = None) -> int:
        return self._documents.count(sha256, user_id, agent_id)

    def documents(
        self, *, user_id: str | None = None, agent_id: str | None = None, scope: Scope = "user"
    ) -> list[dict[str, Any]]:
        """Uploaded files of a user (or of the agent's knowledge base), newest first."""
        return self._documents.listed(user_id, agent_id, scope)

    def delete_document(
        self, sha256: str, *, user_id: str | None = None, agent_id: str | None = None, scope: Scope = "user"
    ) -> int:
        """Forget one uploaded file: its memories and the stored file."""
        return self._documents.delete(sha256, user_id, agent_id, scope)

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


__all__ = ["Memory", "MemoryInput"]
