"""Vector store over a Qdrant server or cluster (``vector_store.url``), same payload schema as the
embedded store. Without a URL it runs qdrant-client's local mode (used by the tests)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import qdrant_edge as qe
from qdrant_client import QdrantClient, models

from memory.config import VectorStoreConfig
from memory.errors import IsolationError, StoreError
from memory.stores.base import ScopeFilter, VectorHit
from memory.stores.keyword_stats import KeywordStats
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
    paged_items,
    refresh_keywords,
    scope_conditions,
    scope_filter,
    to_payload,
)
from memory.types import MemoryItem

_PAGE = 512


class QdrantServerStore:
    """VectorStore over qdrant-client; every read and write is filtered by the caller's scope."""

    def __init__(self, config: VectorStoreConfig, dims: int, local_path: Path | None = None) -> None:
        self._collection = config.collection
        self._ef = config.hnsw_ef
        # The same BM25 tokenizer as the embedded store, so both score keywords alike.
        self._bm25 = make_bm25()
        try:
            if config.url:
                self._client = QdrantClient(url=config.url, api_key=config.api_key, timeout=30)
            else:
                self._client = QdrantClient(path=str(local_path)) if local_path else QdrantClient(":memory:")
            if not self._client.collection_exists(self._collection):
                self._create(dims)
            info = self._client.get_collection(self._collection)
            if config.url:  # local mode has no payload indexes
                self._index_fields(set(info.payload_schema or {}))
            sparse_params = info.config.params.sparse_vectors or {}
            modifier = getattr(sparse_params.get(SPARSE), "modifier", None)
        except StoreError:
            raise
        except Exception as exc:
            where = config.url or local_path or "memory"
            raise StoreError(f"Could not reach the Qdrant server at {where}: {exc}") from exc
        # Keyword IDF per user (the collection's own IDF would count every user's memories); a
        # collection made by an older version keeps the engine's IDF.
        self._keywords = KeywordStats(self._user_terms) if modifier != models.Modifier.IDF else None

    def _page(self, flt: models.Filter, limit: int, offset: Any = None, **what: Any) -> tuple[list[Any], Any]:
        """One page of a filtered scroll: its records and the offset of the next page (None at the end)."""
        return self._call(
            "scroll",
            self._client.scroll,
            self._collection,
            scroll_filter=flt,
            limit=limit,
            offset=offset,
            **what,
        )

    def _user_terms(self, user_id: str) -> Iterator[list[int]]:
        flt = models.Filter(must=scope_conditions(ScopeFilter(user_id=user_id), models, models.Range))
        offset = None
        while True:
            records, offset = self._page(flt, _PAGE, offset, with_payload=False, with_vectors=[SPARSE])
            for r in records:
                vector = (r.vector or {}).get(SPARSE)
                yield list(vector.indices) if vector is not None else []
            if offset is None or not records:
                return

    def _create(self, dims: int) -> None:
        self._client.create_collection(
            self._collection,
            vectors_config={DENSE: models.VectorParams(size=dims, distance=models.Distance.COSINE)},
            sparse_vectors_config={SPARSE: models.SparseVectorParams()},  # IDF per user: KeywordStats
        )

    def _index_fields(self, indexed: set[str]) -> None:
        """Payload indexes on every field a scope filters on, also those added since the collection
        was made; ``user_id`` is a tenant index, so each user's points are stored together."""
        for field in KEYWORD_FIELDS:
            if field not in indexed:
                schema: Any = models.KeywordIndexParams(
                    type=models.KeywordIndexType.KEYWORD, is_tenant=field == "user_id"
                )
                self._client.create_payload_index(self._collection, field, field_schema=schema)
        for field in FLOAT_FIELDS:
            if field not in indexed:
                self._client.create_payload_index(
                    self._collection, field, field_schema=models.PayloadSchemaType.FLOAT
                )

    def _filter(self, scope: ScopeFilter, extra: list[Any] | None = None) -> models.Filter:
        return scope_filter(scope, models, models.Range, extra)

    def _call(self, what: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            raise StoreError(f"Qdrant {what} failed: {exc}") from exc

    def _sparse(self, vec: qe.SparseVector) -> models.SparseVector:
        return models.SparseVector(indices=list(vec.indices), values=list(vec.values))

    def upsert(self, items: list[MemoryItem], dense: list[list[float]]) -> None:
        for user_id in {i.user_id for i in items}:
            ids = [i.id for i in items if i.user_id == user_id]
            records = self._call(
                "read",
                self._client.retrieve,
                self._collection,
                ids=ids,
                with_payload=True,
                with_vectors=[SPARSE],
            )
            taken = foreign_ids(records, user_id)
            if taken:
                raise IsolationError(f"Memory id {taken[0]} belongs to someone else; nothing was written.")
            if self._keywords is not None:  # a replaced point's old words no longer count
                replaced = [
                    list(r.vector[SPARSE].indices) for r in records if r.vector and SPARSE in r.vector
                ]
                self._keywords.change(user_id, removed=replaced)
        points = [
            models.PointStruct(
                id=item.id,
                vector={DENSE: vec, SPARSE: self._sparse(self._bm25.embed_document(index_text(item)))},
                payload=to_payload(item),
            )
            for item, vec in zip(items, dense, strict=True)
        ]
        for start in range(0, len(points), _PAGE):
            self._call("upsert", self._client.upsert, self._collection, points=points[start : start + _PAGE])
        if self._keywords is not None:
            for item, point in zip(items, points, strict=True):
                self._keywords.change(item.user_id, added=[list(point.vector[SPARSE].indices)])

    def get(self, ids: list[str], scope: ScopeFilter) -> list[MemoryItem]:
        if not ids:
            return []
        records = self._read_ids(ids, scope, with_payload=True)
        by_id = {str(r.id): from_payload(r.id, r.payload or {}) for r in records}
        return [by_id[i] for i in ids if i in by_id and in_scope(by_id[i], scope)]

    def _read_ids(self, ids: list[str], scope: ScopeFilter, **what: Any) -> list[Any]:
        """The points of ``ids`` within the scope (the engine filters by both), with ``what`` asked."""
        flt = self._filter(scope, [models.HasIdCondition(has_id=ids)])
        return self._page(flt, len(ids), **what)[0]

    def scroll(self, scope: ScopeFilter, limit: int | None = None) -> Iterator[MemoryItem]:
        flt = self._filter(scope)

        def fetch(offset: Any, n: int) -> tuple[list[Any], Any]:
            return self._page(flt, n, offset, with_payload=True)

        return paged_items(fetch, limit, _PAGE)

    def newest(self, scope: ScopeFilter, n: int) -> list[MemoryItem]:
        """The n most recently created memories of the scope, newest first."""
        order = models.OrderBy(key="created_ts", direction=models.Direction.DESC)
        records, _ = self._page(self._filter(scope), n, order_by=order, with_payload=True)
        return [from_payload(r.id, r.payload or {}) for r in records]

    def count(self, scope: ScopeFilter) -> int:
        return self._call(
            "count", self._client.count, self._collection, count_filter=self._filter(scope), exact=True
        ).count

    def search(
        self, dense: list[float] | None, text: str | None, scope: ScopeFilter, limit: int
    ) -> tuple[list[VectorHit], list[VectorHit]]:
        flt = self._filter(scope)
        requests, kinds = [], []
        if dense is not None:
            requests.append(
                models.QueryRequest(
                    query=dense,
                    using=DENSE,
                    filter=flt,
                    limit=limit,
                    params=models.SearchParams(hnsw_ef=self._ef),
                )
            )
            kinds.append("dense")
        sparse = self._bm25.embed_query(text) if text else None
        if sparse is not None and sparse.indices:
            query = self._sparse(sparse)
            if self._keywords is not None:
                query.values = self._keywords.weights(scope.user_id, list(query.indices))
            requests.append(models.QueryRequest(query=query, using=SPARSE, filter=flt, limit=limit))
            kinds.append("keyword")
        lists: dict[str, list[VectorHit]] = {"dense": [], "keyword": []}
        if requests:
            results = self._call(
                "search", self._client.query_batch_points, self._collection, requests=requests
            )
            for kind, res in zip(kinds, results, strict=True):
                lists[kind] = [VectorHit(id=str(p.id), score=float(p.score)) for p in res.points]
        return lists["dense"], lists["keyword"]

    def dense_vectors(self, ids: list[str], scope: ScopeFilter) -> list[list[float]]:
        if not ids:
            return []
        records = self._read_ids(ids, scope, with_payload=False, with_vectors=[DENSE])
        return [r.vector[DENSE] for r in records if isinstance(r.vector, dict) and DENSE in r.vector]

    def refresh_keywords(self, scope: ScopeFilter) -> int:
        flt = self._filter(scope.model_copy(update={"stale_index": True, "include_past": True}))

        def fetch(n: int) -> list[Any]:
            return self._page(flt, n, with_payload=True, with_vectors=[DENSE])[0]

        return refresh_keywords(fetch, self.upsert)

    def existing_ids(self, ids: list[str]) -> set[str]:
        if not ids:
            return set()
        return {
            str(r.id)
            for r in self._call("read", self._client.retrieve, self._collection, ids=ids, with_payload=False)
        }

    def delete(self, ids: list[str], scope: ScopeFilter) -> int:
        if not ids:
            return 0
        if self._keywords is not None:
            self._keywords.forget(scope.user_id)  # read again at the next keyword search
        flt = self._filter(
            scope.model_copy(update={"include_past": True}), [models.HasIdCondition(has_id=ids)]
        )
        n = self._call("count", self._client.count, self._collection, count_filter=flt, exact=True).count
        if n:
            self._call(
                "delete",
                self._client.delete,
                self._collection,
                points_selector=models.FilterSelector(filter=flt),
            )
        return n

    def delete_scope(self, scope: ScopeFilter) -> int:
        scope = scope.model_copy(update={"include_past": True})
        if self._keywords is not None:
            self._keywords.forget(scope.user_id)
        n = self.count(scope)
        if n:
            self._call(
                "delete",
                self._client.delete,
                self._collection,
                points_selector=models.FilterSelector(filter=self._filter(scope)),
            )
        return n

    def reset(self) -> None:
        if self._keywords is not None:
            self._keywords.forget()
        flt = models.Filter(must_not=[models.IsEmptyCondition(is_empty=models.PayloadField(key="user_id"))])
        self._call(
            "reset", self._client.delete, self._collection, points_selector=models.FilterSelector(filter=flt)
        )

    def close(self) -> None:
        self._client.close()
