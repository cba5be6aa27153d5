"""Endpoints for an agent's shared memory (its playbook and knowledge base), for operator keys only.

A customer's own calls read the agent's memory beside theirs (``agent_id`` on search and list); only
these endpoints write it. Agent ids are namespaced by tenant like user ids.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile

from memory.errors import ForbiddenError
from memory.server.idempotency import fingerprint
from memory.server.routes import _memory, _write, authenticate
from memory.server.schemas import AgentAddRequest, AgentSearchRequest, AgentUpdateRequest, Deleted
from memory.server.tenancy import Principal, public_item, tenant_agent
from memory.types import AddResult, HistoryEntry, IngestResult, MemoryHit, MemoryItem

router = APIRouter(prefix="/v1/agents/{agent_id}")


def operator(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
    if principal.role != "operator":
        raise ForbiddenError(
            "Only an operator key may change an agent's shared memory "
            "(python -m memory keys create --tenant TENANT --operator)."
        )
    return principal


Operator = Annotated[Principal, Depends(operator)]


def _agent(principal: Principal, agent_id: str) -> dict[str, Any]:
    return {"agent_id": tenant_agent(principal, agent_id), "scope": "agent"}


@router.post("/memories", response_model=AddResult, summary="Teach the agent a rule or a fact")
def add(agent_id: str, req: AgentAddRequest, request: Request, principal: Operator) -> Response:
    who = _agent(principal, agent_id)
    return _write(
        request, principal, req.model_dump_json(), lambda: _memory(request).add(req.messages, **who)
    )


@router.get("/memories", response_model=list[MemoryItem], summary="The agent's shared memories, newest first")
def list_memories(agent_id: str, request: Request, principal: Operator) -> Any:
    items = _memory(request).get_all(**_agent(principal, agent_id))
    return [public_item(i, None) for i in items]


@router.post("/memories/search", response_model=list[MemoryHit], summary="Search the agent's shared memory")
def search(agent_id: str, req: AgentSearchRequest, request: Request, principal: Operator) -> Any:
    hits = _memory(request).search(req.query, limit=req.limit, **_agent(principal, agent_id))
    return [h.model_copy(update={"memory": public_item(h.memory, None)}) for h in hits]


@router.patch("/memories/{memory_id}", response_model=MemoryItem, summary="Correct an agent memory")
def update(
    agent_id: str, memory_id: str, req: AgentUpdateRequest, request: Request, principal: Operator
) -> Response:
    who = _agent(principal, agent_id)
    return _write(
        request,
        principal,
        req.model_dump_json(),
        lambda: public_item(_memory(request).update(memory_id, req.text, **who), None),
    )


@router.delete("/memories/{memory_id}", response_model=Deleted, summary="Forget an agent memory")
def delete(agent_id: str, memory_id: str, request: Request, principal: Operator) -> Response:
    def run() -> Deleted:
        _memory(request).delete(memory_id, **_agent(principal, agent_id))
        return Deleted(deleted=memory_id)

    return _write(request, principal, "", run)


@router.get(
    "/memories/{memory_id}/history", response_model=list[HistoryEntry], summary="An agent memory's history"
)
def history(agent_id: str, memory_id: str, request: Request, principal: Operator) -> Any:
    entries = _memory(request).history(memory_id, **_agent(principal, agent_id))
    return [e.model_copy(update={"user_id": agent_id}) for e in entries]


@router.post("/ingest", response_model=IngestResult, summary="Add a document to the agent's knowledge base")
def ingest(
    agent_id: str,
    request: Request,
    principal: Operator,
    file: Annotated[UploadFile, File()],
    password: Annotated[str | None, Form()] = None,
) -> Response:
    data = file.file.read()
    who = _agent(principal, agent_id)
    return _write(
        request,
        principal,
        fingerprint(data, file.filename or "", agent_id, password or ""),
        lambda: _memory(request).ingest(data, filename=file.filename, password=password, **who),
    )
