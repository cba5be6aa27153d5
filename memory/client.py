"""MemoryClient: the Memory API over HTTP, against `python -m memory serve`.

Same methods, signatures, records and error classes as ``Memory``, so an app switches with one line::

    mem = Memory()                                   # embedded
    mem = MemoryClient("http://127.0.0.1:8765", key)  # service

Connection errors and 502/503/504 answers are retried with exponential backoff; every write carries an
``Idempotency-Key`` that stays the same across its retries, so a retried write is stored once.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import TypeAdapter

from memory import errors
from memory.errors import InvalidInputError, MemoryLayerError, RateLimitError, ServiceUnavailableError
from memory.types import (
    AddResult,
    HistoryEntry,
    IngestResult,
    MemoryHit,
    MemoryItem,
    MemoryType,
    Operation,
    PendingChange,
)

T = TypeVar("T")
RETRY_STATUS = frozenset({502, 503, 504})
PAGE = 1000


class MemoryClient:
    """A remote Memory: one tenant's API key, any of its users."""

    def __init__(
        self,
        url: str,
        api_key: str,
        *,
        timeout: float = 120.0,
        retries: int = 3,
        backoff_s: float = 0.2,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise InvalidInputError(f"{url!r} is not an http(s) URL of a memory service.")
        self.url = url.rstrip("/")
        self.retries, self.backoff_s = retries, backoff_s
        self._http = httpx.Client(
            base_url=self.url, timeout=timeout, headers={"Authorization": f"Bearer {api_key}"}
        )

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
        body = {
            "messages": messages,
            "user_id": user_id,
            "agent_id": agent_id,
            "session_id": session_id,
            "metadata": metadata,
            "infer": infer,
            "occurred_at": occurred_at.isoformat() if occurred_at else None,
        }
        return AddResult.model_validate(self._call("POST", "/v1/memories", user_id, json=body))

    def update(
        self, memory_id: str, text: str, *, user_id: str, metadata: dict[str, Any] | None = None
    ) -> MemoryItem:
        body = {"user_id": user_id, "text": text, "metadata": metadata}
        return MemoryItem.model_validate(self._call("PATCH", _path(memory_id), user_id, json=body))

    def delete(self, memory_id: str, *, user_id: str) -> None:
        self._call("DELETE", _path(memory_id), user_id, params={"user_id": user_id})

    def pending(self, user_id: str) -> list[PendingChange]:
        return _parse(
            list[PendingChange], self._call("GET", "/v1/pending", user_id, params={"user_id": user_id})
        )

    def apply(self, pending_id: str, choice: str, *, user_id: str) -> AddResult:
        body = {"user_id": user_id, "choice": choice}
        path = f"/v1/pending/{quote(str(pending_id), safe='')}/answer"
        return AddResult.model_validate(self._call("POST", path, user_id, json=body))

    def undo(self, operation_id: str, *, user_id: str) -> list[Operation]:
        path = f"/v1/operations/{quote(str(operation_id), safe='')}/undo"
        return _parse(list[Operation], self._call("POST", path, user_id, json={"user_id": user_id}))

    def delete_all(
        self,
        *,
        user_id: str,
        agent_id: str | None = None,
        session_id: str | None = None,
        types: list[MemoryType] | None = None,
    ) -> int:
        body = {"user_id": user_id, "agent_id": agent_id, "session_id": session_id, "types": types}
        return int(self._call("POST", "/v1/memories/delete_all", user_id, json=body)["deleted"])

    def import_(self, data: dict[str, Any], *, user_id: str) -> int:
        body = {"user_id": user_id, "data": data}
        return int(self._call("POST", "/v1/import", user_id, json=body)["imported"])

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
    ) -> IngestResult:
        """Upload a file; ``progress`` is called once, when the service has taken it."""
        if isinstance(file, bytes):
            data, name = file, filename or "upload"
        else:
            try:
                data, name = Path(file).read_bytes(), filename or Path(file).name
            except OSError as exc:
                raise InvalidInputError(f"Could not read {file}: {exc}") from exc
        form = {"user_id": user_id, "session_id": session_id, "agent_id": agent_id, "password": password}
        result = IngestResult.model_validate(
            self._call(
                "POST",
                "/v1/ingest",
                user_id,
                data={k: v for k, v in form.items() if v is not None},
                files={"file": (name, data)},
            )
        )
        if progress:
            progress(result.pages, result.pages)
        return result

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
        settings: Any = None,
        include_past: bool | None = None,
    ) -> list[MemoryHit]:
        """As Memory.search; ``settings`` is a preset name or a RetrievalSettings."""
        body = {
            "query": query,
            "user_id": user_id,
            "agent_id": agent_id,
            "session_id": session_id,
            "types": types,
            "filters": filters,
            "limit": limit,
            "graph": graph,
            "settings": asdict(settings) if is_dataclass(settings) else settings,
            "include_past": include_past,
        }
        return _parse(list[MemoryHit], self._call("POST", "/v1/memories/search", user_id, json=body))

    def get(self, memory_id: str, *, user_id: str) -> MemoryItem:
        return MemoryItem.model_validate(
            self._call("GET", _path(memory_id), user_id, params={"user_id": user_id})
        )

    def get_all(
        self,
        *,
        user_id: str,
        agent_id: str | None = None,
        session_id: str | None = None,
        types: list[MemoryType] | None = None,
        filters: dict[str, Any] | None = None,
        limit: int | None = None,
        include_past: bool = False,
    ) -> list[MemoryItem]:
        """All memories in the scope, newest first, fetched page by page (no silent cap)."""
        params: dict[str, Any] = {"user_id": user_id, "agent_id": agent_id, "session_id": session_id}
        if include_past:
            params["include_past"] = True
        params = {k: v for k, v in params.items() if v is not None}
        if types:
            params["types"] = [MemoryType(t).value for t in types]
        if filters:
            params["filters"] = json.dumps(filters, default=str)
        items: list[MemoryItem] = []
        cursor = None
        while limit is None or len(items) < limit:
            page_size = PAGE if limit is None else min(PAGE, limit - len(items))
            page = self.list_page(params, page_size, cursor)
            items += page["items"]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        return items

    def list_page(self, params: dict[str, Any], limit: int, cursor: str | None = None) -> dict[str, Any]:
        """One page of GET /v1/memories: items (MemoryItem), total, next_cursor."""
        query = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        page = self._call("GET", "/v1/memories", params["user_id"], params=query)
        page["items"] = [MemoryItem.model_validate(i) for i in page["items"]]
        return page

    def history(self, memory_id: str, *, user_id: str) -> list[HistoryEntry]:
        data = self._call("GET", _path(memory_id) + "/history", user_id, params={"user_id": user_id})
        return _parse(list[HistoryEntry], data)

    def export(self, *, user_id: str) -> dict[str, Any]:
        return self._call("GET", "/v1/export", user_id, params={"user_id": user_id})

    def health(self) -> bool:
        """True when the service answers and its stores are open."""
        try:
            return self._http.get("/ready").status_code == 200
        except httpx.HTTPError:
            return False

    # -- plumbing ----------------------------------------------------------------------------
    def _call(self, method: str, path: str, user_id: Any, **kwargs: Any) -> Any:
        headers = {}
        if isinstance(user_id, str) and user_id.strip() and user_id.isprintable():
            headers["X-Memory-User"] = quote(user_id.strip(), safe="")  # the load balancer's shard key
        if method != "GET":
            headers["Idempotency-Key"] = str(uuid.uuid4())  # the same on every retry of this write
        if "json" in kwargs:
            kwargs["content"] = json.dumps(kwargs.pop("json"), default=_jsonable)
            headers["Content-Type"] = "application/json"
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                response = self._http.request(method, path, headers=headers, **kwargs)
            except httpx.TransportError as exc:
                if last:
                    raise ServiceUnavailableError(
                        f"The memory service at {self.url} could not be reached "
                        f"({type(exc).__name__}: {exc or 'no answer'}) after {attempt + 1} tries."
                    ) from exc
            else:
                if response.status_code not in RETRY_STATUS or last:
                    return _result(response)
            time.sleep(min(self.backoff_s * 2**attempt, 5.0))
        raise AssertionError("unreachable")

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> MemoryClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _path(memory_id: str) -> str:
    if not isinstance(memory_id, str) or not memory_id.strip():
        raise InvalidInputError(f"{memory_id!r} is not a memory id.")
    return "/v1/memories/" + quote(memory_id.strip(), safe="")


def _parse(kind: type[T], data: Any) -> T:
    return TypeAdapter(kind).validate_python(data)


def _result(response: httpx.Response) -> Any:
    """The JSON of a 2xx answer, or the library error the service reported, raised again here."""
    try:
        data = response.json()
    except ValueError:
        data = None
    if response.is_success:
        return data
    error = data.get("error") if isinstance(data, dict) else None
    if not isinstance(error, dict):
        message = f"The memory service answered {response.status_code} {response.reason_phrase}."
        raise (ServiceUnavailableError if response.status_code >= 500 else errors.ServiceError)(message)
    kind = getattr(errors, str(error.get("type")), None)
    message = str(error.get("message", ""))
    if kind is RateLimitError:
        raise RateLimitError(message, retry_after=float(response.headers.get("Retry-After", "1")))
    if isinstance(kind, type) and issubclass(kind, MemoryLayerError):
        raise kind(message)
    raise errors.ServiceError(message)


__all__ = ["MemoryClient"]
