"""What kind of deployment the apps run as (``MemoryConfig.app``), for both Streamlit and Gradio."""

from __future__ import annotations

from memory.config import AppConfig, MemoryConfig


def support_agent(config: MemoryConfig) -> str | None:
    """The agent whose shared memory the chat reads, in support mode; None in demo mode."""
    return config.app.agent_id if config.app.mode == "support" else None


def is_operator(app: AppConfig, email: str | None) -> bool:
    """Who may change the agent's memory: with sign-in, the configured operator e-mails; in the demo
    (no sign-in) the person at the keyboard is the operator."""
    if email is None:
        return True
    return email.casefold() in {o.strip().casefold() for o in app.operators}
