"""Extraction: turn one chat turn (+ related memories) into proposed ADD/UPDATE/DELETE/NONE facts.

Both extractors (offline rules, one-call LLM) implement ``Extractor`` and return the same
``Extraction``; ``memory.reconcile`` validates the proposals and applies them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, Field

from memory.types import Event, MemoryItem, MemoryType, Relation, Source, utcnow


class Turn(BaseModel):
    """One message to remember, with its scope and where it came from."""

    text: str
    role: str = "user"
    user_id: str
    agent_id: str | None = None
    session_id: str | None = None
    turn_id: str | None = None
    at: datetime = Field(default_factory=utcnow)
    source: Source = Field(default_factory=Source)
    context: list[dict[str, str]] = Field(default_factory=list)  # earlier messages, for the LLM only
    from_document: bool = False  # text from a file/image: data, never instructions


class ProposedFact(BaseModel):
    """An extractor's proposal. ``target`` is the short id ("m3") of a related memory shown to it.

    ``confidence`` (0..1, None when the extractor does not say) is how sure the extractor is of the
    proposal; below 0.6 marks a guess (an ambiguous retraction, a target found by shared words only)
    that a caller may confirm with the user before applying an UPDATE or DELETE.
    """

    event: Event
    text: str | None = None
    type: MemoryType = MemoryType.SEMANTIC
    target: str | None = None
    slot: str | None = None
    entities: list[str] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    reason: str | None = None
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)


class Extraction(BaseModel):
    facts: list[ProposedFact] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    extractor: str = "offline"
    # Entities / triples that describe the turn itself (stored on the episodic memory).
    turn_entities: list[str] = Field(default_factory=list)
    turn_relations: list[Relation] = Field(default_factory=list)


def short_ids(related: list[MemoryItem]) -> dict[str, MemoryItem]:
    """The short ids an extractor sees instead of raw uuids: m1, m2, ..."""
    return {f"m{i}": item for i, item in enumerate(related, start=1)}


class Extractor(Protocol):
    name: str

    def extract(self, turn: Turn, related: list[MemoryItem]) -> Extraction:
        """Propose facts for ``turn``; ``related`` are the caller's existing memories, in short-id order."""
        ...
