"""Stored responses of write requests sent with an ``Idempotency-Key``, per API key, in SQLite.

A retry with the same key and the same request gets the first response back and changes nothing; the
same key with a different request is refused. Only successful responses are kept (a refused write
stored nothing, so running it again is safe). Rows expire after ``hours`` and are capped per API key.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from pathlib import Path

from memory.errors import IdempotencyError, InvalidInputError
from memory.server.auth import open_sqlite

_STRIPES = 64
_MAX_KEY_CHARS = 200


def fingerprint(*parts: bytes | str) -> str:
    """A digest of what makes two requests the same request (method, path, body)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\x00")
    return digest.hexdigest()


class IdempotencyStore:
    def __init__(self, path: Path, hours: float, max_rows: int) -> None:
        self._conn = open_sqlite(Path(path))
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS responses (key_id TEXT NOT NULL, idem_key TEXT NOT NULL, "
            "fingerprint TEXT NOT NULL, status INTEGER NOT NULL, body TEXT NOT NULL, "
            "created REAL NOT NULL, PRIMARY KEY (key_id, idem_key))"
        )
        self._conn.execute("CREATE INDEX IF NOT EXISTS responses_age ON responses(key_id, created)")
        self._db_lock = threading.Lock()
        self._stripes = [threading.Lock() for _ in range(_STRIPES)]
        self._ttl_s = hours * 3600.0
        self._max_rows = max_rows
        self._writes = 0

    def run(
        self, key_id: str, idem_key: str, print_: str, produce: Callable[[], tuple[int, str]]
    ) -> tuple[int, str, bool]:
        """(status, JSON body, replayed): the stored response, or ``produce()``'s, stored if 2xx.
        Requests with one key wait for each other, so two concurrent retries run the write once."""
        if not idem_key or len(idem_key) > _MAX_KEY_CHARS:
            raise InvalidInputError(f"Idempotency-Key must be 1-{_MAX_KEY_CHARS} characters.")
        with self._stripes[hash((key_id, idem_key)) % _STRIPES]:
            with self._db_lock:
                row = self._conn.execute(
                    "SELECT fingerprint, status, body, created FROM responses WHERE key_id=? AND idem_key=?",
                    (key_id, idem_key),
                ).fetchone()
            if row is not None and time.time() - row[3] <= self._ttl_s:
                if row[0] != print_:
                    raise IdempotencyError(
                        "This Idempotency-Key was already used for a different request; "
                        "use a new key for a new request."
                    )
                return row[1], row[2], True
            status, body = produce()
            if 200 <= status < 300:
                self._store(key_id, idem_key, print_, status, body)
            return status, body, False

    def _store(self, key_id: str, idem_key: str, print_: str, status: int, body: str) -> None:
        now = time.time()
        with self._db_lock:
            self._conn.execute(
                "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?, ?)",
                (key_id, idem_key, print_, status, body, now),
            )
            self._writes += 1
            if self._writes % 100 == 1:
                self._prune(key_id, now)

    def _prune(self, key_id: str, now: float) -> None:
        self._conn.execute("DELETE FROM responses WHERE created < ?", (now - self._ttl_s,))
        self._conn.execute(
            "DELETE FROM responses WHERE key_id = ? AND rowid NOT IN (SELECT rowid FROM responses "
            "WHERE key_id = ? ORDER BY created DESC LIMIT ?)",
            (key_id, key_id, self._max_rows),
        )

    def close(self) -> None:
        self._conn.close()
