"""How a memory is shown: a coloured type badge, its text, where it came from and when."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import streamlit as st

from ingestion import media
from memory.errors import UnsafePathError
from memory.types import MemoryHit, MemoryItem, MemoryType, SourceKind
from ui.markup import escape

__all__ = ["escape", "render_memories_used", "source_text", "type_badge", "when"]

TYPE_COLOURS = {
    MemoryType.SEMANTIC: "blue",
    MemoryType.EPISODIC: "orange",
    MemoryType.PROCEDURAL: "green",
}
SOURCE_ICONS = {
    SourceKind.CHAT: ":material/chat_bubble:",
    SourceKind.DOCUMENT: ":material/description:",
    SourceKind.IMAGE: ":material/image:",
    SourceKind.MANUAL: ":material/edit_note:",
    SourceKind.IMPORT: ":material/download:",
}
MEMORY_ICON = ":material/psychology:"
THUMBNAIL_WIDTH = 88


def type_badge(kind: MemoryType) -> str:
    """Markdown for a coloured badge, e.g. ':blue-badge[semantic]'."""
    return f":{TYPE_COLOURS.get(kind, 'gray')}-badge[{kind.value}]"


def when(moment: datetime) -> str:
    return moment.astimezone().strftime("%d %b %Y, %H:%M")


def source_text(item: MemoryItem) -> str:
    """'chat turn · 25 Nov 2025, 14:46' or 'report.pdf p. 3', after an icon of the source kind."""
    icon = SOURCE_ICONS.get(item.source.kind, "")
    label = f"{icon} {escape(item.source.label())}".strip()
    if item.source.kind in (SourceKind.CHAT, SourceKind.MANUAL, SourceKind.IMPORT):
        label += f" · {when(item.created_at)}"
    if not item.current and item.valid_to is not None:
        label += f" · past, until {item.valid_to:%d %b %Y}"
    return label


def thumbnail(item: MemoryItem, data_dir: Path) -> Path | None:
    """The stored picture of an image memory, only from its owner's own media folder."""
    path = item.source.thumbnail_path or item.source.image_path
    if not path:
        return None
    try:
        full = media.media_path_for(Path(data_dir), path, user_id=item.user_id)
    except UnsafePathError:
        return None
    return full if full.is_file() else None


def similarity_text(hit: MemoryHit) -> str:
    """'38% similar', plus 'linked in the graph' when the graph brought it in."""
    parts = []
    if hit.similarity is not None:
        parts.append(f"{round(max(hit.similarity, 0.0) * 100)}% similar")
    if "graph" in hit.matched_by:
        parts.append("linked in the graph")
    return " · ".join(parts)


SCOPE_BADGES = {"agent": ":violet-badge[agent]", "user": ":gray-badge[customer]"}


def render_hit(hit: MemoryHit, data_dir: Path, show_scope: bool = False) -> None:
    """One memory; ``show_scope`` labels it as the agent's shared memory or the customer's own."""
    item = hit.memory
    with st.container():
        image = thumbnail(item, data_dir)
        if image is not None:
            left, right = st.columns([1, 5], vertical_alignment="center")
            left.image(str(image), width=THUMBNAIL_WIDTH)
            target = right
        else:
            target = st.container()
        details = " · ".join(part for part in (similarity_text(hit), source_text(item)) if part)
        scope = f"{SCOPE_BADGES[hit.scope]} " if show_scope else ""
        target.markdown(f"{scope}{type_badge(item.type)} {escape(item.text)}  \n:small[:gray[{details}]]")


def render_memories_used(
    hits: list[MemoryHit],
    data_dir: Path,
    controls: Callable[[MemoryHit], None] | None = None,
    key: str | None = None,
) -> None:
    """The expander under an answer: which memories it was built from, each with ``controls``
    (in a container keyed ``{key}_{memory id}`` when a key is given)."""
    if not hits:
        st.caption(f"{MEMORY_ICON} No memories used: nothing related is remembered yet.")
        return
    label = f"{len(hits)} memor{'y' if len(hits) == 1 else 'ies'} used"
    shared = any(hit.scope == "agent" for hit in hits)  # support mode: say whose each memory is
    with st.expander(label, expanded=True, icon=MEMORY_ICON):
        for hit in hits:
            with st.container(key=f"{key}_{hit.id}" if key else None):
                render_hit(hit, data_dir, show_scope=shared)
                if controls is not None:
                    controls(hit)
