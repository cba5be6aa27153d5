"""SQLite audit log of every ADD/UPDATE/DELETE, with numbered migrations from day one."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from memory.errors import StoreError
from memory.types import Event, HistoryEntry, SessionSummary

# What a reply says in place of a memory the user made it forget.
FORGOTTEN_IN_REPLY = "[forgotten]"

HistoryRow = tuple[str, str, Event, str | None, str | None, str, str | None]
# (asked: (id, user_id, memory_id, record JSON), answered: (id, user_id, choice), undone: (user_id, op id))
ChangeRows = tuple[
    Sequence[tuple[str, str, str, str]], Sequence[tuple[str, str, str]], Sequence[tuple[str, str]]
]


def _m001_history(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE history (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            memory_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            event TEXT NOT NULL,
            old_text TEXT,
            new_text TEXT,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            reason TEXT
        )"""
    )
    db.execute("CREATE INDEX history_memory ON history(user_id, memory_id)")


def _m002_transcript(db: sqlite3.Connection) -> None:
    """The conversation as it was shown (user and assistant messages), so past chats can be reopened."""
    db.execute(
        """CREATE TABLE transcript (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id TEXT NOT NULL,
            session_id TEXT NOT NULL,
            role TEXT NOT NULL,
            content TEXT NOT NULL,
            at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX transcript_session ON transcript(user_id, session_id, seq)")


def _m003_journal(db: sqlite3.Connection) -> None:
    """Units of work in flight: what to undo if the process dies before they commit."""
    db.execute(
        """CREATE TABLE journal (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id TEXT NOT NULL,
            plan TEXT NOT NULL,
            started_at TEXT NOT NULL
        )"""
    )


def _m004_changes(db: sqlite3.Connection) -> None:
    """Operation ids on history rows (what ``undo`` reverses), changes waiting for the user's answer,
    and operations already undone."""
    db.execute("ALTER TABLE history ADD COLUMN operation_id TEXT")
    db.execute("CREATE INDEX history_operation ON history(user_id, operation_id)")
    db.execute(
        """CREATE TABLE pending (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL,
            memory_id TEXT NOT NULL,
            record TEXT NOT NULL,
            created_at TEXT NOT NULL,
            resolution TEXT,
            resolved_at TEXT
        )"""
    )
    db.execute("CREATE INDEX pending_user ON pending(user_id, resolution)")
    db.execute(
        """CREATE TABLE undone (
            user_id TEXT NOT NULL,
            operation_id TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (user_id, operation_id)
        )"""
    )


MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = [
    ("001_history", _m001_history),
    ("002_transcript", _m002_transcript),
    ("003_journal", _m003_journal),
    ("004_changes", _m004_changes),
]


class SQLiteHistory:
    """HistoryStore: rows are read back only with the same user_id they were written with."""

    def __init__(self, path: Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            # Deleted rows are overwritten with zeros, so forgotten text does not linger in free pages.
            self._db.execute("PRAGMA secure_delete=ON")
            self._migrate()
        except sqlite3.Error as exc:
            raise StoreError(f"Could not open the history database at {path}: {exc}") from exc

    def _migrate(self) -> None:
        with self._lock, self._db:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT)"
            )
            done = {row[0] for row in self._db.execute("SELECT name FROM _migrations")}
            for name, fn in MIGRATIONS:
                if name not in done:
                    fn(self._db)
                    self._db.execute("INSERT INTO _migrations VALUES (?, ?)", (name, _now()))

    def record(
        self,
        memory_id: str,
        user_id: str,
        event: Event,
        old_text: str | None,
        new_text: str | None,
        actor: str = "system",
        reason: str | None = None,
    ) -> None:
        self.record_many([(memory_id, user_id, event, old_text, new_text, actor, reason)])

    def _unquote_replies(self, user_id: str, phrases: list[str]) -> None:
        """Inside a transaction: each of ``phrases`` leaves every assistant message of the user that
        quotes it; the messages are read once, however many memories were forgotten."""
        phrases = [p for p in (phrase.strip().rstrip(".") for phrase in phrases) if len(p) >= 4]
        if not phrases:
            return
        found = re.compile(
            "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True)), re.IGNORECASE
        )
        rows = self._db.execute(
            "SELECT seq, content FROM transcript WHERE user_id = ? AND role = 'assistant'", (user_id,)
        ).fetchall()
        changed = [
            (new, seq) for seq, content in rows if (new := found.sub(FORGOTTEN_IN_REPLY, content)) != content
        ]
        self._db.executemany("UPDATE transcript SET content = ? WHERE seq = ?", changed)

    def record_many(
        self, rows: list[tuple[str, str, Event, str | None, str | None, str, str | None]]
    ) -> None:
        self.commit(rows)

    def commit(
        self,
        rows: list[tuple[str, str, Event, str | None, str | None, str, str | None]],
        *,
        journal_id: int | None = None,
        after: dict[str, Any] | None = None,
        erase: Sequence[tuple[str, str]] = (),
        erase_texts: Sequence[tuple[str, str]] = (),
        erase_messages: Sequence[tuple[str, str]] = (),
        redact: Sequence[tuple[str, str, str]] = (),
        quoted: Sequence[tuple[str, str]] = (),
        operations: Sequence[str | None] = (),
        changes: ChangeRows | None = None,
    ) -> None:
        """The commit point of a unit of work: all of it in one SQLite transaction. The journal entry
        is closed, or, when steps remain after the commit (``after``), it keeps only those.
        ``operations``: the operation id of each row (by position); ``changes``: pending changes
        asked, answered, and operations undone, by the same unit of work."""
        now = _now()
        op_ids = list(operations) + [None] * (len(rows) - len(operations))
        try:
            with self._lock, self._db:
                # Forgotten: every earlier row of the memory loses its text (the rows stay as tombstones).
                self._db.executemany(
                    "UPDATE history SET old_text = NULL, new_text = NULL, reason = NULL "
                    "WHERE memory_id = ? AND user_id = ?",
                    list(erase),
                )
                # ... and the text goes from the rows of other memories that quoted it (the memory it
                # replaced, or the one that replaced it).
                for column in ("old_text", "new_text"):
                    self._db.executemany(
                        f"UPDATE history SET {column} = NULL WHERE user_id = ? AND {column} = ?",
                        list(erase_texts),
                    )
                self._db.executemany(
                    "DELETE FROM transcript WHERE user_id = ? AND content = ?", list(erase_messages)
                )
                # A reply that quoted a forgotten text ("From what I remember: User lives in Porto.") loses it.
                for user_id in dict.fromkeys(user for user, _ in quoted):
                    self._unquote_replies(user_id, [phrase for user, phrase in quoted if user == user_id])
                # A text put in place of another (a forget order keeps no trace of what it forgot).
                swaps = [(new, user_id, old) for user_id, old, new in redact]
                for column in ("old_text", "new_text"):
                    self._db.executemany(
                        f"UPDATE history SET {column} = ? WHERE user_id = ? AND {column} = ?", swaps
                    )
                self._db.executemany(
                    "UPDATE transcript SET content = ? WHERE user_id = ? AND content = ?", swaps
                )
                # A forgotten memory's open questions go too: they quote its text.
                self._db.executemany("DELETE FROM pending WHERE memory_id = ? AND user_id = ?", list(erase))
                self._db.executemany(
                    "INSERT INTO history (memory_id, user_id, event, old_text, new_text, at, actor, reason, "
                    "operation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (m, u, Event(e).value, o, n, now, a, r, op)
                        for (m, u, e, o, n, a, r), op in zip(rows, op_ids, strict=False)
                    ],
                )
                if changes is not None:
                    self._write_changes(changes, now)
                if journal_id is not None and after is not None:
                    self._db.execute(
                        "UPDATE journal SET plan = ? WHERE id = ?", (json.dumps(after), journal_id)
                    )
                elif journal_id is not None:
                    self._db.execute("DELETE FROM journal WHERE id = ?", (journal_id,))
        except sqlite3.Error as exc:
            raise StoreError(f"Could not write the history: {exc}") from exc

    def _write_changes(self, changes: ChangeRows, now: str) -> None:
        asked, answered, undone = changes
        self._db.executemany(
            "INSERT INTO pending (id, user_id, memory_id, record, created_at) VALUES (?, ?, ?, ?, ?)",
            [(i, u, m, record, now) for i, u, m, record in asked],
        )
        self._db.executemany(
            "UPDATE pending SET resolution = ?, resolved_at = ? WHERE id = ? AND user_id = ?",
            [(choice, now, i, u) for i, u, choice in answered],
        )
        self._db.executemany(
            "INSERT OR IGNORE INTO undone (user_id, operation_id, at) VALUES (?, ?, ?)",
            [(u, op, now) for u, op in undone],
        )

    def pending(self, user_id: str, pending_id: str | None = None) -> list[tuple[str, str | None]]:
        """(record JSON, resolution) of the user's pending changes, oldest first: the open ones, or the
        one with ``pending_id`` whatever its state."""
        query = "SELECT record, resolution FROM pending WHERE user_id = ? AND "
        query += "id = ?" if pending_id is not None else "resolution IS NULL ORDER BY created_at"
        args = (user_id, pending_id) if pending_id is not None else (user_id,)
        with self._lock:
            return [(r[0], r[1]) for r in self._db.execute(query, args).fetchall()]

    def operation(self, user_id: str, operation_id: str) -> tuple[list[HistoryRow], bool]:
        """The history rows an operation wrote (oldest first), and whether it was undone."""
        with self._lock:
            rows = self._db.execute(
                "SELECT memory_id, user_id, event, old_text, new_text, actor, reason FROM history "
                "WHERE user_id = ? AND operation_id = ? ORDER BY seq",
                (user_id, operation_id),
            ).fetchall()
            undone = self._db.execute(
                "SELECT 1 FROM undone WHERE user_id = ? AND operation_id = ?", (user_id, operation_id)
            ).fetchone()
        return [(r[0], r[1], Event(r[2]), r[3], r[4], r[5], r[6]) for r in rows], undone is not None

    def journal_open(self, user_id: str, plan: dict[str, Any]) -> int:
        try:
            with self._lock, self._db:
                cur = self._db.execute(
                    "INSERT INTO journal (user_id, plan, started_at) VALUES (?, ?, ?)",
                    (user_id, json.dumps(plan), _now()),
                )
                return int(cur.lastrowid or 0)
        except sqlite3.Error as exc:
            raise StoreError(f"Could not write the history: {exc}") from exc

    def journal_pending(self) -> list[tuple[int, str, dict[str, Any]]]:
        with self._lock:
            rows = self._db.execute("SELECT id, user_id, plan FROM journal ORDER BY id").fetchall()
        return [(r[0], r[1], json.loads(r[2])) for r in rows]

    def journal_close(self, journal_id: int) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM journal WHERE id = ?", (journal_id,))

    def compact(self) -> None:
        """Fold the write-ahead log into the database and rebuild it without free pages."""
        with self._lock:
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._db.execute("VACUUM")
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def for_memory(self, memory_id: str, user_id: str) -> list[HistoryEntry]:
        with self._lock:
            rows = self._db.execute(
                "SELECT memory_id, user_id, event, old_text, new_text, at, actor, reason, operation_id "
                "FROM history WHERE memory_id = ? AND user_id = ? ORDER BY seq",
                (memory_id, user_id),
            ).fetchall()
        return [
            HistoryEntry(
                memory_id=r[0],
                user_id=r[1],
                event=Event(r[2]),
                old_text=r[3],
                new_text=r[4],
                at=datetime.fromisoformat(r[5]),
                actor=r[6],
                reason=r[7],
                operation_id=r[8],
            )
            for r in rows
        ]

    def log_messages(self, user_id: str, session_id: str, messages: list[tuple[str, str]]) -> None:
        now = _now()
        with self._lock, self._db:
            self._db.executemany(
                "INSERT INTO transcript (user_id, session_id, role, content, at) VALUES (?, ?, ?, ?, ?)",
                [(user_id, session_id, role, content, now) for role, content in messages],
            )

    def sessions(self, user_id: str, limit: int = 50) -> list[SessionSummary]:
        """The user's logged chats, most recent first, titled by their first user message."""
        with self._lock:
            rows = self._db.execute(
                "SELECT session_id, MIN(seq), MAX(at), COUNT(*) FROM transcript WHERE user_id = ? "
                "GROUP BY session_id ORDER BY MAX(seq) DESC LIMIT ?",
                (user_id, limit),
            ).fetchall()
            out = []
            for session_id, first_seq, last_at, count in rows:
                first = self._db.execute(
                    "SELECT content FROM transcript WHERE user_id = ? AND session_id = ? AND role = 'user' "
                    "AND seq >= ? ORDER BY seq LIMIT 1",
                    (user_id, session_id, first_seq),
                ).fetchone()
                out.append(
                    SessionSummary(
                        session_id=session_id,
                        title=first[0] if first else "",
                        last_at=datetime.fromisoformat(last_at),
                        messages=count,
                    )
                )
        return out

    def transcript(self, user_id: str, session_id: str) -> list[tuple[str, str, datetime]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT role, content, at FROM transcript WHERE user_id = ? AND session_id = ? ORDER BY seq",
                (user_id, session_id),
            ).fetchall()
        return [(r[0], r[1], datetime.fromisoformat(r[2])) for r in rows]

    def delete_user(self, user_id: str) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM history WHERE user_id = ?", (user_id,))
            self._db.execute("DELETE FROM transcript WHERE user_id = ?", (user_id,))
            self._db.execute("DELETE FROM journal WHERE user_id = ?", (user_id,))
            self._db.execute("DELETE FROM pending WHERE user_id = ?", (user_id,))
            self._db.execute("DELETE FROM undone WHERE user_id = ?", (user_id,))

    def reset(self) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM history")
            self._db.execute("DELETE FROM transcript")
            self._db.execute("DELETE FROM journal")
            self._db.execute("DELETE FROM pending")
            self._db.execute("DELETE FROM undone")

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _now() -> str:
    return datetime.now(UTC).isoformat()
