"""Operator page (support mode): the agent's playbook, knowledge and documents."""

import streamlit as st

from ui.context import page_context
from ui.operator import render_operator
from ui.support import is_operator, support_agent

context = page_context()
if context is not None:
    agent = support_agent(context.services)
    email = context.identity.user_id if context.identity.signed_in else None
    if agent is None:
        st.info("The operator page belongs to support mode (MEMORY_APP__MODE=support).")
    elif not is_operator(context.services.memory.config.app, email):
        st.error("Only operators may change the agent's memory. Ask an administrator to add your e-mail.")
    else:
        render_operator(context.services, agent)
