"""Support mode (``MEMORY_APP__MODE=support``): one agent, many customers. The sidebar shows the agent,
the chat reads the agent's shared memory beside the customer's own, and operators manage the agent's
playbook and knowledge base on their own page."""

from __future__ import annotations

import streamlit as st

from ui.deployment import is_operator
from ui.deployment import support_agent as deployment_agent
from ui.markup import escape
from ui.services import Services


def support_agent(services: Services) -> str | None:
    """The agent whose shared memory the chat reads, in support mode; None in demo mode."""
    return deployment_agent(services.memory.config)


def render_persona(services: Services) -> None:
    """The agent this support deployment speaks as, at the top of the sidebar."""
    app = services.memory.config.app
    st.markdown(f":material/support_agent: **{escape(app.agent_name)}**")
    st.caption(escape(app.agent_persona))
    rules = services.memory.count(agent_id=app.agent_id, scope="agent")
    st.caption(
        f":material/menu_book: {rules} shared memor{'y' if rules == 1 else 'ies'} in the playbook and knowledge base"
    )


__all__ = ["is_operator", "render_persona", "support_agent"]
