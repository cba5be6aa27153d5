"""The operator page of support mode: the agent's playbook (rules), knowledge (facts) and documents,
all in the agent's shared memory (``scope="agent"``): add, edit, delete, history, upload."""

from __future__ import annotations

import streamlit as st

from memory import MemoryLayerError, MemoryType
from memory.types import MemoryInput, MemoryItem, Source, SourceKind
from ui.markup import escape
from ui.memory_view import source_text, type_badge, when
from ui.services import Services

KINDS = {"Rule (playbook)": MemoryType.PROCEDURAL, "Fact (knowledge)": MemoryType.SEMANTIC}
FILE_TYPES = ["pdf", "txt", "md", "png", "jpg", "jpeg"]


def render_operator(services: Services, agent_id: str) -> None:
    memory = services.memory
    st.header("Agent memory")
    st.caption(
        f"Shared by every customer of **{escape(agent_id)}**. Customers' chats read it; only this page "
        "(or an agent-scope call) changes it."
    )
    with st.form("operator_add", clear_on_submit=True):
        text = st.text_area(
            "New rule or fact", key="operator_text", placeholder="Always offer a replacement before a refund."
        )
        kind = st.radio("Kind", list(KINDS), key="operator_kind", horizontal=True)
        if st.form_submit_button("Add to the agent's memory") and text.strip():
            entry = MemoryInput(
                text=text, type=KINDS[kind], source=Source(kind=SourceKind.MANUAL, role="operator")
            )
            _attempt(lambda: memory.add_batch([entry], agent_id=agent_id, scope="agent"), "Added.")
    upload = st.file_uploader("Upload to the knowledge base", type=FILE_TYPES, key="operator_upload")
    if upload is not None and st.button("Read the file", key="operator_ingest"):
        _attempt(
            lambda: memory.ingest(upload.getvalue(), filename=upload.name, agent_id=agent_id, scope="agent"),
            f"Read {upload.name}.",
        )
    items = memory.get_all(agent_id=agent_id, scope="agent")
    for title, kind in (("Playbook", MemoryType.PROCEDURAL), ("Knowledge", MemoryType.SEMANTIC)):
        shown = [i for i in items if i.type == kind and not i.source.file_sha256]
        st.subheader(f"{title} ({len(shown)})")
        if not shown:
            st.caption("Nothing yet.")
        for item in shown:
            render_item(services, agent_id, item)
    docs = memory.documents(agent_id=agent_id, scope="agent")
    st.subheader(f"Documents ({len(docs)})")
    for doc in docs:
        left, right = st.columns([5, 1], vertical_alignment="center")
        left.markdown(
            f":material/description: {escape(doc['file_name'] or doc['sha256'][:12])}  \n:small[:gray[{doc['memories']} memories · {when(doc['uploaded_at'])}]]"
        )
        if right.button("Delete", key=f"operator_doc_{doc['sha256'][:16]}"):
            _attempt(
                lambda d=doc: memory.delete_document(d["sha256"], agent_id=agent_id, scope="agent"),
                "Deleted.",
            )


def render_item(services: Services, agent_id: str, item: MemoryItem) -> None:
    memory = services.memory
    with st.container(border=True, key=f"operator_item_{item.id}"):
        st.markdown(f"{type_badge(item.type)} {escape(item.text)}  \n:small[:gray[{source_text(item)}]]")
        edited = st.text_input(
            "Text", value=item.text, key=f"operator_edit_{item.id}", label_visibility="collapsed"
        )
        save, delete, _ = st.columns([1, 1, 3])
        if save.button("Save", key=f"operator_save_{item.id}", disabled=edited.strip() == item.text):
            _attempt(lambda: memory.update(item.id, edited, agent_id=agent_id, scope="agent"), "Saved.")
        if delete.button("Delete", key=f"operator_delete_{item.id}"):
            _attempt(lambda: memory.delete(item.id, agent_id=agent_id, scope="agent"), "Deleted.")
        with st.expander("History", icon=":material/history:"):
            for entry in memory.history(item.id, agent_id=agent_id, scope="agent"):
                change = f"{entry.old_text} → {entry.new_text}" if entry.old_text else entry.new_text or ""
                st.caption(f"{when(entry.at)} · {entry.event.value} · {escape(change)}")


def _attempt(action, done: str) -> None:  # type: ignore[no-untyped-def]
    """Run an operator action; a refused one is shown in words, and the page redraws after a change."""
    try:
        action()
    except MemoryLayerError as exc:
        st.error(str(exc))
        return
    st.toast(done)
    st.rerun()
