"""One small Protocol per store kind. Every call takes the caller's user_id: isolation is enforced here."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from pydantic import BaseModel, model_validator

from memory.agent_scope import agent_owner
from memory.types import Event, GraphEdge, HistoryEntry, MemoryItem, MemoryType, Relation, SessionSummary


class ScopeFilter(BaseModel):
    """The scope every store call is restricted to. user_id (the owner: a user, or an agent's reserved
    owner from ``memory.agent_scope``) is mandatory. ``with_agent`` widens a read to the shared memories
    of ``agent_id`` as well; writes never set it."""

    user_id: str
    agent_id: str | None = None
    with_agent: bool = False
    session_id: str | None = None
    types: list[MemoryType] | None = None
    slot: str | None = None
    source_kind: str | None = None
    file_sha256: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    include_past: bool = False  # also superseded or retracted memories (valid_to set)
    stale_index: bool = False  # only memories whose keyword vector was built by an older recipe

    @model_validator(mode="after")
    def _agent_named(self) -> ScopeFilter:
        if self.with_agent and not self.agent_id:
            raise ValueError("with_agent needs the agent_id whose shared memories to include")
        return self

    @property
    def owners(self) -> list[str]:
        """The owners whose memories this scope covers: the user, and the agent's shared scope."""
        return (
            [self.user_id, agent_owner(self.agent_id)]
            if self.with_agent and self.agent_id
            else [self.user_id]
        )


class VectorHit(NamedTuple):
    """A candidate id and its score (a plain tuple: a search makes a hundred of them)."""

    id: str
    score: float  # cosine for dense hits, BM25 for keyword hits


class VectorStore(Protocol):
    def upsert(self, items: list[MemoryItem], dense: list[list[float]]) -> None:
        """Write points. Refuses (IsolationError) an id that belongs to another user, whoever asks."""
        ...

    def get(self, ids: list[str], scope: ScopeFilter) -> list[MemoryItem]: ...

    def scroll(self, scope: ScopeFilter, limit: int | None = None) -> Iterator[MemoryItem]: ...

    def newest(self, scope: ScopeFilter, n: int) -> list[MemoryItem]:
        """The n most recently created memories of the scope, newest first (a page, not a scan)."""
        ...

    def count(self, scope: ScopeFilter) -> int: ...

    def search(
        self, dense: list[float] | None, text: str | None, scope: ScopeFilter, limit: int
    ) -> tuple[list[VectorHit], list[VectorHit]]:
        """(dense ids scored by cosine, keyword ids scored by BM25), each best first, within the scope."""
        ...

    def dense_vectors(self, ids: list[str], scope: ScopeFilter) -> list[list[float]]:
        """The stored dense vectors of those of ``ids`` that are in the scope (any order)."""
        ...

    def refresh_keywords(self, scope: ScopeFilter) -> int:
        """Rebuild the keyword vectors of the scope's memories, past ones included, written under an older
        ``index_text`` recipe (``payload.INDEX_RECIPE``); the number rewritten."""
        ...

    def delete(self, ids: list[str], scope: ScopeFilter) -> int: ...

    def delete_scope(self, scope: ScopeFilter) -> int: ...

    def existing_ids(self, ids: list[str]) -> set[str]:
        """Which of these ids are taken by any point (no payload is read)."""
        ...

    def reset(self) -> None: ...

    def close(self) -> None: ...


class HistoryStore(Protocol):
    def record(
        self,
        memory_id: str,
        user_id: str,
        event: Event,
        old_text: str | None,
        new_text: str | None,
        actor: str = "system",
        reason: str | None = None,
    ) -> None: ...

    def record_many(
        self, rows: list[tuple[str, str, Event, str | None, str | None, str, str | None]]
    ) -> None:
        """Rows of (memory_id, user_id, event, old_text, new_text, actor, reason)."""
        ...

    def for_memory(self, memory_id: str, user_id: str) -> list[HistoryEntry]: ...

    def commit(
        self,
        rows: list[tuple[str, str, Event, str | None, str | None, str, str | None]],
        *,
        journal_id: int | None = None,
        after: dict[str, Any] | None = None,
        erase: list[tuple[str, str]] = (),
        erase_messages: list[tuple[str, str]] = (),
        redact: list[tuple[str, str, str]] = (),
        quoted: list[tuple[str, str]] = (),
        operations: list[str | None] = (),
        changes: Any = None,
    ) -> None:
        """One transaction: history rows (each with its operation id), text erased from earlier rows of
        (memory_id, user_id), transcript messages (user_id, content) removed, a text put in place of
        another in history rows and transcript messages (``redact``: user_id, old, new), a forgotten text out
        of the assistant's messages that quoted it (``quoted``: user_id, text), pending changes asked or
        answered and operations undone (``changes``), and the journal entry closed."""
        ...

    def pending(self, user_id: str, pending_id: str | None = None) -> list[tuple[str, str | None]]:
        """(record JSON, resolution) of the user's open pending changes, or of the one with that id."""
        ...

    def operation(
        self, user_id: str, operation_id: str
    ) -> tuple[list[tuple[str, str, Event, str | None, str | None, str, str | None]], bool]:
        """The history rows one operation of this user wrote, and whether it was undone."""
        ...

    def journal_open(self, user_id: str, plan: dict[str, Any]) -> int:
        """Record what a unit of work is about to do (to undo it after a crash); returns its id."""
        ...

    def journal_pending(self) -> list[tuple[int, str, dict[str, Any]]]:
        """Units of work that began and never committed: (id, user_id, plan)."""
        ...

    def journal_close(self, journal_id: int) -> None: ...

    def compact(self) -> None:
        """Purge freed pages and the write-ahead log, so erased text is gone from the files."""
        ...

    def log_messages(self, user_id: str, session_id: str, messages: list[tuple[str, str]]) -> None:
        """Append (role, content) messages to the chat transcript."""
        ...

    def sessions(self, user_id: str, limit: int = 50) -> list[SessionSummary]: ...

    def transcript(self, user_id: str, session_id: str) -> list[tuple[str, str, datetime]]: ...

    def delete_user(self, user_id: str) -> None: ...

    def reset(self) -> None: ...

    def close(self) -> None: ...


class GraphStore(Protocol):
    def add_relations(
        self, user_id: str, memory_id: str, relations: list[Relation], at: datetime
    ) -> None: ...

    def add_relations_batch(self, user_id: str, batch: list[tuple[str, list[Relation], datetime]]) -> None:
        """``add_relations`` for many (memory id, relations, time), in order, all or none."""
        ...

    def close_relations(self, user_id: str, memory_id: str, at: datetime) -> None:
        """The memory was updated or deleted: its edges stop being current (kept as past)."""
        ...

    def reopen_relations(self, user_id: str, memory_id: str, at: datetime) -> None:
        """Undo ``close_relations`` at exactly ``at`` (a unit of work that did not commit)."""
        ...

    def neighbours(
        self, user_id: str, names: list[str], hops: int = 1, include_past: bool = False, limit: int = 200
    ) -> list[GraphEdge]: ...

    def find_entities(self, user_id: str, text: str) -> list[str]:
        """Entity names of this user that the text mentions (exact or fuzzy)."""
        ...

    def edges(self, user_id: str, include_past: bool = True, limit: int | None = None) -> list[GraphEdge]:
        """The user's edges, oldest first; with ``limit``, only the newest ``limit`` of them."""
        ...

    def count_edges(self, user_id: str, include_past: bool = True) -> int: ...

    def entities(self, user_id: str, names: list[str] | None = None) -> list[dict[str, Any]]:
        """The user's entities for the graph view: name, type, aliases, degree; with ``names``, only
        the entities of those names."""
        ...

    def forget_memory(self, user_id: str, memory_id: str) -> None:
        """Explicit user delete: remove the memory's edges for good."""
        ...

    def compact(self) -> None: ...

    def delete_user(self, user_id: str) -> None: ...

    def reset(self) -> None: ...

    def close(self) -> None: ...
