"""Graphviz DOT of a user's graph, for the graph page: current edges solid, past edges dashed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from memory.stores.base import GraphEdge
from memory.stores.entity_names import SELF_NAME, normalise_name


def _dot_quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "")
    return f'"{escaped}"'


def _day(moment: datetime | None) -> str:
    return moment.date().isoformat() if moment else "?"


def render_dot(edges: Sequence[GraphEdge], entities: Sequence[dict[str, Any]] = ()) -> str:
    """Graphviz DOT of a user's graph: current edges solid, past edges dashed grey with their dates."""
    node_ids: dict[str, str] = {}
    lines = [
        "digraph memory {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]

    def node(name: str, kind: str = "") -> str:
        if name not in node_ids:
            node_ids[name] = f"n{len(node_ids)}"
            extra = ', fillcolor="#fde9c8"' if kind == "self" or normalise_name(name) == SELF_NAME else ""
            lines.append(f"  {node_ids[name]} [label={_dot_quote(name)}{extra}];")
        return node_ids[name]

    for entity in entities:
        node(str(entity["name"]), str(entity.get("type") or ""))
    for edge in edges:
        src, dst = node(edge.subject), node(edge.object)
        if edge.current:
            attrs = f"label={_dot_quote(edge.relation)}"
        else:
            label = f"{edge.relation}\n{_day(edge.valid_from)} to {_day(edge.valid_to)}"
            attrs = f"label={_dot_quote(label)}, style=dashed, color=grey60, fontcolor=grey45"
        lines.append(f"  {src} -> {dst} [{attrs}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
