"""Reads for ``Memory``: whose memory a call works in, the store scope it reads, and search, get,
lists, counts and history within it. Nothing here writes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from memory.agent_scope import Scope, agent_of, agent_scope_owner, check_agent, check_scope, is_agent_owner
from memory.checks import check_id, check_limit, check_owner, check_text, check_user
from memory.config import MemoryConfig
from memory.errors import InvalidInputError, NotFoundError
from memory.provenance import drop_echoes
from memory.retrieval import PRESETS, RetrievalSettings, Retriever
from memory.retrieval_graph import asks_about_past
from memory.stores.base import HistoryStore, ScopeFilter, VectorStore
from memory.types import HistoryEntry, MemoryHit, MemoryItem, MemoryType

FILTER_KEYS = {"source_kind", "file_sha256", "slot", "created_after", "created_before"}


def owner_of(user_id: Any, agent_id: Any, scope: Any) -> str:
    """Whose memory a call works in: the user's own, or (only when asked with ``scope="agent"``)
    the agent's shared memory. A call without a user is never taken as agent scope."""
    if check_scope(scope) == "agent":
        return agent_scope_owner(user_id, agent_id)
    return check_user(user_id)


def store_scope(
    user_id: str,
    agent_id: str | None,
    session_id: str | None,
    types: list[MemoryType] | None,
    filters: dict[str, Any] | None = None,
    *,
    include_past: bool = False,
    with_agent: bool = False,
) -> ScopeFilter:
    """The store scope of a resolved owner (see ``owner_of``), with the caller's filters checked."""
    if filters is not None and not isinstance(filters, dict):
        raise InvalidInputError("filters must be a mapping of filter name to value.")
    extra = dict(filters or {})
    unknown = set(extra) - FILTER_KEYS
    if unknown:
        raise InvalidInputError(f"Unknown filter {sorted(unknown)}; use one of {sorted(FILTER_KEYS)}.")
    try:
        kinds = [MemoryType(t) for t in types] if types else None
    except ValueError as exc:
        raise InvalidInputError(f"Unknown memory type: {exc}") from exc
    try:
        return ScopeFilter(
            user_id=user_id,
            agent_id=agent_id,
            with_agent=with_agent,
            session_id=session_id,
            types=kinds,
            include_past=include_past,
            **extra,
        )
    except ValueError as exc:
        raise InvalidInputError(f"Invalid filter value: {exc}") from exc


class Reading:
    """The reads behind ``Memory``'s public methods; each takes the caller's arguments as given."""

    def __init__(
        self,
        vectors: VectorStore,
        history: HistoryStore,
        retriever: Retriever,
        settings: RetrievalSettings,
        config: MemoryConfig,
        index_current: Callable[[list[str]], None] | None = None,
    ) -> None:
        self._vectors = vectors
        self._history = history
        self._retriever = retriever
        self._settings = settings
        self._config = config
        # called with the owners a search reads, before it: their keyword index is brought up to date
        self._index_current = index_current or (lambda owners: None)

    def search(
        self,
        query: Any,
        user_id: str | None,
        agent_id: str | None,
        session_id: str | None,
        types: list[MemoryType] | None,
        filters: dict[str, Any] | None,
        limit: int,
        graph: bool | None,
        settings: RetrievalSettings | str | None,
        include_past: bool | None,
        scope: Scope,
    ) -> list[MemoryHit]:
        """Hybrid search in the caller's scope. ``graph`` turns graph-aware retrieval on or off
        (default: config); hits found through the graph carry the relations used in ``hit.graph``.
        Current memories only, unless ``include_past`` or (left as None) the query asks about the past.
        With a user and an agent, the agent's shared memories are searched too (``hit.scope`` says
        which is which; ``config.agent`` says how agent rules rank), and a chat turn is not offered
        beside the rule or fact it stated (``memory.provenance``)."""
        query = check_text(query, self._config.max_text_chars)
        limit = check_limit(limit)
        past = asks_about_past(query) if include_past is None else include_past
        owner = owner_of(user_id, agent_id, scope)
        shared = scope == "user" and agent_id is not None
        found = store_scope(
            owner, check_agent(agent_id), session_id, types, filters, include_past=past, with_agent=shared
        )
        chosen = PRESETS[settings] if isinstance(settings, str) else settings or self._settings
        if graph is not None:
            chosen = replace(chosen, graph=graph)
        self._index_current(found.owners)
        hits = self._retriever.search(query, found, limit, chosen)
        rules = self._rules(found) if any(h.memory.type == MemoryType.EPISODIC for h in hits) else []
        kept = drop_echoes(hits, rules)
        if len(kept) < len(hits):  # make up the places the echoes took
            more = self._retriever.search(query, found, limit + len(hits) - len(kept), chosen)
            kept = drop_echoes(more, rules)[:limit]
        if shared and self._config.agent.rules == "always" and (not types or MemoryType.PROCEDURAL in types):
            kept = _with_agent_rules(kept, self._rules(found))
        return kept

    def _rules(self, scope: ScopeFilter) -> list[MemoryItem]:
        """The active rules of a scope (the user's, and the agent's when it is included)."""
        rules = scope.model_copy(update={"types": [MemoryType.PROCEDURAL], "include_past": False})
        return [r for r in self._vectors.scroll(rules) if r.active_rule]

    def get(self, memory_id: Any, user_id: str | None, agent_id: str | None, scope: Scope) -> MemoryItem:
        """One memory by id (current or past), in any spelling of its id. A customer with an agent may
        read that agent's shared memories too (and change them only with ``scope="agent"``)."""
        memory_id, owner = check_id(memory_id), owner_of(user_id, agent_id, scope)
        agent_id = check_agent(agent_id)
        shared = scope == "user" and agent_id is not None
        found = self._vectors.get(
            [memory_id], ScopeFilter(user_id=owner, agent_id=agent_id, with_agent=shared, include_past=True)
        )
        if not found:
            raise NotFoundError(f"No memory {memory_id} for this user.", memory_id)
        return found[0]

    def owned(self, memory_id: str, owner: str, agent_id: str | None) -> MemoryItem:
        """A memory the caller may change: their own. The agent's shared memory says so in words."""
        agent_id = agent_of(owner) or check_agent(agent_id)
        found = self._vectors.get(
            [memory_id], ScopeFilter(user_id=owner, agent_id=agent_id, include_past=True)
        )
        if found:
            return found[0]
        if agent_id is not None and not is_agent_owner(owner):
            shared = ScopeFilter(user_id=owner, agent_id=agent_id, with_agent=True, include_past=True)
            if self._vectors.get([memory_id], shared):
                raise InvalidInputError(
                    f"Memory {memory_id} belongs to agent {agent_id}'s shared memory; a customer's call "
                    "cannot change it. An operator changes it with scope='agent'."
                )
        raise NotFoundError(f"No memory {memory_id} for this user.", memory_id)

    def get_all(
        self,
        user_id: str | None,
        agent_id: str | None,
        session_id: str | None,
        types: list[MemoryType] | None,
        filters: dict[str, Any] | None,
        limit: int | None,
        offset: int,
        include_past: bool,
        scope: Scope,
    ) -> list[MemoryItem]:
        """Memories in the scope, newest first. No silent cap: ``limit=None`` returns every one; with
        ``limit`` (and ``offset`` to page) only that page is read from the store. Current ones only
        unless ``include_past``. With a user and an agent, the agent's shared memories come too, each
        labelled by ``item.scope``."""
        owner, shared = owner_of(user_id, agent_id, scope), scope == "user" and agent_id is not None
        scope_filter = store_scope(
            owner,
            check_agent(agent_id),
            session_id,
            types,
            filters,
            include_past=include_past,
            with_agent=shared,
        )
        if limit is None:
            return sorted(self._vectors.scroll(scope_filter), key=lambda i: i.created_at, reverse=True)[
                offset:
            ]
        if not isinstance(limit, int) or limit < 0 or not isinstance(offset, int) or offset < 0:
            raise InvalidInputError("limit and offset must be whole numbers of at least 0.")
        return self._vectors.newest(scope_filter, offset + limit)[offset:] if limit else []

    def iter_all(self, user_id: str, agent_id: str | None, include_past: bool) -> Iterator[MemoryItem]:
        """Every memory of one owner (a user, or an agent's reserved owner: see ``memory.agent_scope``),
        a page at a time from the store (store order, not sorted)."""
        scope = store_scope(check_owner(user_id), agent_id, None, None, include_past=include_past)
        return self._vectors.scroll(scope)

    def count(
        self, user_id: str | None, agent_id: str | None, types: list[MemoryType] | None, scope: Scope
    ) -> int:
        owner, shared = owner_of(user_id, agent_id, scope), scope == "user" and agent_id is not None
        return self._vectors.count(store_scope(owner, check_agent(agent_id), None, types, with_agent=shared))

    def history(
        self, memory_id: Any, user_id: str | None, agent_id: str | None, scope: Scope
    ) -> list[HistoryEntry]:
        """What happened to a memory of the caller's own scope, oldest first, including the versions
        it superseded."""
        memory_id, user_id = check_id(memory_id), owner_of(user_id, agent_id, scope)
        if agent_id is not None:
            self.owned(memory_id, user_id, agent_id)
        entries = self._history.for_memory(memory_id, user_id)
        if not entries:
            raise NotFoundError(f"No memory {memory_id} for this user.", memory_id)
        chain = self._vectors.get([memory_id], ScopeFilter(user_id=user_id, include_past=True))
        seen = {memory_id}
        while chain and chain[0].supersedes and chain[0].supersedes not in seen:
            previous = chain[0].supersedes
            seen.add(previous)
            entries = self._history.for_memory(previous, user_id) + entries
            chain = self._vectors.get([previous], ScopeFilter(user_id=user_id, include_past=True))
        return entries


def _with_agent_rules(hits: list[MemoryHit], rules: list[MemoryItem]) -> list[MemoryHit]:
    """Agent rules always come with a customer's search (after the ranked hits, beyond the limit)."""
    have = {h.id for h in hits}
    extra = [
        MemoryHit(memory=r, score=0.0, matched_by=["agent rule"])
        for r in rules
        if r.scope == "agent" and r.id not in have
    ]
    return hits + extra
