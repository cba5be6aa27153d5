"""The part of a user's graph both UIs draw: the newest relations, or those around one entity, with
how many there are in all and the entities they name. A graph of thousands of relations is
unreadable as one picture and slow to lay out, so a view shows at most ``VIEW_EDGES``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from memory.stores.base import GraphStore
from memory.types import GraphEdge

VIEW_EDGES = 150


@dataclass
class GraphWindow:
    edges: list[GraphEdge]
    total: int  # relations in all (of the user, or around the focus)
    entities: list[dict[str, Any]] = field(default_factory=list)  # those the edges name

    @property
    def partial(self) -> bool:
        return self.total > len(self.edges)


def graph_window(
    graph: GraphStore, user_id: str, include_past: bool, focus: str = "", limit: int | None = None
) -> GraphWindow:
    limit = limit or VIEW_EDGES
    if focus:
        edges = graph.neighbours(user_id, [focus], include_past=include_past, limit=limit)
        total = len(edges)
    else:
        edges = graph.edges(user_id, include_past=include_past, limit=limit)
        total = graph.count_edges(user_id, include_past) if len(edges) == limit else len(edges)
    shown = sorted({name for edge in edges for name in (edge.subject, edge.object)})
    return GraphWindow(edges, total, graph.entities(user_id, names=shown) if shown else [])
