"""Retrieval settings (one typed object with named presets) and the search pipeline.

Pipeline: dense (MiniLM cosine) and BM25 candidates from the vector store in one engine call,
fused as ``keyword_norm + dense_weight * dense_norm`` (min-max normalised per query), then a
type prior, memories linked to graph neighbours of entities the query names, and optional recency.
Linear fusion beat the engine's weighted RRF and DBSF on the LoCoMo dev set (bench/RESULTS.md).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from memory.config import RetrievalConfig
from memory.embeddings import Embedder
from memory.stores.base import GraphStore, ScopeFilter, VectorHit, VectorStore
from memory.types import GraphEdge, MemoryHit, MemoryType, utcnow

_FIRST_PERSON = re.compile(r"\b(i|me|my|mine|myself|i'm|i've|i'd)\b", re.IGNORECASE)


@dataclass(frozen=True)
class RetrievalSettings:
    dense_weight: float = 0.6
    keyword_weight: float = 1.0
    candidates: int = 60  # per list, before fusion
    graph: bool = True
    graph_weight: float = 0.3  # added to the fused score (0..1+dense_weight scale) of graph-linked memories
    # Prior per memory type: a current fact outranks the old chat turn it was extracted from,
    # and a turn that only asked a question holds less than one that told something.
    episodic_weight: float = 0.85
    question_weight: float = 0.6
    # A hit found by the dense list alone, with a cosine below this, is noise: dropped.
    min_dense_similarity: float = 0.2
    recency_half_life_days: float | None = None
    recency_weight: float = 0.2


PRESETS: dict[str, RetrievalSettings] = {
    "hybrid": RetrievalSettings(),
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


def _normalised(hits: list[VectorHit], shrink: int = 10) -> dict[str, float]:
    """Scores mapped to 0..1 against the candidates' range. With few candidates the range says
    little, so the floor is pulled toward zero (n / (n + shrink) of the minimum): two close scores
    stay close instead of becoming 1 and 0."""
    if not hits:
        return {}
    scores = [h.score for h in hits]
    hi = max(scores)
    lo = min(0.0, min(scores)) if hi <= 0 else min(scores) * len(hits) / (len(hits) + shrink)
    span = hi - lo
    return {h.id: (h.score - lo) / span if span > 1e-9 else 1.0 for h in hits}


class Retriever:
    """Runs one search for one scope; never widens the scope it is given."""

    def __init__(self, vectors: VectorStore, embedder: Embedder, graph: GraphStore | None) -> None:
        self._vectors = vectors
        self._embedder = embedder
        self._graph = graph

    def search(
        self, query: str, scope: ScopeFilter, limit: int, settings: RetrievalSettings
    ) -> list[MemoryHit]:
        dense_vec = self._embedder.embed_query(query) if settings.dense_weight > 0 else None
        text = query if settings.keyword_weight > 0 else None
        depth = max(limit, settings.candidates)
        dense, keyword = self._vectors.search(dense_vec, text, scope, depth)
        d_norm, k_norm = _normalised(dense), _normalised(keyword)
        scores = {
            mid: settings.keyword_weight * k_norm.get(mid, 0.0) + settings.dense_weight * d_norm.get(mid, 0.0)
            for mid in {*d_norm, *k_norm}
        }
        # Read payloads only for the best candidates; episodic ones may drop under the type prior,
        # so read a few more than asked.
        top = sorted(scores, key=scores.__getitem__, reverse=True)[: limit * 2 + 5]
        cosine = {h.id: h.score for h in dense}
        fused = {
            item.id: MemoryHit(
                memory=item,
                score=scores[item.id],
                similarity=cosine.get(item.id),
                matched_by=[
                    name for name, norm in (("dense", d_norm), ("keyword", k_norm)) if item.id in norm
                ],
            )
            for item in self._vectors.get(top, scope)
        }
        for mid in [m for m, h in fused.items() if h.matched_by == ["dense"]]:
            if (fused[mid].similarity or 0.0) < settings.min_dense_similarity:
                del fused[mid]
        for hit in fused.values():
            if hit.memory.type == MemoryType.EPISODIC:
                hit.score *= settings.episodic_weight
                if hit.memory.metadata.get("question"):
                    hit.score *= settings.question_weight
        if settings.graph and self._graph is not None:
            self._add_graph_hits(query, scope, fused, settings, limit)
        if settings.recency_half_life_days:
            _apply_recency(fused.values(), settings, utcnow())
        ranked = sorted(fused.values(), key=lambda h: h.score, reverse=True)
        return ranked[:limit]

    def _add_graph_hits(
        self,
        query: str,
        scope: ScopeFilter,
        fused: dict[str, MemoryHit],
        settings: RetrievalSettings,
        limit: int,
    ) -> None:
        from memory.graph_query import SELF_NAME, asks_about_past, graph_hits_to_memory_ids

        names = self._graph.find_entities(scope.user_id, query)
        about_me = bool(_FIRST_PERSON.search(query))
        if about_me and SELF_NAME not in names:
            names.append(SELF_NAME)
        if not names:
            return
        edges = self._graph.neighbours(
            scope.user_id, names, hops=1, include_past=asks_about_past(query), limit=max(50, 10 * limit)
        )
        if about_me:
            # The user's own node touches every fact: keep the edges the question is about.
            words = {w[:4] for w in re.findall(r"[a-z]+", query.lower()) if len(w) > 2}
            named = {n.lower() for n in names if n != SELF_NAME}
            edges = [
                e
                for e in edges
                if e.subject.lower() in named
                or e.object.lower() in named
                or words & {w[:4] for w in e.relation.lower().split("_") if len(w) > 2}
            ]
        ids = graph_hits_to_memory_ids(edges, names=names)[: max(2 * limit, 10)]
        if not ids:
            return
        by_memory: dict[str, list[GraphEdge]] = {}
        for edge in edges:
            by_memory.setdefault(edge.memory_id or "", []).append(edge)
        missing = [i for i in ids if i not in fused]
        items = {i.id: i for i in self._vectors.get(missing, scope)} if missing else {}
        for rank, mid in enumerate(ids):
            if mid not in fused and mid not in items:
                continue  # the memory was deleted; its closed edge stays in the graph as the past
            if mid not in fused:
                fused[mid] = MemoryHit(memory=items[mid], score=0.0)
            hit = fused[mid]
            hit.score += settings.graph_weight / (1 + 0.1 * rank)
            hit.matched_by.append("graph")
            hit.graph = by_memory.get(mid, [])


def _apply_recency(hits: Iterable[MemoryHit], settings: RetrievalSettings, now: datetime) -> None:
    half_life = settings.recency_half_life_days or 1.0
    for hit in hits:
        age_days = max(0.0, (now - hit.memory.updated_at).total_seconds() / 86400)
        decay = math.pow(0.5, age_days / half_life)
        hit.score *= (1 - settings.recency_weight) + settings.recency_weight * decay
        hit.matched_by.append("recency")
