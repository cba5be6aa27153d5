"""The one place where a caller's (tenant, user) becomes the library's user id and back.

Inside the service every user id is ``f"{tenant}\\x1f{user}"``. Tenant names cannot hold the separator
and client user ids cannot hold control characters, so no client-chosen user id can name another
tenant's user, and records going out carry the caller's own user id again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from memory.agent_scope import agent_owner, is_agent_owner
from memory.errors import InvalidInputError
from memory.types import HistoryEntry, MemoryHit, MemoryItem

SEPARATOR = "\x1f"
TENANT_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_USER_CHARS = 180  # the library takes 256; the tenant prefix needs the rest


@dataclass(frozen=True)
class Principal:
    """Who is calling: the tenant and the id of the API key used (for rate limits, idempotency)."""

    tenant: str
    key_id: str
    role: str = "app"  # "operator" keys may also write agents' shared memory


def tenant_agent(principal: Principal, agent_id: Any) -> str:
    """The library's agent id: agents are namespaced by tenant like users, so an agent's shared
    memory of one tenant never reaches another tenant's customers, whatever id they pass."""
    if not isinstance(agent_id, str) or not agent_id.strip() or _CONTROL.search(agent_id):
        raise InvalidInputError("agent_id must be a non-empty string without control characters.")
    return f"{principal.tenant}{SEPARATOR}{agent_id.strip()}"


def public_item(item: MemoryItem, user: str | None) -> MemoryItem:
    """A record as a caller sees it: their own user id (or the agent's shared owner) and agent id."""
    agent = item.agent_id.split(SEPARATOR, 1)[-1] if item.agent_id else None
    owner = agent_owner(agent) if is_agent_owner(item.user_id) and agent else user
    return item.model_copy(update={"user_id": owner, "agent_id": agent})


def check_tenant(tenant: str) -> str:
    if not TENANT_PATTERN.match(tenant or ""):
        raise InvalidInputError(
            f"{tenant!r} is not a tenant name: use 1-63 lowercase letters, digits, '-' or '_', "
            "starting with a letter or digit."
        )
    return tenant


@dataclass(frozen=True)
class Scope:
    """One caller's view of one user: converts ids going in and records coming out."""

    principal: Principal
    user: str

    @classmethod
    def of(cls, principal: Principal, user_id: Any) -> Scope:
        if not isinstance(user_id, str) or not user_id.strip():
            raise InvalidInputError("user_id is required (a non-empty string).")
        if _CONTROL.search(user_id):  # before stripping: Python counts \x1c-\x1f as whitespace
            raise InvalidInputError("user_id must not contain control characters.")
        user = user_id.strip()
        if len(user) > MAX_USER_CHARS:
            raise InvalidInputError(f"user_id is too long ({MAX_USER_CHARS} characters at most).")
        return cls(principal, user)

    @property
    def user_id(self) -> str:
        """The library's user id for this caller's user."""
        return f"{self.principal.tenant}{SEPARATOR}{self.user}"

    def agent(self, agent_id: Any) -> str | None:
        return None if agent_id is None else tenant_agent(self.principal, agent_id)

    def item(self, item: MemoryItem) -> MemoryItem:
        return public_item(item, self.user)

    def hit(self, hit: MemoryHit) -> MemoryHit:
        return hit.model_copy(update={"memory": self.item(hit.memory)})

    def entry(self, entry: HistoryEntry) -> HistoryEntry:
        return entry.model_copy(update={"user_id": self.user})

    def export(self, data: dict[str, Any]) -> dict[str, Any]:
        memories = [{**m, "user_id": self.user} for m in data.get("memories", [])]
        return {**data, "user_id": self.user, "memories": memories}
