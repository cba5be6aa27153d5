"""The sidebar: who is chatting, their chats, temporary chat, and which language model answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from memory.receipt import totals_line
from ui.memory_view import escape
from ui.services import NO_LLM_TEXT, Services
from ui.session import chats, current_chat, new_chat, restore_chats, select_chat
from ui.support import render_persona, support_agent

DEMO_USERS = {"ada": "Ada", "grace": "Grace", "alan": "Alan"}
NEW_USER = "new…"  # the picker option that asks for a name
MAX_CHATS_LISTED = 12


@dataclass(frozen=True)
class Identity:
    user_id: str
    label: str
    signed_in: bool  # from the login provider (not switchable), else a demo profile


def render_sidebar(services: Services) -> tuple[Identity | None, bool]:
    """Who is chatting (None until a name is given) and whether this chat is temporary."""
    with st.sidebar:
        if support_agent(services):
            render_persona(services)
        identity = signed_in_identity() or pick_demo_user()
        temporary = st.toggle(
            ":material/visibility_off: Temporary chat",
            key="temporary_chat",
            help="Nothing said or uploaded while this is on is remembered. Memories are still read.",
        )
        if identity is not None:
            restore_chats(services.memory, identity.user_id)
            render_chat_list(identity.user_id)
            render_totals(identity.user_id)
        st.divider()
        status = services.llm_status()
        if status is None:
            st.caption(f":material/info: {NO_LLM_TEXT}")
        else:
            st.caption(f":material/smart_toy: **Model:** {escape(status)}")
    return identity, temporary


def auth_configured() -> bool:
    """Whether a login provider is set up (an [auth] section in secrets)."""
    try:
        return "auth" in st.secrets
    except Exception:
        return False


def signed_in_identity() -> Identity | None:
    """Deployment mode: the signed-in user's email; asks to log in first. None in demo mode."""
    if not auth_configured():
        return None
    try:
        logged_in = bool(st.user.is_logged_in)
    except Exception:
        return None
    if not logged_in:
        st.markdown("Sign in to chat with your own memory.")
        st.button("Log in", type="primary", on_click=st.login, key="login")
        st.stop()
    email, problem = verified_email(st.user)
    if problem:
        st.error(problem)
        st.button("Log out", on_click=st.logout, key="logout")
        st.stop()
    st.markdown(f"Signed in as **{escape(email)}**")
    st.button("Log out", on_click=st.logout, key="logout")
    return Identity(user_id=email, label=email, signed_in=True)


def verified_email(user: Mapping[str, Any]) -> tuple[str, str | None]:
    """The signed-in e-mail, case-folded, when the provider vouches for it; else why it cannot be used.
    The e-mail is the key to a person's memories, so an unverified one is never taken."""
    email = str(user.get("email") or "").strip()
    if not email or "@" not in email:
        return "", "The login provider did not give an e-mail address, so your memories cannot be opened."
    if user.get("email_verified") is not True:
        return "", (
            f"The login provider has not verified {email}. Verify the address with your provider, "
            "then log in again."
        )
    return email.casefold(), None


def pick_demo_user() -> Identity | None:
    """Demo mode: a few profiles with separate memories, or a new name."""
    choice = st.selectbox(
        "Who is chatting?",
        [*DEMO_USERS, NEW_USER],
        format_func=lambda u: DEMO_USERS.get(u, "New user…"),
        key="user_picker",
        help="Demo mode: each profile has its own memories.",
    )
    if choice != NEW_USER:
        return Identity(user_id=choice, label=DEMO_USERS[choice], signed_in=False)
    name = st.text_input("Name", key="new_user_name", placeholder="e.g. Marie").strip()
    if not name:
        st.caption("Type a name to start a new user's memory.")
        return None
    return Identity(user_id=name.casefold(), label=name, signed_in=False)


def render_totals(user_id: str) -> None:
    """What this chat's turns took, all together."""
    receipts = [m.turn.receipt for m in current_chat(user_id).messages if m.turn is not None]
    if receipts:
        st.caption(f":material/receipt_long: **This chat:** {escape(totals_line(receipts))}")


def render_chat_list(user_id: str) -> None:
    current = current_chat(user_id)
    st.button(
        "New chat",
        key="new_chat",
        icon=":material/edit_square:",
        on_click=new_chat,
        args=(user_id,),
        width="stretch",
        disabled=not current.messages,
    )
    listed = [c for c in chats(user_id) if c.messages][:MAX_CHATS_LISTED]
    if not listed:
        return
    st.caption("Chats")
    for chat in listed:
        st.button(
            chat.title or "Untitled chat",
            key=f"chat_{chat.id}",
            on_click=select_chat,
            args=(user_id, chat.id),
            type="secondary" if chat.id == current.id else "tertiary",
            width="stretch",
        )
