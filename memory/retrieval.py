"""Retrieval settings (one typed object with named presets) and the search pipeline.

Pipeline: hybrid dense + BM25 fused by weighted RRF inside Qdrant, then (optionally) memories linked
to the graph neighbours of entities the query names, then an optional recency decay.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime

from memory.config import RetrievalConfig
from memory.embeddings import Embedder
from memory.stores.base import GraphStore, ScopeFilter, VectorStore
from memory.types import MemoryHit, MemoryType, utcnow

RRF_K = 60


@dataclass(frozen=True)
class RetrievalSettings:
    dense_weight: float = 1.0
    keyword_weight: float = 1.0
    graph: bool = True
    graph_weight: float = 0.5
    recency_half_life_days: float | None = None
    recency_weight: float = 0.2
    candidates: int = 0  # 0 = limit
    # Prior per memory type: a current fact outranks the old chat turn it was extracted from.
    episodic_weight: float = 0.85


PRESETS: dict[str, RetrievalSettings] = {
    "hybrid": RetrievalSettings(dense_weight=0.5, keyword_weight=1.0),
    "dense": RetrievalSettings(dense_weight=1.0, keyword_weight=0.0, graph=False),
    "keyword": RetrievalSettings(dense_weight=0.0, keyword_weight=1.0, graph=False),
}


def settings_from_config(config: RetrievalConfig) -> RetrievalSettings:
    base = PRESETS[config.preset]
    changes: dict[str, object] = {"graph": base.graph and config.graph}
    if config.dense_weight is not None:
        changes["dense_weight"] = config.dense_weight
    if config.keyword_weight is not None:
        changes["keyword_weight"] = config.keyword_weight
    if config.recency_half_life_days is not None:
        changes["recency_half_life_days"] = config.recency_half_life_days
    return replace(base, **changes)


class Retriever:
    """Runs one search for one scope; never widens the scope it is given."""

    def __init__(self, vectors: VectorStore, embedder: Embedder, graph: GraphStore | None) -> None:
        self._vectors = vectors
        self._embedder = embedder
        self._graph = graph

    def search(
        self, query: str, scope: ScopeFilter, limit: int, settings: RetrievalSettings
    ) -> list[MemoryHit]:
        dense = self._embedder.embed_query(query) if settings.dense_weight > 0 else None
        depth = max(limit, settings.candidates)
        hits = self._vectors.search(
            dense,
            query,
            scope,
            depth,
            dense_weight=settings.dense_weight,
            keyword_weight=settings.keyword_weight,
        )
        # Keep the engine's order; scores are re-expressed as RRF ranks so graph hits fuse on one scale.
        fused = {
            hit.item.id: MemoryHit(
                memory=hit.item,
                score=1.0 / (RRF_K + rank + 1),
                similarity=hit.similarity,
                matched_by=["search"],
            )
            for rank, hit in enumerate(hits)
        }
        if settings.episodic_weight != 1.0:
            for hit in fused.values():
                if hit.memory.type == MemoryType.EPISODIC:
                    hit.score *= settings.episodic_weight
        if settings.graph and self._graph is not None:
            self._add_graph_hits(query, scope, fused, settings)
        if settings.recency_half_life_days:
            _apply_recency(fused.values(), settings, utcnow())
        ranked = sorted(fused.values(), key=lambda h: h.score, reverse=True)
        return ranked[:limit]

    def _add_graph_hits(
        self, query: str, scope: ScopeFilter, fused: dict[str, MemoryHit], settings: RetrievalSettings
    ) -> None:
        from memory.graph_query import asks_about_past, graph_hits_to_memory_ids

        names = self._graph.find_entities(scope.user_id, query)
        if not names:
            return
        edges = self._graph.neighbours(scope.user_id, names, hops=1, include_past=asks_about_past(query))
        ids = graph_hits_to_memory_ids(edges)
        if not ids:
            return
        items = {i.id: i for i in self._vectors.get(ids, scope)}
        for rank, mid in enumerate(i for i in ids if i in items):
            bonus = settings.graph_weight / (RRF_K + rank + 1)
            if mid in fused:
                fused[mid].score += bonus
                fused[mid].matched_by.append("graph")
            else:
                fused[mid] = MemoryHit(memory=items[mid], score=bonus, matched_by=["graph"])


def _apply_recency(hits: object, settings: RetrievalSettings, now: datetime) -> None:
    half_life = settings.recency_half_life_days or 0
    for hit in hits:  # type: ignore[attr-defined]
        age_days = max(0.0, (now - hit.memory.updated_at).total_seconds() / 86400)
        decay = math.pow(0.5, age_days / half_life)
        hit.score *= (1 - settings.recency_weight) + settings.recency_weight * decay
        hit.matched_by.append("recency")
