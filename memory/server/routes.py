"""The /v1 endpoints: each authenticates, maps the user into the caller's tenant, calls the library,
and maps records back. Write endpoints honour ``Idempotency-Key``."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import fields
from typing import Annotated, Any
from urllib.parse import unquote

from fastapi import APIRouter, Depends, File, Form, Header, Query, Request, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response

from memory.errors import InvalidInputError
from memory.retrieval import PRESETS, RetrievalSettings
from memory.server.idempotency import fingerprint
from memory.server.schemas import (
    AddRequest,
    AnswerRequest,
    DeleteAllRequest,
    Deleted,
    Imported,
    ImportRequest,
    MemoryPage,
    SearchRequest,
    UndoRequest,
    UpdateRequest,
)
from memory.server.tenancy import Principal, Scope
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

router = APIRouter(prefix="/v1")
MAX_PAGE = 1000


def authenticate(request: Request, authorization: str | None = Header(default=None)) -> Principal:
    """The caller's tenant from its bearer key; each call takes a token from the key's bucket."""
    service = request.app.state.service
    key = authorization[7:].strip() if authorization and authorization.startswith("Bearer ") else None
    principal = service.keys.verify(key)
    service.limiter.take(principal.key_id)
    return principal


Caller = Annotated[Principal, Depends(authenticate)]


def scope_of(request: Request, principal: Principal, user_id: Any) -> Scope:
    """The caller's user; the X-Memory-User header (percent-encoded; a load balancer picks the shard
    by it) must name the same user, or the request could land on a shard that does not hold it."""
    scope = Scope.of(principal, user_id)
    header = request.headers.get("x-memory-user")
    if header is not None and unquote(header.strip()) != scope.user:
        raise InvalidInputError("The X-Memory-User header must equal the request's user_id.")
    return scope


def _write(request: Request, principal: Principal, body: str, produce: Callable[[], Any]) -> Response:
    """Run a write once per Idempotency-Key: a retry gets the stored response back."""

    def run() -> tuple[int, str]:
        return 200, json.dumps(jsonable_encoder(produce()))

    idem_key = request.headers.get("idempotency-key")
    replayed = False
    if idem_key is None:
        status, text = run()
    else:
        print_ = fingerprint(request.method, request.url.path, request.url.query, body)
        status, text, replayed = request.app.state.service.idempotency.run(
            principal.key_id, idem_key, print_, run
        )
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return Response(text, status_code=status, media_type="application/json", headers=headers)


def _memory(request: Request) -> Any:
    return request.app.state.service.memory


def _settings(value: str | dict[str, Any] | None) -> RetrievalSettings | str | None:
    if isinstance(value, str) and value not in PRESETS:
        raise InvalidInputError(f"Unknown retrieval preset {value!r}; use one of {sorted(PRESETS)}.")
    if isinstance(value, dict):
        known = {f.name for f in fields(RetrievalSettings)}
        if set(value) - known:
            raise InvalidInputError(f"Unknown retrieval settings {sorted(set(value) - known)}.")
        return RetrievalSettings(**value)
    return value


@router.post("/memories", response_model=AddResult, summary="Remember a message (add)")
def add(req: AddRequest, request: Request, principal: Caller) -> Response:
    scope = scope_of(request, principal, req.user_id)
    args = req.model_dump(exclude={"user_id", "messages"})
    args["agent_id"] = scope.agent(args.get("agent_id"))
    return _write(
        request,
        principal,
        req.model_dump_json(),
        lambda: _memory(request).add(req.messages, user_id=scope.user_id, **args),
    )


@router.post("/memories/search", response_model=list[MemoryHit], summary="Search a user's memories")
def search(req: SearchRequest, request: Request, principal: Caller) -> Any:
    scope = scope_of(request, principal, req.user_id)
    args = req.model_dump(exclude={"user_id", "query", "settings"})
    args["agent_id"] = scope.agent(args.get("agent_id"))
    hits = _memory(request).search(req.query, user_id=scope.user_id, settings=_settings(req.settings), **args)
    return [scope.hit(h) for h in hits]


@router.get("/memories", response_model=MemoryPage, summary="List a user's memories, newest first (paged)")
def list_memories(
    request: Request,
    principal: Caller,
    user_id: str,
    agent_id: str | None = None,
    session_id: str | None = None,
    types: Annotated[list[MemoryType] | None, Query()] = None,
    filters: Annotated[str | None, Query(description="JSON object of filters")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
    cursor: str | None = None,
    include_past: bool = False,
) -> MemoryPage:
    scope = scope_of(request, principal, user_id)
    try:
        extra = json.loads(filters) if filters else None
    except ValueError as exc:
        raise InvalidInputError(f"filters must be a JSON object: {exc}") from exc
    if extra is not None and not isinstance(extra, dict):
        raise InvalidInputError("filters must be a JSON object.")
    items = _memory(request).get_all(
        user_id=scope.user_id,
        agent_id=scope.agent(agent_id),
        session_id=session_id,
        types=types,
        filters=extra,
        include_past=include_past,
    )
    items.sort(key=lambda i: (i.created_at, i.id), reverse=True)
    start = offset if cursor is None else _after(items, cursor)
    page = items[start : start + limit]
    more = start + limit < len(items)
    return MemoryPage(
        items=[scope.item(i) for i in page],
        total=len(items),
        offset=start,
        next_cursor=_cursor(page[-1]) if more and page else None,
    )


def _cursor(item: MemoryItem) -> str:
    return base64.urlsafe_b64encode(f"{item.created_at.isoformat()}|{item.id}".encode()).decode()


def _after(items: list[MemoryItem], cursor: str) -> int:
    """Index of the first item after the cursor's (created_at, id), so pages stay stable under adds."""
    try:
        at, memory_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
    except (ValueError, binascii.Error) as exc:
        raise InvalidInputError("The cursor is not one this service gave out.") from exc
    for n, item in enumerate(items):
        if (item.created_at.isoformat(), item.id) < (at, memory_id):
            return n
    return len(items)


@router.get("/memories/{memory_id}", response_model=MemoryItem, summary="Get one memory")
def get(memory_id: str, user_id: str, request: Request, principal: Caller) -> Any:
    scope = scope_of(request, principal, user_id)
    return scope.item(_memory(request).get(memory_id, user_id=scope.user_id))


@router.patch("/memories/{memory_id}", response_model=MemoryItem, summary="Replace a memory's text")
def update(memory_id: str, req: UpdateRequest, request: Request, principal: Caller) -> Response:
    scope = scope_of(request, principal, req.user_id)
    return _write(
        request,
        principal,
        req.model_dump_json(),
        lambda: scope.item(
            _memory(request).update(memory_id, req.text, user_id=scope.user_id, metadata=req.metadata)
        ),
    )


@router.delete("/memories/{memory_id}", response_model=Deleted, summary="Delete one memory")
def delete(memory_id: str, user_id: str, request: Request, principal: Caller) -> Response:
    scope = scope_of(request, principal, user_id)

    def run() -> Deleted:
        _memory(request).delete(memory_id, user_id=scope.user_id)
        return Deleted(deleted=memory_id)

    return _write(request, principal, "", run)


@router.get("/pending", response_model=list[PendingChange], summary="Changes waiting for the user's answer")
def pending(user_id: str, request: Request, principal: Caller) -> Any:
    scope = scope_of(request, principal, user_id)
    return [c.model_copy(update={"user_id": scope.user}) for c in _memory(request).pending(scope.user_id)]


@router.post("/pending/{pending_id}/answer", response_model=AddResult, summary="Answer a pending change")
def answer(pending_id: str, req: AnswerRequest, request: Request, principal: Caller) -> Response:
    scope = scope_of(request, principal, req.user_id)
    return _write(
        request,
        principal,
        req.model_dump_json(),
        lambda: _memory(request).apply(pending_id, req.choice, user_id=scope.user_id),
    )


@router.post("/operations/{operation_id}/undo", response_model=list[Operation], summary="Undo an operation")
def undo(operation_id: str, req: UndoRequest, request: Request, principal: Caller) -> Response:
    scope = scope_of(request, principal, req.user_id)
    return _write(
        request,
        principal,
        req.model_dump_json(),
        lambda: _memory(request).undo(operation_id, user_id=scope.user_id),
    )


@router.post("/memories/delete_all", response_model=Deleted, summary="Delete every memory in a scope")
def delete_all(req: DeleteAllRequest, request: Request, principal: Caller) -> Response:
    scope = scope_of(request, principal, req.user_id)
    args = req.model_dump(exclude={"user_id"})
    if "agent_id" in args:
        args["agent_id"] = scope.agent(args["agent_id"])
    return _write(
        request,
        principal,
        req.model_dump_json(),
        lambda: Deleted(deleted=_memory(request).delete_all(user_id=scope.user_id, **args)),
    )


@router.get(
    "/memories/{memory_id}/history", response_model=list[HistoryEntry], summary="ADD/UPDATE/DELETE history"
)
def history(memory_id: str, user_id: str, request: Request, principal: Caller) -> Any:
    scope = scope_of(request, principal, user_id)
    return [scope.entry(e) for e in _memory(request).history(memory_id, user_id=scope.user_id)]


@router.get("/export", summary="A user's memories as an export document")
def export(user_id: str, request: Request, principal: Caller) -> dict[str, Any]:
    scope = scope_of(request, principal, user_id)
    return scope.export(_memory(request).export(user_id=scope.user_id))


@router.post("/import", response_model=Imported, summary="Load an export into a user")
def import_(req: ImportRequest, request: Request, principal: Caller) -> Response:
    scope = scope_of(request, principal, req.user_id)
    return _write(
        request,
        principal,
        req.model_dump_json(),
        lambda: Imported(imported=_memory(request).import_(req.data, user_id=scope.user_id)),
    )


@router.post("/ingest", response_model=IngestResult, summary="Remember an uploaded PDF, image or text file")
def ingest(
    request: Request,
    principal: Caller,
    file: Annotated[UploadFile, File()],
    user_id: Annotated[str, Form()],
    session_id: Annotated[str | None, Form()] = None,
    agent_id: Annotated[str | None, Form()] = None,
    password: Annotated[str | None, Form()] = None,
) -> Response:
    scope = scope_of(request, principal, user_id)
    data = file.file.read()
    body = fingerprint(data, file.filename or "", session_id or "", agent_id or "", password or "")
    return _write(
        request,
        principal,
        body,
        lambda: _memory(request).ingest(
            data,
            user_id=scope.user_id,
            filename=file.filename,
            session_id=session_id,
            agent_id=scope.agent(agent_id),
            password=password,
        ),
    )
