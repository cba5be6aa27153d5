"""API keys of tenants: created once and shown once, stored only as a SHA-256 hash; a token bucket
per key limits the request rate.

A key reads ``mk.<tenant>.<key id>.<secret>``: the tenant in clear lets a load balancer hash users of
one tenant consistently whatever key they use; the hash covers the whole key, so it cannot be altered.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel

from memory.errors import AuthenticationError, InvalidInputError, NotFoundError, RateLimitError
from memory.server.tenancy import Principal, check_tenant

PREFIX = "mk"
ROLES = ("app", "operator")


class KeyInfo(BaseModel):
    key_id: str
    tenant: str
    created_at: datetime
    revoked_at: datetime | None = None
    role: str = "app"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def open_sqlite(path: Path) -> sqlite3.Connection:
    """A WAL-mode connection shared by the service's threads (callers hold their own lock)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=10.0, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


class KeyStore:
    """Tenant API keys in SQLite: hash, tenant, creation and revocation time."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._conn = open_sqlite(self.path)
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS api_keys (key_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, "
            "hash TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT)"
        )
        columns = {row[1] for row in self._conn.execute("PRAGMA table_info(api_keys)")}
        if "role" not in columns:  # keys made before roles existed are app keys
            self._conn.execute("ALTER TABLE api_keys ADD COLUMN role TEXT NOT NULL DEFAULT 'app'")

    def create(self, tenant: str, role: str = "app") -> str:
        """A new key for ``tenant``; the only time the key itself exists outside the caller. An
        "operator" key may also manage the tenant's agents' shared memory."""
        tenant = check_tenant(tenant)
        if role not in ROLES:
            raise InvalidInputError(f"Unknown key role {role!r}; use one of {', '.join(ROLES)}.")
        key_id = secrets.token_hex(6)
        key = f"{PREFIX}.{tenant}.{key_id}.{secrets.token_urlsafe(32)}"
        with self._lock:
            self._conn.execute(
                "INSERT INTO api_keys (key_id, tenant, hash, created_at, revoked_at, role) "
                "VALUES (?, ?, ?, ?, NULL, ?)",
                (key_id, tenant, _hash(key), datetime.now(UTC).isoformat(), role),
            )
        return key

    def list(self, tenant: str | None = None) -> list[KeyInfo]:
        query = "SELECT key_id, tenant, created_at, revoked_at, role FROM api_keys"
        args: tuple[str, ...] = ()
        if tenant:
            query, args = query + " WHERE tenant = ?", (tenant,)
        with self._lock:
            rows = self._conn.execute(query + " ORDER BY created_at", args).fetchall()
        return [KeyInfo(key_id=r[0], tenant=r[1], created_at=r[2], revoked_at=r[3], role=r[4]) for r in rows]

    def revoke(self, key_id: str) -> None:
        with self._lock:
            done = self._conn.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
                (datetime.now(UTC).isoformat(), key_id),
            ).rowcount
        if not done:
            raise NotFoundError(f"No active API key {key_id}.")

    def verify(self, key: str | None) -> Principal:
        """The tenant of a valid, unrevoked key; AuthenticationError otherwise (same words for all)."""
        refused = AuthenticationError("Missing or invalid API key (send 'Authorization: Bearer <key>').")
        parts = (key or "").split(".")
        if len(parts) != 4 or parts[0] != PREFIX:
            raise refused
        with self._lock:
            row = self._conn.execute(
                "SELECT tenant, hash, revoked_at, role FROM api_keys WHERE key_id = ?", (parts[2],)
            ).fetchone()
        if row is None or not hmac.compare_digest(row[1], _hash(key or "")) or row[0] != parts[1]:
            raise refused
        if row[2] is not None:
            raise AuthenticationError("This API key has been revoked.")
        return Principal(tenant=row[0], key_id=parts[2], role=row[3])

    def close(self) -> None:
        self._conn.close()


class RateLimiter:
    """A token bucket per API key: ``burst`` requests at once, refilled at ``rate`` per second."""

    def __init__(self, rate: float, burst: int) -> None:
        if rate <= 0 or burst < 1:
            raise InvalidInputError("server.rate_per_s must be > 0 and server.burst at least 1.")
        self.rate, self.burst = rate, burst
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key_id: str) -> None:
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key_id, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens < 1.0:
                self._buckets[key_id] = (tokens, now)
                wait = math.ceil((1.0 - tokens) / self.rate)
                raise RateLimitError(
                    f"Too many requests for this API key; retry in {wait} s.", retry_after=wait
                )
            self._buckets[key_id] = (tokens - 1.0, now)
