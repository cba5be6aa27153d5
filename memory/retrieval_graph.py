"""Graph-aware retrieval: which memories the graph links to the entities a query names, and the
question forms ("where did I live before?") that ask for past relations too."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence

from memory.config import RetrievalSettings
from memory.stores.base import GraphEdge, GraphStore, ScopeFilter, VectorStore
from memory.stores.entity_names import SELF_NAME, normalise_name
from memory.types import MemoryHit

_FIRST_PERSON = re.compile(r"\b(i|me|my|mine|myself|i'm|i've|i'd)\b", re.IGNORECASE)

_PAST_PATTERNS = [
    re.compile(p)
    for p in (
        r"\bbefore\b",
        r"\bused to\b",
        r"\bpreviously\b",
        r"\bprevious\b",
        r"\bformerly\b",
        r"\bformer\b",
        r"\bin the past\b",
        r"\bback then\b",
        r"\bat the time\b",
        r"\bearlier\b",
        r"\bany ?more\b",
        r"\bno longer\b",
        r"\bnot any longer\b",
        r"\bhave (?:i|we) ever\b",
        r"\bdid (?:i|we) (?:live|work|stay|study|date|own|have|use|go)\b",
        r"\b(?:was|were) (?:i|we) (?:living|working|staying|studying)\b",
        r"\bwhere have (?:i|we) (?:lived|worked)\b",
        r"\bold (?:job|address|home|house|flat|apartment|city|town|school|company|employer|phone|number|email|car|boss)\b",
        r"\bmoved? from\b",
        r"\bex[- ](?:wife|husband|partner|girlfriend|boyfriend|employer|colleague)\b",
        r"\boriginally\b",
        r"\bat first\b",
        r"\blast time\b",
        r"\bold\b",
        r"\bchange[ds]?\b",
        r"\bhistory\b",
    )
]


def asks_about_past(query: str) -> bool:
    """Whether a question is about how things were ("where did I live before?"), not how they are."""
    folded = " ".join(unicodedata.normalize("NFKC", query).casefold().replace("\u2019", "'").split())
    return any(p.search(folded) for p in _PAST_PATTERNS)


def graph_hits_to_memory_ids(edges: Sequence[GraphEdge], names: Iterable[str] | None = None) -> list[str]:
    """Memory ids behind graph edges, best first: edges touching a named entity before the others,
    current before past, otherwise in the order given (the store returns nearer hops first)."""
    named = {normalise_name(n) for n in names or ()}

    def key(item: tuple[int, GraphEdge]) -> tuple[bool, bool, int]:
        index, edge = item
        touches = normalise_name(edge.subject) in named or normalise_name(edge.object) in named
        return (not touches if named else False, not edge.current, index)

    ids: list[str] = []
    seen: set[str] = set()
    for _, edge in sorted(enumerate(edges), key=key):
        if edge.memory_id and edge.memory_id not in seen:
            seen.add(edge.memory_id)
            ids.append(edge.memory_id)
    return ids


def graph_lookup(
    graph: GraphStore,
    query: str,
    user_id: str,
    speakers: Iterable[str],
    settings: RetrievalSettings,
    limit: int,
) -> tuple[list[str], list[GraphEdge]]:
    """The entities a query names and the edges around them that it is about: the graph part of a
    search (``speakers``: the people whose turns are among the hits, skipped as seeds)."""
    names = graph.find_entities(user_id, query)
    if settings.graph_skips_speakers:
        # The people talking touch every memory: as graph seeds they bring noise, at the price
        # of a hub lookup. The graph is asked only about the other entities a query names.
        skipped = {normalise_name(s) for s in speakers}
        names = [n for n in names if normalise_name(n) not in skipped]
    about_me = bool(_FIRST_PERSON.search(query))
    if about_me and SELF_NAME not in names:
        names.append(SELF_NAME)
    if not names:
        return names, []
    edges = graph.neighbours(
        user_id, names, hops=1, include_past=asks_about_past(query), limit=max(50, 10 * limit)
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
    return names, edges


def add_graph_hits(
    graph: GraphStore,
    vectors: VectorStore,
    query: str,
    scope: ScopeFilter,
    fused: dict[str, MemoryHit],
    settings: RetrievalSettings,
    limit: int,
) -> None:
    """Add (or boost) the memories behind graph edges around the entities the query names."""
    speakers = [h.memory.source.role or "" for h in fused.values()]
    names, edges = graph_lookup(graph, query, scope.user_id, speakers, settings, limit)
    if not edges:
        return
    ids = graph_hits_to_memory_ids(edges, names=names)[: max(2 * limit, 10)]
    if not ids:
        return
    by_memory: dict[str, list[GraphEdge]] = {}
    for edge in edges:
        by_memory.setdefault(edge.memory_id or "", []).append(edge)
    boost = [settings.graph_weight / (1 + 0.1 * rank) for rank in range(len(ids))]
    # A memory the graph alone brings in scores its boost: read only those that could still reach the
    # first ``limit`` (a later recency decay only lowers scores, so it needs them all).
    floor = -math.inf if settings.recency_half_life_days else _nth_best(fused, ids, boost, limit)
    missing = [i for i, b in zip(ids, boost, strict=True) if i not in fused and b > floor]
    items = {i.id: i for i in vectors.get(missing, scope)} if missing else {}
    for rank, mid in enumerate(ids):
        if mid not in fused and mid not in items:
            continue  # below the floor, or deleted (its closed edge stays in the graph as the past)
        if mid not in fused:
            fused[mid] = MemoryHit(memory=items[mid], score=0.0)
        hit = fused[mid]
        hit.score += boost[rank]
        hit.matched_by.append("graph")
        hit.graph = by_memory.get(mid, [])


def _nth_best(fused: dict[str, MemoryHit], ids: list[str], boost: list[float], n: int) -> float:
    """The ``n``-th best score among the hits already found, once the graph has boosted those it links
    to; -inf when there are fewer than ``n``. A memory only the graph finds must beat it to be shown."""
    if len(fused) < n:
        return -math.inf
    extra = {mid: b for mid, b in zip(ids, boost, strict=True) if mid in fused}
    return sorted((h.score + extra.get(mid, 0.0) for mid, h in fused.items()), reverse=True)[n - 1]
