"""One user's graph edges held in memory, so that a lookup around a few entities takes microseconds
instead of a database query of milliseconds.

The database stays the source of truth. The graph store fills an ``Adjacency`` from one query the first
time a user's neighbourhood is asked for, then re-reads from the database every edge a write touched and
``upsert``s it here; a write that removes edges (forget, delete, compact, a failed transaction) drops the
whole ``Adjacency`` instead, to be read again when next needed. Rows are plain tuples (``EdgeRow``), not
models: a user may have a hundred thousand edges.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Hashable, Iterable
from datetime import datetime
from typing import Any, NamedTuple


class EdgeRow(NamedTuple):
    """An edge as the store reads it: display names, the raw database times, node ids and edge key."""

    subject: str
    relation: str
    object: str
    memory_id: str | None
    valid_from: datetime | None
    valid_to: datetime | None
    subject_id: str
    object_id: str
    key: Hashable  # the engine's own id of the edge


def _order(row: EdgeRow) -> tuple[bool, float]:
    """Current edges first, then newest first (the order of the store's neighbourhood query)."""
    return (row.valid_to is not None, -(row.valid_from.timestamp() if row.valid_from else 0.0))


class Adjacency:
    """Edges by key, and by each node they touch in neighbourhood order (sorted when next read)."""

    def __init__(self, rows: Iterable[EdgeRow] = ()) -> None:
        self._edges: dict[Hashable, EdgeRow] = {}
        self._rank: dict[Hashable, tuple[bool, float]] = {}  # each edge's place in neighbourhood order
        self._by_node: dict[str, dict[Hashable, None]] = {}
        self._ordered: dict[str, list[EdgeRow]] = {}
        self._made: dict[Hashable, tuple[EdgeRow, Any]] = {}  # what ``made`` built of a row, while it stands
        self.upsert(rows)

    def __len__(self) -> int:
        return len(self._edges)

    def upsert(self, rows: Iterable[EdgeRow]) -> None:
        """Add edges, or replace those already held under the same key (a closed or reopened edge)."""
        for row in rows:
            self._edges[row.key] = row
            self._rank[row.key] = _order(row)
            self._made.pop(row.key, None)
            for node in (row.subject_id, row.object_id):
                self._by_node.setdefault(node, {})[row.key] = None
                self._ordered.pop(node, None)

    def _around(self, node: str) -> list[EdgeRow]:
        ordered = self._ordered.get(node)
        if ordered is None:
            keys = self._by_node.get(node, {})
            ordered = self._ordered[node] = sorted((self._edges[k] for k in keys), key=self._key)
        return ordered

    def _key(self, row: EdgeRow) -> tuple[bool, float]:
        return self._rank[row.key]

    def around(self, nodes: Iterable[str], include_past: bool, limit: int) -> list[EdgeRow]:
        """Up to ``limit`` edges touching any of ``nodes`` (either direction), current only unless
        ``include_past``, in neighbourhood order. Each node's list is already in that order (current
        edges first), so the lists are merged and only their first ``limit`` edges are looked at."""
        lists = [self._around(node)[:limit] for node in dict.fromkeys(nodes)]
        found: dict[Hashable, EdgeRow] = {}
        for row in heapq.merge(*lists, key=self._key):
            if len(found) == limit or (row.valid_to is not None and not include_past):
                break
            found.setdefault(row.key, row)
        return list(found.values())

    def made(self, row: EdgeRow, make: Callable[[EdgeRow], Any]) -> Any:
        """``make(row)``, built once while the row stands (a hub's edges are read by search after search);
        what is built must be immutable, as every caller gets the same object."""
        kept = self._made.get(row.key)
        if kept is None or kept[0] is not row:
            kept = self._made[row.key] = (row, make(row))
        return kept[1]
