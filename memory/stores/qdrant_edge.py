"""Default vector store: Qdrant Edge (the Qdrant engine in-process, on disk), dense + BM25 hybrid."""

from __future__ import annotations

import copy
import shutil
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import qdrant_edge as qe

from memory.errors import IsolationError, StoreError, StoreLockedError
from memory.stores.base import ScopeFilter, VectorHit
from memory.stores.payload import (
    DENSE,
    FLOAT_FIELDS,
    KEYWORD_FIELDS,
    SPARSE,
    foreign_ids,
    from_payload,
    in_scope,
    index_text,
    make_bm25,
    owner_condition,
    paged_items,
    refresh_keywords,
    scope_filter,
    to_payload,
)
from memory.types import MemoryItem

_PAGE = 512
KEPT_PAYLOADS = 4_096  # payloads kept per shard between reads (see _Payloads)
OPTIMIZE_EVERY = 5_000  # at least this many new points before the index is rebuilt in a background thread


class _Gate:
    """Many engine calls at once, or one compaction alone (it swaps the shard underneath them)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._active = 0
        self._closed = False

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._closed)
            self._active += 1
        try:
            yield
        finally:
            with self._cond:
                self._active -= 1
                self._cond.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._closed)
            self._closed = True
            self._cond.wait_for(lambda: self._active == 0)
        try:
            yield
        finally:
            with self._cond:
                self._closed = False
                self._cond.notify_all()


class _Payloads:
    """Payloads already read from the engine, by point id (least recently used dropped first): a
    search reads ~25 memories, and reading them again from the engine cost more than the search.

    Every write to the shard drops what it may have changed, after the engine has it: the ids it
    upserts, or everything for a delete. A read keeps what it read only if no write happened since
    it began (``generation``), so a payload read before a write never outlives it. The payloads are
    never handed out: each read decodes fresh items from them, and the scope check runs on each.
    """

    def __init__(self, size: int = KEPT_PAYLOADS) -> None:
        self._payloads: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()
        self.generation = 0

    def lookup(self, ids: list[str]) -> tuple[dict[str, dict[str, Any]], int]:
        with self._lock:
            found = {}
            for i in ids:
                payload = self._payloads.get(i)
                if payload is not None:
                    self._payloads.move_to_end(i)
                    found[i] = payload
            return found, self.generation

    def keep(self, payloads: dict[str, dict[str, Any]], generation: int) -> None:
        """Keep what a read found, unless a write happened since the read began."""
        with self._lock:
            if generation == self.generation:
                self._insert(payloads)

    def drop(self, ids: list[str] | None = None) -> None:
        """A write has landed: forget ``ids`` (every payload when None) and turn away reads that
        began before it."""
        with self._lock:
            self._forget(ids)

    def written(self, payloads: dict[str, dict[str, Any]], began: int) -> None:
        """An upsert has landed: like ``drop``, then keep the payloads it wrote when no other write
        happened since it ``began`` (the memories a chat has just stored are the ones its next
        search reads)."""
        with self._lock:
            alone = began == self.generation
            self._forget(list(payloads))
            if alone:
                self._insert(payloads)

    def _forget(self, ids: list[str] | None) -> None:
        self.generation += 1
        if ids is None:
            self._payloads.clear()
        for i in ids or ():
            self._payloads.pop(i, None)

    def _insert(self, payloads: dict[str, dict[str, Any]]) -> None:
        for i, payload in payloads.items():
            self._payloads[i] = payload
            self._payloads.move_to_end(i)
        while len(self._payloads) > self._size:
            self._payloads.popitem(last=False)


def _unshared(payload: dict[str, Any]) -> dict[str, Any]:
    """A kept payload, safe to decode into an item a caller may change: decoding copies the item's
    own lists and dicts, but not the lists and dicts inside its metadata."""
    metadata = payload.get("metadata")
    if isinstance(metadata, dict) and any(isinstance(v, (dict, list)) for v in metadata.values()):
        return {**payload, "metadata": copy.deepcopy(metadata)}
    return payload


class _SharedShard:
    """One EdgeShard per directory per process, shared by every store object that opens it."""

    registry: dict[str, _SharedShard] = {}
    lock = threading.Lock()

    def __init__(self, shard: qe.EdgeShard) -> None:
        self.shard = shard
        self.users = 0
        self.gate = _Gate()
        self.payloads = _Payloads()

    @classmethod
    def acquire(cls, path: Path, dims: int) -> _SharedShard:
        key = str(path.resolve())
        with cls.lock:
            if key not in cls.registry:
                cls.registry[key] = cls(_open_shard(path, dims))
            entry = cls.registry[key]
            entry.users += 1
            return entry

    @classmethod
    def release(cls, path: Path) -> None:
        key = str(path.resolve())
        with cls.lock:
            entry = cls.registry.get(key)
            if entry is None:
                return
            entry.users -= 1
            if entry.users <= 0:
                del cls.registry[key]
                entry.shard.flush()
                entry.shard.close()


def _edge_config(dims: int) -> qe.EdgeConfig:
    return qe.EdgeConfig(
        vectors={DENSE: qe.EdgeVectorParams(size=dims, distance=qe.Distance.Cosine)},
        sparse_vectors={SPARSE: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf)},
    )


def _open_shard(path: Path, dims: int) -> qe.EdgeShard:
    path.mkdir(parents=True, exist_ok=True)
    has_data = any(path.iterdir())
    try:
        shard = (
            qe.EdgeShard.load(str(path)) if has_data else qe.EdgeShard.create(str(path), _edge_config(dims))
        )
        indexed = shard.info().payload_schema
        # Every indexed field, also those added since the shard was made (creating one is idempotent).
        for fields, kind in (
            (KEYWORD_FIELDS, qe.PayloadSchemaType.Keyword),
            (FLOAT_FIELDS, qe.PayloadSchemaType.Float),
        ):
            for field in fields:
                if field not in indexed:
                    shard.update(qe.UpdateOperation.create_field_index(field, kind))
    except Exception as exc:
        if "WouldBlock" in str(exc) or "lock" in str(exc).lower():
            raise StoreLockedError(
                f"The memory data directory {path.parent} is in use by another process. Only one app "
                "process can open an embedded data directory; stop the other one, or point both at a "
                "Qdrant server (MEMORY_VECTOR_STORE__URL)."
            ) from exc
        raise StoreError(f"Could not open the vector store at {path}: {exc}") from exc
    return shard


class QdrantEdgeStore:
    """VectorStore over one EdgeShard; every read and write is filtered by the caller's scope."""

    def __init__(self, path: Path, dims: int, hnsw_ef: int = 128) -> None:
        self._path = Path(path)
        self._dims = dims
        self._ef = hnsw_ef
        self._entry = _SharedShard.acquire(self._path, dims)
        self._bm25 = make_bm25()
        self._closed = False
        self._pending = 0  # points written since the last optimisation
        self._optimize_after = OPTIMIZE_EVERY
        self._optimizing = threading.Lock()

    # -- helpers ---------------------------------------------------------------------------
    def _filter(self, scope: ScopeFilter, extra: list[Any] | None = None) -> qe.Filter:
        return scope_filter(scope, qe, qe.RangeFloat, extra)

    def _call(self, what: str, method: str, *args: Any) -> Any:
        """One engine call, by method name: resolved on the shard in place once the gate lets it in."""
        if self._closed:
            raise StoreError("The vector store is closed.")
        try:
            with self._entry.gate.shared():
                return getattr(self._entry.shard, method)(*args)
        except Exception as exc:  # the engine raises plain Exceptions; keep its words
            raise StoreError(f"Vector store {what} failed: {exc}") from exc

    def _delete(self, what: str, flt: qe.Filter) -> None:
        """Delete the points a filter selects; every kept payload is dropped after."""
        try:
            self._call(what, "update", qe.UpdateOperation.delete_points_by_filter(flt))
        finally:
            self._entry.payloads.drop()

    # -- VectorStore -------------------------------------------------------------------------
    def upsert(self, items: list[MemoryItem], dense: list[list[float]]) -> None:
        for user_id in {i.user_id for i in items}:
            ids = [i.id for i in items if i.user_id == user_id]
            taken = foreign_ids(self._call("read", "retrieve", ids, True, False), user_id)
            if taken:
                raise IsolationError(f"Memory id {taken[0]} belongs to someone else; nothing was written.")
        payloads = {item.id: to_payload(item) for item in items}
        points = [
            qe.Point(
                item.id, {DENSE: vec, SPARSE: self._bm25.embed_document(index_text(item))}, payloads[item.id]
            )
            for item, vec in zip(items, dense, strict=True)
        ]
        kept = self._entry.payloads
        began = kept.generation
        try:
            for start in range(0, len(points), _PAGE):
                self._call(
                    "upsert", "update", qe.UpdateOperation.upsert_points(points[start : start + _PAGE])
                )
        except BaseException:
            kept.drop(list(payloads))  # some pages may have landed
            raise
        kept.written(payloads, began)
        self._pending += len(points)
        if self._pending >= self._optimize_after and not self._optimizing.locked():
            threading.Thread(target=self.optimize, name="qdrant-edge-optimize", daemon=True).start()

    def optimize(self) -> bool:
        """Build the HNSW and payload indexes of new segments. The embedded engine has no background
        optimiser: without this, searches scan every vector (7 ms at 100k points instead of 0.2 ms)."""
        with self._optimizing:
            self._pending = 0
            if self._closed:
                return False
            done = bool(self._call("optimize", "optimize"))
            # Next rebuild once the store has grown by half again: a bulk load costs O(n log n) in indexing.
            self._optimize_after = max(OPTIMIZE_EVERY, self._call("info", "info").points_count // 2)
            return done

    def get(self, ids: list[str], scope: ScopeFilter) -> list[MemoryItem]:
        if not ids:
            return []
        payloads, generation = self._entry.payloads.lookup(ids)
        order = list(dict.fromkeys(ids))
        missing = [i for i in order if i not in payloads]
        if missing:
            read = {str(r.id): r.payload or {} for r in self._call("read", "retrieve", missing, True, False)}
            self._entry.payloads.keep(read, generation)
            payloads.update(read)
            order += [i for i in read if i not in missing]  # the engine's spelling of an id asked otherwise
        items = [from_payload(i, _unshared(payloads[i])) for i in order if i in payloads]
        return [i for i in items if in_scope(i, scope)]

    def scroll(self, scope: ScopeFilter, limit: int | None = None) -> Iterator[MemoryItem]:
        flt = self._filter(scope)

        def fetch(offset: Any, n: int) -> tuple[list[Any], Any]:
            req = qe.ScrollRequest(offset=offset, limit=n, filter=flt, with_payload=True, with_vector=False)
            return self._call("scroll", "scroll", req)

        return paged_items(fetch, limit, _PAGE)

    def newest(self, scope: ScopeFilter, n: int) -> list[MemoryItem]:
        """The n most recently created memories of the scope, newest first (read through the index)."""
        order = qe.OrderBy(key="created_ts", direction=qe.Direction.Desc)
        req = qe.ScrollRequest(limit=n, filter=self._filter(scope), order_by=order, with_payload=True)
        records, _ = self._call("scroll", "scroll", req)
        return [from_payload(r.id, r.payload or {}) for r in records]

    def count(self, scope: ScopeFilter) -> int:
        return self._call("count", "count", qe.CountRequest(filter=self._filter(scope), exact=True))

    def search(
        self, dense: list[float] | None, text: str | None, scope: ScopeFilter, limit: int
    ) -> tuple[list[VectorHit], list[VectorHit]]:
        """Dense and BM25 candidate ids for the scope in one engine call (a query batch), without
        payloads: the caller fuses them and reads only the winners with ``get`` (scope-checked)."""
        flt = self._filter(scope)
        requests, kinds = [], []
        if dense is not None:
            requests.append(
                qe.QueryRequest(
                    limit=limit,
                    query=qe.Query.Nearest(dense, using=DENSE),
                    filter=flt,
                    params=qe.SearchParams(hnsw_ef=self._ef),
                    with_payload=False,
                )
            )
            kinds.append("dense")
        sparse = self._bm25.embed_query(text) if text else None
        if sparse is not None and sparse.indices:
            # IDF over this owner's memories only (and the agent's shared ones when included): other users' words never shape the ranking.
            idf = qe.IdfParams(corpus=qe.Filter(must=[owner_condition(scope, qe)]))
            requests.append(
                qe.QueryRequest(
                    limit=limit,
                    query=qe.Query.Nearest(sparse, using=SPARSE),
                    filter=flt,
                    params=qe.SearchParams(idf=idf),
                    with_payload=False,
                )
            )
            kinds.append("keyword")
        if not requests:
            return [], []
        results = self._call("search", "query_batch", qe.QueryBatchRequest(requests))
        lists: dict[str, list[VectorHit]] = {"dense": [], "keyword": []}
        for kind, points in zip(kinds, results, strict=True):
            lists[kind] = [VectorHit(id=str(p.id), score=float(p.score)) for p in points]
        return lists["dense"], lists["keyword"]

    def dense_vectors(self, ids: list[str], scope: ScopeFilter) -> list[list[float]]:
        if not ids:
            return []
        flt = self._filter(scope, [qe.HasIdCondition(set(ids))])
        req = qe.ScrollRequest(limit=len(ids), filter=flt, with_payload=False, with_vector=True)
        records, _ = self._call("read", "scroll", req)
        return [r.vector[DENSE] for r in records if r.vector and DENSE in r.vector]

    def refresh_keywords(self, scope: ScopeFilter) -> int:
        flt = self._filter(scope.model_copy(update={"stale_index": True, "include_past": True}))

        def fetch(n: int) -> list[Any]:
            req = qe.ScrollRequest(limit=n, filter=flt, with_payload=True, with_vector=True)
            return self._call("read", "scroll", req)[0]

        return refresh_keywords(fetch, self.upsert)

    def existing_ids(self, ids: list[str]) -> set[str]:
        if not ids:
            return set()
        return {str(r.id) for r in self._call("read", "retrieve", ids, False, False)}

    def delete(self, ids: list[str], scope: ScopeFilter) -> int:
        if not ids:
            return 0
        flt = self._filter(scope.model_copy(update={"include_past": True}), [qe.HasIdCondition(set(ids))])
        n = self._call("count", "count", qe.CountRequest(filter=flt, exact=True))
        if n:
            self._delete("delete", flt)
        return n

    def delete_scope(self, scope: ScopeFilter) -> int:
        scope = scope.model_copy(update={"include_past": True})
        flt = self._filter(scope)
        n = self.count(scope)
        if n:
            self._delete("delete", flt)
        return n

    def reset(self) -> None:
        """Remove every point of every user (the Memory.reset admin call)."""
        flt = qe.Filter(must_not=[qe.IsEmptyCondition(key="user_id")])
        self._delete("reset", flt)

    def flush(self) -> None:
        self._call("flush", "flush")

    def compact(self) -> None:
        """Rewrite the shard from its live points only, in a new directory that then replaces the old:
        deleted points leave no payload behind in old segments or in the write-ahead log. Every other
        call of every thread waits meanwhile."""
        with self._optimizing, self._entry.gate.exclusive():
            old = self._entry.shard
            fresh_dir = self._path.with_name(self._path.name + ".compacting")
            shutil.rmtree(fresh_dir, ignore_errors=True)
            fresh = _open_shard(fresh_dir, self._dims)
            offset = None
            while True:
                req = qe.ScrollRequest(offset=offset, limit=_PAGE, with_payload=True, with_vector=True)
                records, offset = old.scroll(req)
                if records:
                    points = [qe.Point(r.id, r.vector, r.payload or {}) for r in records]
                    fresh.update(qe.UpdateOperation.upsert_points(points))
                if offset is None or not records:
                    break
            fresh.optimize()
            fresh.flush()
            fresh.close()
            old.close()
            stale = self._path.with_name(self._path.name + ".stale")
            shutil.rmtree(stale, ignore_errors=True)
            self._path.rename(stale)
            fresh_dir.rename(self._path)
            shutil.rmtree(stale, ignore_errors=True)
            self._entry.shard = qe.EdgeShard.load(str(self._path))
            self._entry.payloads.drop()

    def close(self) -> None:
        if not self._closed:
            with self._optimizing:  # never close the shard under a running optimisation
                self._closed = True
            _SharedShard.release(self._path)


__all__ = ["QdrantEdgeStore"]
