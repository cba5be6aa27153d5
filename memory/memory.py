"""The Memory facade: the library API. It validates input, builds scopes, and delegates to
extraction, reconciliation, retrieval and the stores."""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from memory.config import MemoryConfig
from memory.embeddings import make_embedder
from memory.errors import InvalidInputError, NotFoundError
from memory.extraction import Extraction, Extractor, Turn
from memory.reconcile import Reconciler
from memory.retrieval import PRESETS, RetrievalSettings, Retriever, settings_from_config
from memory.stores import make_graph_store, make_history, make_vector_store
from memory.stores.base import ScopeFilter
from memory.types import (
    AddResult,
    Event,
    HistoryEntry,
    MemoryHit,
    MemoryItem,
    MemoryType,
    Operation,
    Relation,
    SessionSummary,
    Source,
    SourceKind,
    utcnow,
)

EXPORT_VERSION = 1
_FILTER_KEYS = {"source_kind", "file_sha256", "slot", "created_after", "created_before"}


class MemoryInput(BaseModel):
    """One memory to store verbatim (no extraction): used by import, benchmarks and bulk loads."""

    text: str
    type: MemoryType = MemoryType.EPISODIC
    agent_id: str | None = None
    session_id: str | None = None
    source: Source = Field(default_factory=Source)
    occurred_at: datetime | None = None
    entities: list[str] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict)


class Memory:
    """Long-term memory for chat assistants. One instance per process; safe to share between threads."""

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
        self._extractor = extractor or _default_extractor(self.config)
        self._reconciler = Reconciler(
            self._vectors, self.embedder, self._history, self._graph, self.config.dedupe_threshold
        )
        self._retriever = Retriever(self._vectors, self.embedder, self._graph)
        self._settings = settings_from_config(self.config.retrieval)
        self._write_lock = threading.RLock()
        self._closed = False

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

    # -- writing -----------------------------------------------------------------------------
    def add(
        self,
        messages: str | list[dict[str, str]],
        *,
        user_id: str,
        agent_id: str | None = None,
        session_id: str | None = None,
        metadata: dict[str, Any] | None = None,
        infer: bool = True,
        occurred_at: datetime | None = None,
    ) -> AddResult:
        """Remember a turn: the user's message is always kept as an episodic memory, and with
        ``infer`` its facts, preferences and rules are reconciled (ADD/UPDATE/DELETE/NONE)."""
        user_id = _check_user(user_id)
        msgs = self._normalise_messages(messages)
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
        return self.remember_turn(turn, metadata=metadata)

    def remember_turn(
        self, turn: Turn, *, metadata: dict[str, Any] | None = None, keep_episode: bool = True
    ) -> AddResult:
        """Store the turn itself first (so it is never lost), then extract and reconcile its facts.
        The extraction (an LLM call, possibly seconds) runs outside the write lock."""
        related = self._related(turn)
        ops: list[Operation] = []
        episode = None
        if keep_episode:
            episode = Reconciler.new_item(turn, turn.text, MemoryType.EPISODIC)
            episode.metadata = {**(metadata or {}), "question": _is_question(turn.text)}
            with self._write_lock:
                self._reconciler.insert([episode], reason="chat turn")
            ops.append(
                Operation(
                    event=Event.ADD,
                    memory_id=episode.id,
                    type=MemoryType.EPISODIC,
                    new_text=turn.text,
                    reason="chat turn",
                )
            )
        extraction = self._extract(turn, related)
        with self._write_lock:
            if episode is not None and (extraction.turn_entities or extraction.turn_relations):
                self._annotate_episode(episode, extraction)
            applied, warnings = self._reconciler.apply(turn, extraction, related)
        return AddResult(operations=ops + applied, warnings=warnings, extractor=extraction.extractor)

    def _extract(self, turn: Turn, related: list[MemoryItem]) -> Extraction:
        try:
            return self._extractor.extract(turn, related)
        except Exception as exc:  # an extractor bug must not lose the turn, which is already stored
            return Extraction(
                warnings=[f"Could not extract facts from this message: {exc}"], extractor="none"
            )

    def _annotate_episode(self, episode: MemoryItem, extraction: Extraction) -> None:
        episode.entities = extraction.turn_entities
        episode.relations = extraction.turn_relations
        self._reconciler.annotate(episode)

    def _related(self, turn: Turn) -> list[MemoryItem]:
        """Existing facts and rules near the turn, shown to the extractor as m1..mN."""
        scope = ScopeFilter(
            user_id=turn.user_id, agent_id=turn.agent_id, types=[MemoryType.SEMANTIC, MemoryType.PROCEDURAL]
        )
        hits = self._retriever.search(turn.text, scope, 10, PRESETS["hybrid"])
        return [h.memory for h in hits]

    def add_batch(self, entries: list[MemoryInput], *, user_id: str) -> list[MemoryItem]:
        """Store memories verbatim in one batch (embedding batched): no extraction, one history row each."""
        user_id = _check_user(user_id)
        items = []
        for e in entries:
            text = self._check_text(e.text)
            at = e.occurred_at or utcnow()
            items.append(
                MemoryItem(
                    text=text,
                    type=e.type,
                    user_id=user_id,
                    agent_id=e.agent_id,
                    session_id=e.session_id,
                    valid_from=at,
                    source=e.source,
                    entities=e.entities,
                    relations=e.relations,
                    metadata=e.metadata,
                )
            )
        with self._write_lock:
            self._reconciler.insert(items, reason="stored as given")
        return items

    def update(
        self, memory_id: str, text: str, *, user_id: str, metadata: dict[str, Any] | None = None
    ) -> MemoryItem:
        old = self.get(memory_id, user_id=user_id)
        text = self._check_text(text)
        new = old.model_copy(
            update={"text": text, "updated_at": utcnow(), "metadata": {**old.metadata, **(metadata or {})}}
        )
        with self._write_lock:
            self._reconciler.replace(old, new, actor="user", reason="edited")
        return new

    def delete(self, memory_id: str, *, user_id: str) -> None:
        item = self.get(memory_id, user_id=user_id)
        with self._write_lock:
            self._reconciler.remove(item, actor="user", reason="deleted", forget=True)

    def delete_all(
        self,
        *,
        user_id: str,
        agent_id: str | None = None,
        session_id: str | None = None,
        types: list[MemoryType] | None = None,
    ) -> int:
        """Delete every memory in the scope (all of them, not a page). Deleting all of a user's
        memories also removes their history and graph: nothing of them is kept."""
        scope = self._scope(user_id, agent_id, session_id, types)
        whole_user = agent_id is None and session_id is None and not types
        with self._write_lock:
            if whole_user:
                n = self._vectors.delete_scope(scope)
                self._history.delete_user(scope.user_id)
                if self._graph is not None:
                    self._graph.delete_user(scope.user_id)
                return n
            items = list(self._vectors.scroll(scope))
            for item in items:
                self._reconciler.remove(item, actor="user", reason="deleted with delete_all", forget=True)
            return len(items)

    def reset(self) -> None:
        """Erase everything of every user (admin)."""
        with self._write_lock:
            self._vectors.reset()
            self._history.reset()
            if self._graph is not None:
                self._graph.reset()

    # -- reading -----------------------------------------------------------------------------
    def search(
        self,
        query: str,
        *,
        user_id: str,
        agent_id: str | None = None,
        session_id: str | None = None,
        types: list[MemoryType] | None = None,
        filters: dict[str, Any] | None = None,
        limit: int = 10,
        graph: bool | None = None,
        settings: RetrievalSettings | str | None = None,
    ) -> list[MemoryHit]:
        """Hybrid search in the caller's scope. ``graph`` turns graph-aware retrieval on or off
        (default: config); hits found through the graph carry the relations used in ``hit.graph``."""
        query = self._check_text(query)
        if limit < 1:
            raise InvalidInputError("limit must be at least 1.")
        scope = self._scope(user_id, agent_id, session_id, types, filters)
        chosen = PRESETS[settings] if isinstance(settings, str) else settings or self._settings
        if graph is not None:
            chosen = replace(chosen, graph=graph)
        return self._retriever.search(query, scope, limit, chosen)

    def get(self, memory_id: str, *, user_id: str) -> MemoryItem:
        memory_id = _check_id(memory_id)
        found = self._vectors.get([memory_id], ScopeFilter(user_id=_check_user(user_id)))
        if not found:
            raise NotFoundError(f"No memory {memory_id} for this user.")
        return found[0]

    def get_all(
        self,
        *,
        user_id: str,
        agent_id: str | None = None,
        session_id: str | None = None,
        types: list[MemoryType] | None = None,
        filters: dict[str, Any] | None = None,
        limit: int | None = None,
    ) -> list[MemoryItem]:
        """All memories in the scope, newest first (no silent cap: ``limit=None`` returns every one)."""
        scope = self._scope(user_id, agent_id, session_id, types, filters)
        items = sorted(self._vectors.scroll(scope), key=lambda i: i.created_at, reverse=True)
        return items if limit is None else items[:limit]

    def count(
        self, *, user_id: str, agent_id: str | None = None, types: list[MemoryType] | None = None
    ) -> int:
        return self._vectors.count(self._scope(user_id, agent_id, None, types))

    def history(self, memory_id: str, *, user_id: str) -> list[HistoryEntry]:
        entries = self._history.for_memory(_check_id(memory_id), _check_user(user_id))
        if not entries:
            raise NotFoundError(f"No memory {memory_id} for this user.")
        return entries

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
        self._history.log_messages(_check_user(user_id), _check_session(session_id), rows)

    def sessions(self, *, user_id: str, limit: int = 50) -> list[SessionSummary]:
        """The user's logged chats, most recent first."""
        return self._history.sessions(_check_user(user_id), limit)

    def transcript(self, session_id: str, *, user_id: str) -> list[tuple[str, str, datetime]]:
        """(role, content, time) of one logged chat of this user, oldest first."""
        return self._history.transcript(_check_user(user_id), _check_session(session_id))

    # -- export / import ---------------------------------------------------------------------
    def export(self, *, user_id: str) -> dict[str, Any]:
        items = self.get_all(user_id=user_id)
        return {
            "version": EXPORT_VERSION,
            "user_id": user_id,
            "exported_at": utcnow().isoformat(),
            "memories": [i.model_dump(mode="json") for i in reversed(items)],
        }

    def import_(self, data: dict[str, Any], *, user_id: str) -> int:
        """Load an export into ``user_id`` (whatever user it came from). Ids are kept unless another
        user already has them; a memory with the same id of this user is replaced."""
        user_id = _check_user(user_id)
        if not isinstance(data, dict) or not isinstance(data.get("memories"), list):
            raise InvalidInputError("This is not a memory export (no 'memories' list).")
        try:
            items = [MemoryItem.model_validate({**m, "user_id": user_id}) for m in data["memories"]]
        except Exception as exc:
            raise InvalidInputError(f"The export is malformed: {exc}") from exc
        mine = {i.id for i in self._vectors.get([i.id for i in items], ScopeFilter(user_id=user_id))}
        taken = self._vectors.existing_ids([i.id for i in items]) - mine
        items = [i.model_copy(update={"id": str(uuid.uuid4())}) if i.id in taken else i for i in items]
        for item in items:
            self._check_text(item.text)
        with self._write_lock:
            self._reconciler.insert(items, actor="user", reason="imported")
        return len(items)

    # -- documents ---------------------------------------------------------------------------
    def ingest(
        self,
        file: str | Path | bytes,
        *,
        user_id: str,
        filename: str | None = None,
        session_id: str | None = None,
        agent_id: str | None = None,
        password: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ):  # type: ignore[no-untyped-def]
        from memory.documents import ingest_file

        return ingest_file(
            self,
            file,
            user_id=_check_user(user_id),
            filename=filename,
            session_id=session_id,
            agent_id=agent_id,
            password=password,
            progress=progress,
        )

    def count_document(self, sha256: str, *, user_id: str) -> int:
        return self._vectors.count(self._scope(user_id, None, None, None, {"file_sha256": sha256}))

    def documents(self, *, user_id: str) -> list[dict[str, Any]]:
        """Uploaded files of a user: name, hash, kind, pages seen, number of memories."""
        docs: dict[str, dict[str, Any]] = {}
        for item in self._vectors.scroll(self._scope(user_id, None, None, None)):
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

    def delete_document(self, sha256: str, *, user_id: str) -> int:
        """Remove every memory that came from one uploaded file."""
        scope = self._scope(user_id, None, None, None, {"file_sha256": sha256})
        items = list(self._vectors.scroll(scope))
        with self._write_lock:
            for item in items:
                self._reconciler.remove(item, actor="user", reason="document deleted", forget=True)
        return len(items)

    # -- plumbing ----------------------------------------------------------------------------
    def _scope(
        self,
        user_id: str,
        agent_id: str | None,
        session_id: str | None,
        types: list[MemoryType] | None,
        filters: dict[str, Any] | None = None,
    ) -> ScopeFilter:
        extra = dict(filters or {})
        unknown = set(extra) - _FILTER_KEYS
        if unknown:
            raise InvalidInputError(f"Unknown filter {sorted(unknown)}; use one of {sorted(_FILTER_KEYS)}.")
        try:
            kinds = [MemoryType(t) for t in types] if types else None
        except ValueError as exc:
            raise InvalidInputError(f"Unknown memory type: {exc}") from exc
        return ScopeFilter(
            user_id=_check_user(user_id), agent_id=agent_id, session_id=session_id, types=kinds, **extra
        )

    def _check_text(self, text: Any) -> str:
        if not isinstance(text, str) or not text.strip():
            raise InvalidInputError("The text is empty.")
        if len(text) > self.config.max_text_chars:
            raise InvalidInputError(
                f"The text is {len(text):,} characters; the limit for one message is "
                f"{self.config.max_text_chars:,}. Upload it as a file instead, and it will be split into parts."
            )
        return text.strip()

    def _normalise_messages(self, messages: str | list[dict[str, str]]) -> list[dict[str, str]]:
        if isinstance(messages, str):
            return [{"role": "user", "content": self._check_text(messages)}]
        if not isinstance(messages, list) or not messages:
            raise InvalidInputError("messages must be a string or a non-empty list of {role, content} dicts.")
        out = []
        for m in messages:
            if not isinstance(m, dict) or "content" not in m:
                raise InvalidInputError("Each message needs a 'role' and a 'content'.")
            role = m.get("role", "user")
            if role not in ("user", "assistant", "system"):
                raise InvalidInputError(f"Unknown message role {role!r}.")
            out.append({"role": role, "content": self._check_text(m["content"])})
        return out

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


_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _is_question(text: str) -> bool:
    """A turn that only asks something (it tells the memory little about the user)."""
    return text.rstrip().endswith("?") and len(re.findall(r"[.!]\s", text)) == 0


def _check_user(user_id: Any) -> str:
    if not isinstance(user_id, str) or not user_id.strip():
        raise InvalidInputError("user_id is required (a non-empty string).")
    if len(user_id) > 256:
        raise InvalidInputError("user_id is too long (256 characters at most).")
    return user_id.strip()


def _check_session(session_id: Any) -> str:
    if not isinstance(session_id, str) or not session_id.strip() or len(session_id) > 256:
        raise InvalidInputError("session_id must be a non-empty string of at most 256 characters.")
    return session_id.strip()


def _check_id(memory_id: Any) -> str:
    if not isinstance(memory_id, str) or not _UUID.match(memory_id.strip()):
        raise InvalidInputError(f"{memory_id!r} is not a memory id.")
    return memory_id.strip().lower()


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
