"""Records that cross module boundaries: memories, sources, operations, hits."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field

from memory.agent_scope import Scope, scope_of


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


def slot_family(slot: str | None) -> str | None:
    """What a slot is about, without its value: "takes:metformin" -> "takes", "home_city" -> "home_city"."""
    return slot.split(":", 1)[0] if slot else None


def canonical_id(value: object) -> str | None:
    """The one spelling of a memory id: lower-case hyphenated UUID. Any spelling the vector engine
    would take as the same point (upper case, no hyphens, braces, ``urn:uuid:``) maps to it; anything
    else gives None."""
    if not isinstance(value, str):
        return None
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        return None


class MemoryType(StrEnum):
    SEMANTIC = "semantic"  # facts, preferences, document knowledge
    EPISODIC = "episodic"  # what happened, when, in which session
    PROCEDURAL = "procedural"  # how the assistant should behave


class Event(StrEnum):
    ADD = "ADD"
    UPDATE = "UPDATE"
    DELETE = "DELETE"
    NONE = "NONE"


class SourceKind(StrEnum):
    CHAT = "chat"  # a chat turn (session_id, turn_id, role)
    DOCUMENT = "document"  # a PDF / text file (file name, sha256, page, chunk)
    IMAGE = "image"  # an uploaded image (file name, sha256, stored path)
    MANUAL = "manual"  # typed by the user in the memory manager / CLI / API without a turn
    IMPORT = "import"  # came in through import_


class Source(BaseModel):
    """Where a memory came from; shown beside every retrieved memory."""

    model_config = ConfigDict(frozen=True)

    kind: SourceKind = SourceKind.MANUAL
    session_id: str | None = None
    turn_id: str | None = None
    role: str | None = None
    file_name: str | None = None
    file_sha256: str | None = None
    page: int | None = None
    chunk_index: int | None = None
    image_path: str | None = None  # stored original, relative to the data dir
    thumbnail_path: str | None = None

    def label(self) -> str:
        """A short human label, e.g. 'chat turn', 'report.pdf p. 3', 'photo.png'."""
        if self.kind == SourceKind.DOCUMENT:
            page = f" p. {self.page}" if self.page else ""
            return f"{self.file_name or 'document'}{page}"
        if self.kind == SourceKind.IMAGE:
            return self.file_name or "image"
        if self.kind == SourceKind.CHAT:
            return "chat turn" + (f" ({self.role})" if self.role and self.role != "user" else "")
        return self.kind.value


class Relation(BaseModel):
    """A (subject, relation, object) triple for the graph store."""

    model_config = ConfigDict(frozen=True)

    subject: str
    relation: str
    object: str


class GraphEdge(BaseModel):
    """A relation in the graph store, with the time it held (valid_to None = still current). Frozen:
    the graph store hands the same edge to every search that reads it."""

    model_config = ConfigDict(frozen=True)

    subject: str
    relation: str
    object: str
    memory_id: str | None = None
    valid_from: datetime | None = None
    valid_to: datetime | None = None

    @property
    def current(self) -> bool:
        return self.valid_to is None

    def label(self) -> str:
        text = f"{self.subject} {self.relation.replace('_', ' ')} {self.object}"
        if self.valid_to is not None:
            since = f"{self.valid_from:%Y-%m-%d} to " if self.valid_from else "until "
            text += f" (past: {since}{self.valid_to:%Y-%m-%d})"
        return text


class MemoryItem(BaseModel):
    id: str = Field(default_factory=new_id)
    text: str
    type: MemoryType = MemoryType.SEMANTIC
    user_id: str
    agent_id: str | None = None
    session_id: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # When the fact held in the world (e.g. a session date, "since 2020"); None = unknown.
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    source: Source = Field(default_factory=Source)
    entities: list[str] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    # Stable key of a single-valued fact ("home_city") so a new value UPDATEs the old one.
    slot: str | None = None
    # Supersede, don't overwrite: a changed fact closes this record (valid_to) and links its successor.
    supersedes: str | None = None
    superseded_by: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def scope(self) -> Scope:
        """'agent': the agent's shared memory (playbook, knowledge base); 'user': the user's own."""
        return scope_of(self.user_id)

    @property
    def current(self) -> bool:
        """Still true as far as the memory knows (not superseded or retracted)."""
        return self.valid_to is None

    @property
    def active_rule(self) -> bool:
        """A procedural memory that may steer the assistant: stated in chat or entered by the user,
        never taken from a file, and (if imported) confirmed by the user."""
        return (
            self.type == MemoryType.PROCEDURAL
            and self.current
            and self.source.kind in (SourceKind.CHAT, SourceKind.MANUAL, SourceKind.IMPORT)
            and not self.metadata.get("inactive", False)
        )


class MemoryHit(BaseModel):
    """A retrieved memory with its fused score and what found it."""

    memory: MemoryItem
    score: float  # fused rank score, for ordering
    similarity: float | None = None  # cosine between query and memory, 0..1, for display
    matched_by: list[str] = Field(default_factory=list)  # "dense", "keyword", "graph", "recency"
    graph: list[GraphEdge] = Field(default_factory=list)  # relations that linked the query to this memory

    @computed_field  # type: ignore[prop-decorator]
    @property
    def scope(self) -> Scope:
        """Where the hit came from: the agent's shared memory or the user's own."""
        return self.memory.scope

    @property
    def id(self) -> str:
        return self.memory.id

    @property
    def text(self) -> str:
        return self.memory.text


class Operation(BaseModel):
    """One reconciliation decision as applied to the store."""

    event: Event
    memory_id: str | None = None
    type: MemoryType = MemoryType.SEMANTIC
    old_text: str | None = None
    new_text: str | None = None
    reason: str | None = None
    previous_id: str | None = None  # UPDATE: the memory this one superseded (now past)
    erased: bool = False  # DELETE: forgotten (text gone); otherwise retracted and kept as the past
    # The operation's id in the history; ``undoable``: ``Memory.undo(id)`` can reverse it (a forget cannot).
    id: str | None = None
    undoable: bool = False


class LLMUsage(BaseModel):
    """Tokens and seconds of the language-model calls behind one step, and their cost when priced."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    cost_usd: float | None = None  # None when the model has no price in the config


class PendingChange(BaseModel):
    """An UPDATE or DELETE the extractor was not sure of, kept as a question until the user answers it
    with ``Memory.apply(id, choice)``: "apply", "keep_both" (updates only) or "ignore"."""

    id: str = Field(default_factory=new_id)
    user_id: str
    agent_id: str | None = None
    session_id: str | None = None
    event: Event  # UPDATE or DELETE
    memory_id: str  # the memory it would change
    old_text: str
    new_text: str | None = None
    question: str  # e.g. "You told me you live in Denver: did you move to Boulder?"
    confidence: float | None = None
    choices: list[str] = Field(default_factory=list)
    created_at: datetime = Field(default_factory=utcnow)
    # What to apply on "apply": the proposal and the turn it came from (as JSON).
    proposal: dict[str, Any] = Field(default_factory=dict)
    turn: dict[str, Any] = Field(default_factory=dict)


class AddResult(BaseModel):
    operations: list[Operation] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    extractor: str = "offline"  # "llm" or "offline" (also when the LLM failed and we fell back)
    usage: LLMUsage | None = None  # the extraction's LLM calls; None when no LLM was asked
    # Changes the extractor was not sure of: asked, not applied (see ``Memory.pending`` / ``Memory.apply``).
    pending: list[PendingChange] = Field(default_factory=list)
    # Ids of the memories this write erased (a forget order: the facts, their past versions and the chat
    # turns they were read from), so a page that showed them can take them away.
    forgotten: list[str] = Field(default_factory=list)

    def changed(self) -> list[Operation]:
        return [op for op in self.operations if op.event != Event.NONE]

    def by_event(self, event: Event) -> list[Operation]:
        return [op for op in self.operations if op.event == event]


class HistoryEntry(BaseModel):
    memory_id: str
    user_id: str
    event: Event
    old_text: str | None = None
    new_text: str | None = None
    at: datetime
    actor: str = "system"
    reason: str | None = None
    operation_id: str | None = None  # the operation that wrote this row (``Memory.undo`` takes it)


class SessionSummary(BaseModel):
    """A logged chat: its id, first user message, last activity and size."""

    session_id: str
    title: str
    last_at: datetime
    messages: int


class SkippedPart(BaseModel):
    where: str  # "page 4", "image", ...
    why: str


class IngestResult(BaseModel):
    file_name: str
    sha256: str
    kind: SourceKind
    pages: int = 0
    memories_added: list[str] = Field(default_factory=list)
    duplicate: bool = False  # same file already ingested for this user: nothing new stored
    skipped: list[SkippedPart] = Field(default_factory=list)
    # Proposals refused because a file may only add document knowledge (never change chat facts or rules).
    warnings: list[str] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict)


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
