"""Compatibility names: graph helpers now live where they are used.

Name resolution is in ``memory.stores.entity_names``, graph-aware retrieval in
``memory.retrieval_graph`` and DOT rendering in ``ui.graph_dot``.
"""

from memory.retrieval_graph import asks_about_past, graph_hits_to_memory_ids
from memory.stores.entity_names import (
    FUZZY_MIN_CHARS,
    FUZZY_RATIO,
    MAX_NAME_TOKENS,
    SELF_NAME,
    EntityForms,
    mentioned_entities,
    names_compatible,
    normalise_name,
    normalise_relation,
)


def render_dot(*args, **kwargs):  # type: ignore[no-untyped-def]
    """``ui.graph_dot.render_dot`` (imported on use: the library does not load the UI package)."""
    from ui.graph_dot import render_dot as render

    return render(*args, **kwargs)


__all__ = [
    "FUZZY_MIN_CHARS",
    "FUZZY_RATIO",
    "MAX_NAME_TOKENS",
    "SELF_NAME",
    "EntityForms",
    "asks_about_past",
    "graph_hits_to_memory_ids",
    "mentioned_entities",
    "names_compatible",
    "normalise_name",
    "normalise_relation",
    "render_dot",
]
