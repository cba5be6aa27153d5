"""The Gradio graph tab: a user's entities and relations as an inline SVG drawn here (no Graphviz,
nothing loaded from elsewhere) and as a table; relations that no longer hold are dashed and dated."""

from __future__ import annotations

import math
from html import escape as html_escape
from typing import Any

import gradio as gr

from memory import MemoryLayerError
from memory.types import GraphEdge
from ui.graph_window import graph_window

EDGE_HEADERS = ["Subject", "Relation", "Object", "Since", "Until"]
GRAPH_OFF = "The graph is off, so entities and relations are not kept (MEMORY_GRAPH_STORE__ENABLED=true)."
EMPTY_TEXT = "No relations yet. Facts such as “I work at Acme” or “My sister is Eve” appear here."
WIDTH, NODE_H = 820, 30


def day(moment: Any) -> str:
    return moment.astimezone().strftime("%d %b %Y") if moment else ""


def graph_view(memory: Any, user_id: str, include_past: bool) -> tuple[str, list[list[str]], str]:
    """(SVG html, table rows, status) of this user's graph."""
    user_id = (user_id or "").strip()
    if not user_id:
        return "", [], "Type a user name first."
    if memory.graph is None:
        return "", [], GRAPH_OFF
    try:
        window = graph_window(memory.graph, user_id, include_past)
    except MemoryLayerError as exc:
        return "", [], f"⚠ {exc}"
    edges = window.edges
    if not edges:
        return "", [], EMPTY_TEXT
    rows = [[e.subject, e.relation, e.object, day(e.valid_from), day(e.valid_to)] for e in edges]
    if window.partial:
        head = f"The {len(edges)} newest of {window.total:,} relations"
    else:
        head = f"{len(edges)} relation{'s' if len(edges) != 1 else ''}"
    status = f"{head}. Solid arrows hold now; dashed grey ones held in the past."
    return render_svg(edges, [str(e["name"]) for e in window.entities]), rows, status


def render_svg(edges: list[GraphEdge], names: list[str]) -> str:
    """Nodes on a circle, arrows between them with the relation as label."""
    nodes: list[str] = []
    for name in [*names, *(n for e in edges for n in (e.subject, e.object))]:
        if name not in nodes:
            nodes.append(name)
    height = max(360, min(900, 120 + 34 * len(nodes)))
    cx, cy = WIDTH / 2, height / 2
    radius_x, radius_y = WIDTH / 2 - 110, height / 2 - 40
    at = {
        name: (cx + radius_x * math.cos(2 * math.pi * i / len(nodes) - math.pi / 2),
               cy + radius_y * math.sin(2 * math.pi * i / len(nodes) - math.pi / 2))
        for i, name in enumerate(nodes)
    }  # fmt: skip
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        'role="img" aria-label="Knowledge graph" font-family="Helvetica, Arial, sans-serif" font-size="13">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#4a5a78"/></marker>'
        '<marker id="arrow-past" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#9aa0a6"/></marker></defs>',
    ]
    for edge in edges:
        (x1, y1), (x2, y2) = at[edge.subject], at[edge.object]
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        shrink = min(0.4, 34 / length)
        sx, sy = x1 + (x2 - x1) * shrink, y1 + (y2 - y1) * shrink
        ex, ey = x2 - (x2 - x1) * shrink, y2 - (y2 - y1) * shrink
        label = edge.relation.replace("_", " ")
        if edge.current:
            style, colour, marker = "", "#4a5a78", "arrow"
        else:
            style, colour, marker = ' stroke-dasharray="6 4"', "#9aa0a6", "arrow-past"
            label += f" ({day(edge.valid_from)} to {day(edge.valid_to)})"
        parts.append(
            f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" stroke="{colour}" stroke-width="1.6"'
            f'{style} marker-end="url(#{marker})"/>'
            f'<text x="{(sx + ex) / 2:.1f}" y="{(sy + ey) / 2 - 5:.1f}" text-anchor="middle" fill="{colour}" '
            f'font-size="11">{html_escape(label)}</text>'
        )
    for name, (x, y) in at.items():
        width = 16 + 7.2 * min(len(name), 28)
        shown = name if len(name) <= 28 else name[:27] + "…"
        parts.append(
            f'<g class="graph-node"><rect x="{x - width / 2:.1f}" y="{y - NODE_H / 2:.1f}" width="{width:.1f}" '
            f'height="{NODE_H}" rx="8" fill="#eef3fb" stroke="#9db3d9"/>'
            f'<text x="{x:.1f}" y="{y + 4.5:.1f}" text-anchor="middle" fill="#1f2d3d">{html_escape(shown)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def build_graph(memory: Any, user: gr.Textbox, tab: gr.Tab) -> None:
    """The graph tab's layout and wiring (call inside ``tab``); it is drawn when the tab opens."""
    with gr.Row():
        past = gr.Checkbox(value=True, label="Show relations that no longer hold")
        show = gr.Button("🔄 Show the graph", variant="primary")
    status = gr.Markdown()
    picture = gr.HTML(elem_id="graph-svg")
    table = gr.Dataframe(headers=EDGE_HEADERS, interactive=False, label="Relations as a table")
    show.click(
        lambda u, p: graph_view(memory, u, p), [user, past], [picture, table, status], api_name="graph"
    )
    for trigger in (past.change, tab.select):
        trigger(
            lambda u, p: graph_view(memory, u, p),
            [user, past],
            [picture, table, status],
            api_visibility="private",
        )
