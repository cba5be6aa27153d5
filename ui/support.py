"""Support mode (``MEMORY_APP__MODE=support``): one agent, many customers. The sidebar shows the agent,
the chat reads the agent's shared memory beside the customer's own, and operators manage the agent's
playbook and knowledge base on their own page."""

from __future__ import annotations

import streamlit as st

from memory.config import AppConfig
from ui.markup import escape
from ui.services import Services


def app_settings(services: Services) -> AppConfig:
    return services.memory.config.app


def support_agent(services: Services) -> str | None:
    """The agent whose shared memory the chat reads, in support mode; None in demo mode."""
    app = app_settings(services)
    return app.agent_id if app.mode == "support" else None


def is_operator(app: AppConfig, email: str | None) -> bool:
    """Who may change the agent's memory: with sign-in, the configured operator e-mails; in the demo
    (no sign-in) the person at the keyboard is the operator."""
    if email is None:
        return True
    return email.casefold() in {o.strip().casefold() for o in app.operators}


def render_persona(services: Services) -> None:
    """The agent this support deployment speaks as, at the top of the sidebar."""
    app = app_settings(services)
    st.markdown(f":material/support_agent: **{escape(app.agent_name)}**")
    st.caption(escape(app.agent_persona))
    rules = services.memory.count(agent_id=app.agent_id, scope="agent")
    st.caption(
        f":material/menu_book: {rules} shared memor{'y' if rules == 1 else 'ies'} in the playbook and knowledge base"
    )
