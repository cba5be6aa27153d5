"""The search pipeline; its knobs are ``memory.config.RetrievalSettings`` (named presets + overrides).

Pipeline: dense (MiniLM cosine) and BM25 candidates from the vector store in one engine call (BM25
over each memory's index text: the memory, the turns before it, its date), fused as
``keyword_norm + dense_weight * dense_norm`` (min-max normalised per query; optionally the dense list
is asked again with the query vector moved toward the best fused hits, pseudo-relevance feedback),
then a type prior, a boost for memories in which someone the query names speaks of themselves,
memories linked to graph neighbours of the other entities the query names, and optional recency.
Linear fusion beat the engine's weighted RRF and DBSF on the LoCoMo dev set; the weights were chosen
2-fold on it (bench/RESULTS.md).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import datetime

import numpy as np

from memory.checks import speaks_to_other
from memory.config import RETRIEVAL_PRESETS, RetrievalSettings
from memory.embeddings import Embedder
from memory.retrieval_graph import add_graph_hits
from memory.stores.base import GraphStore, ScopeFilter, VectorHit, VectorStore
from memory.types import MemoryHit, MemoryType, utcnow

PRESETS: dict[str, RetrievalSettings] = {name: RetrievalSettings(preset=name) for name in RETRIEVAL_PRESETS}


def settings_from_config(config: RetrievalSettings) -> RetrievalSettings:
    """The configured settings (the config section is the settings object)."""
    return config


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


def _fused(
    d_norm: dict[str, float], k_norm: dict[str, float], settings: RetrievalSettings
) -> dict[str, float]:
    """The weighted sum of the two normalised lists, per candidate."""
    return {
        mid: settings.keyword_weight * k_norm.get(mid, 0.0) + settings.dense_weight * d_norm.get(mid, 0.0)
        for mid in {*d_norm, *k_norm}
    }


def _expanded(query: list[float], feedback: list[list[float]], weight: float) -> list[float] | None:
    """Rocchio: the query vector plus ``weight`` times the mean of the feedback vectors, unit length
    (None when there is no feedback)."""
    if not feedback or weight <= 0:
        return None
    moved = np.asarray(query, dtype=np.float32) + weight * np.asarray(feedback, dtype=np.float32).mean(axis=0)
    norm = float(np.linalg.norm(moved))
    return (moved / norm).tolist() if norm > 1e-9 else None


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
        scores = _fused(d_norm, k_norm, settings)
        # Similarity (shown beside an answer, and the floor for a hit found by meaning alone) is to the
        # query as asked: the feedback pass only changes the ranking, and a hit it alone brings in
        # must also be among the first dense candidates or match a keyword.
        cosine = {h.id: h.score for h in dense}
        if dense_vec is not None and settings.feedback_hits and scores:
            best = sorted(scores, key=scores.__getitem__, reverse=True)[: settings.feedback_hits]
            expanded = _expanded(
                dense_vec, self._vectors.dense_vectors(best, scope), settings.feedback_weight
            )
            if expanded is not None:
                dense, _ = self._vectors.search(expanded, None, scope, depth)
                d_norm = _normalised(dense)  # the keyword list stands as it was
                scores = _fused(d_norm, k_norm, settings)
        # Read payloads only for the best candidates; episodic ones may drop under the type prior,
        # so read a few more than asked.
        top = sorted(scores, key=scores.__getitem__, reverse=True)[: limit * 2 + 5]
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
        if settings.speaker_weight != 1.0:
            words = set(re.findall(r"\w+", query.casefold()))
            for hit in fused.values():
                role = (hit.memory.source.role or "").casefold()
                if role and role in words:
                    if not (settings.speaker_must_speak_of_self and speaks_to_other(hit.memory.text)):
                        hit.score *= settings.speaker_weight
        if settings.graph and self._graph is not None:
            add_graph_hits(self._graph, self._vectors, query, scope, fused, settings, limit)
        if settings.recency_half_life_days:
            _apply_recency(fused.values(), settings, utcnow())
        ranked = sorted(fused.values(), key=lambda h: h.score, reverse=True)
        return ranked[:limit]


def _apply_recency(hits: Iterable[MemoryHit], settings: RetrievalSettings, now: datetime) -> None:
    half_life = settings.recency_half_life_days or 1.0
    for hit in hits:
        age_days = max(0.0, (now - hit.memory.updated_at).total_seconds() / 86400)
        decay = math.pow(0.5, age_days / half_life)
        hit.score *= (1 - settings.recency_weight) + settings.recency_weight * decay
        hit.matched_by.append("recency")
