"""The graph page: a user's entities and relations; relations that no longer hold are dashed."""

from __future__ import annotations

import streamlit as st

from memory import Memory, MemoryLayerError
from ui.graph_dot import render_dot
from ui.graph_window import graph_window
from ui.memory_view import escape, when

GRAPH_OFF = (
    "The graph is off, so entities and relations are not kept. Turn it on with "
    "MEMORY_GRAPH_STORE__ENABLED=true."
)
EMPTY_TEXT = (
    "No relations yet. Facts such as “I work at Acme” or “My sister is Eve” appear here as a graph "
    "of people, places and things."
)


def render_graph(memory: Memory, user_id: str, label: str) -> None:
    st.title("Knowledge graph")
    st.caption(f"Entities and relations remembered about **{escape(label)}**.")
    graph = memory.graph
    if graph is None:
        st.info(GRAPH_OFF)
        return
    include_past = st.toggle("Show relations that no longer hold", value=True, key="graph_past")
    focus = st.text_input(
        "Focus on", key="graph_focus", placeholder="a person, place or thing, e.g. Paris"
    ).strip()
    try:
        window = graph_window(graph, user_id, include_past, focus)
    except MemoryLayerError as exc:
        st.error(str(exc))
        return
    edges = window.edges
    if not edges:
        st.info(f"No relations around “{escape(focus)}”." if focus else EMPTY_TEXT, icon=":material/hub:")
        return
    if window.partial:
        st.caption(
            f"Showing the {len(edges)} newest of {window.total:,} relations. Focus on an entity to see "
            "the relations around it."
        )
    st.graphviz_chart(render_dot(edges, window.entities))
    st.caption("Solid arrows hold now; dashed grey arrows held in the past, with their dates.")
    with st.expander(f"{len(edges)} relation{'s' if len(edges) != 1 else ''} as a list"):
        for edge in edges:
            since = when(edge.valid_from) if edge.valid_from else "?"
            until = f" until {when(edge.valid_to)}" if edge.valid_to else ""
            st.markdown(
                f"{escape(edge.subject)} → *{escape(edge.relation)}* → {escape(edge.object)}  \n"
                f":gray[since {since}{until}]"
            )
