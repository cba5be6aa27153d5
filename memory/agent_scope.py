"""Agent scope: an agent's own memory (its playbook, knowledge base, documents), shared by all its customers.

An agent-scoped memory is stored under a reserved owner, ``agent_owner(agent_id)``, in place of a user id.
The owner starts with a control character, which no user id a caller passes may contain, so no
customer call can name it, by accident or on purpose; the stores keep scoping every call to one owner
(or, for a read, to one customer plus that customer's agent). Only an explicit ``scope="agent"`` call
resolves to the reserved owner.
"""

from __future__ import annotations

from typing import Any, Literal

from memory.errors import InvalidInputError

Scope = Literal["user", "agent"]
SCOPES = ("user", "agent")
_PREFIX = "\x1eagent\x1e"
# The HTTP service scopes ids per tenant as "tenant\x1fid": the one control character an agent id may hold.
TENANT_SEPARATOR = "\x1f"


def agent_owner(agent_id: str) -> str:
    """The reserved owner under which the agent's shared memories are stored."""
    return _PREFIX + agent_id


def is_agent_owner(owner: object) -> bool:
    return isinstance(owner, str) and owner.startswith(_PREFIX)


def agent_of(owner: str) -> str | None:
    """The agent whose reserved owner this is, or None for a user's own id."""
    return owner[len(_PREFIX) :] if is_agent_owner(owner) else None


def scope_of(owner: str) -> Scope:
    """'agent' for a memory of an agent's shared scope, 'user' for a user's own memory."""
    return "agent" if is_agent_owner(owner) else "user"


def check_agent(agent_id: Any, *, required: bool = False) -> str | None:
    """A valid agent id (stripped), or None when not given and not required."""
    if agent_id is None and not required:
        return None
    if not isinstance(agent_id, str) or not agent_id.strip():
        raise InvalidInputError(
            "agent_id is required for an agent-scope call (scope='agent'): name the agent whose "
            "shared memory this is."
        )
    if len(agent_id) > 256:
        raise InvalidInputError("agent_id is too long (256 characters at most).")
    if any(ord(c) < 32 and c != TENANT_SEPARATOR for c in agent_id) or "\x7f" in agent_id:
        raise InvalidInputError("agent_id may not contain control characters.")
    return agent_id.strip()


def check_scope(scope: Any) -> Scope:
    if scope not in SCOPES:
        raise InvalidInputError(f"scope must be 'user' (a customer's own memory) or 'agent', not {scope!r}.")
    return scope


def agent_scope_owner(user_id: Any, agent_id: Any) -> str:
    """The owner of an explicit agent-scope call: an agent id, and no user (a customer's call is refused)."""
    if user_id is not None:
        raise InvalidInputError(
            "An agent-scope call (scope='agent') takes agent_id and no user_id: a customer's call cannot "
            "read or change the agent's own memory as its owner. Drop user_id, or drop scope='agent' to "
            "work in that customer's memory."
        )
    return agent_owner(check_agent(agent_id, required=True) or "")


def owner_args(owner: str) -> dict[str, Any]:
    """The keyword arguments of a public call that works in this owner's memory."""
    return {"user_id": None, "scope": "agent"} if is_agent_owner(owner) else {"user_id": owner}
