"""Request and response bodies of the HTTP API (the records themselves are memory.types')."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from memory.types import MemoryItem, MemoryType


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AddRequest(_Body):
    messages: str | list[dict[str, str]]
    user_id: str
    agent_id: str | None = None
    session_id: str | None = None
    metadata: dict[str, Any] | None = None
    infer: bool = True
    occurred_at: datetime | None = None


class SearchRequest(_Body):
    query: str
    user_id: str
    agent_id: str | None = None
    session_id: str | None = None
    types: list[MemoryType] | None = None
    filters: dict[str, Any] | None = None
    limit: int = Field(default=10, le=1000)
    graph: bool | None = None
    include_past: bool | None = None  # None: only when the query asks about the past
    settings: str | dict[str, Any] | None = Field(
        default=None, description="a preset name (hybrid, dense, keyword) or RetrievalSettings fields"
    )


class UpdateRequest(_Body):
    user_id: str
    text: str
    metadata: dict[str, Any] | None = None


class AgentAddRequest(_Body):
    messages: str | list[dict[str, str]]


class AgentSearchRequest(_Body):
    query: str
    limit: int = Field(default=10, ge=1, le=1000)


class AgentUpdateRequest(_Body):
    text: str


class AnswerRequest(_Body):
    user_id: str
    choice: str  # apply | keep_both | ignore


class UndoRequest(_Body):
    user_id: str


class DeleteAllRequest(_Body):
    user_id: str
    agent_id: str | None = None
    session_id: str | None = None
    types: list[MemoryType] | None = None


class ImportRequest(_Body):
    user_id: str
    data: dict[str, Any]


class MemoryPage(BaseModel):
    """One page of a user's memories, newest first; ``next_cursor`` is None on the last page."""

    items: list[MemoryItem]
    total: int
    offset: int
    next_cursor: str | None = None


class Deleted(BaseModel):
    deleted: int | str


class Imported(BaseModel):
    imported: int
