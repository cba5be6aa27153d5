"""Chat page."""

from ui.chat import render_chat
from ui.context import page_context

context = page_context()
if context is not None:
    render_chat(context.services, context.identity.user_id, context.temporary)
