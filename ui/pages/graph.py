"""Graph page."""

from ui.context import page_context
from ui.graph import render_graph

context = page_context()
if context is not None:
    render_graph(context.services.memory, context.identity.user_id, context.identity.label)
