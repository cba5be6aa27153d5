"""Memory manager page."""

from ui.context import page_context
from ui.manager import render_manager

context = page_context()
if context is not None:
    render_manager(context.services.memory, context.identity.user_id, context.identity.label)
