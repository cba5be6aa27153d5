"""What every page needs, decided once per run by app.py: the services, who is chatting, temporary chat."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ui.services import Services
from ui.sidebar import Identity

_KEY = "page_context"


@dataclass(frozen=True)
class PageContext:
    services: Services
    identity: Identity
    temporary: bool


def set_context(services: Services, identity: Identity | None, temporary: bool) -> None:
    st.session_state[_KEY] = PageContext(services, identity, temporary) if identity else None


def page_context() -> PageContext | None:
    """The context of this run, or None after asking the user to pick who is chatting."""
    context = st.session_state.get(_KEY)
    if context is None:
        st.info("Pick a profile or type a new user's name in the sidebar to start.", icon="👈")
    return context
