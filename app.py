"""Memory Chat: a chat assistant with long-term memory (`streamlit run app.py`)."""

from __future__ import annotations

import streamlit as st

from ui.context import set_context
from ui.services import open_services
from ui.sidebar import render_sidebar
from ui.support import support_agent

st.set_page_config(page_title="Memory Chat", page_icon="🧠", layout="centered")

pages = [
    st.Page("ui/pages/chat.py", title="Chat", icon=":material/chat:", default=True),
    st.Page("ui/pages/manager.py", title="Memory manager", icon=":material/neurology:", url_path="memories"),
    st.Page("ui/pages/graph.py", title="Graph", icon=":material/hub:", url_path="graph"),
]
services = open_services()
if services is not None and support_agent(services):
    pages.append(
        st.Page(
            "ui/pages/operator.py", title="Agent memory", icon=":material/support_agent:", url_path="operator"
        )
    )
navigation = st.navigation(pages)
if services is None:
    st.stop()
identity, temporary = render_sidebar(services)
set_context(services, identity, temporary)
navigation.run()
