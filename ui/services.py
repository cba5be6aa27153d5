"""The Memory and the Assistant, opened once per process and shared by every browser session."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

import streamlit as st

from memory import Memory, MemoryConfig, MemoryLayerError
from memory.assistant import Assistant

NO_LLM_TEXT = (
    "No language model configured — answers come from memory. Set MEMORY_LLM__BASE_URL and "
    "MEMORY_LLM__MODEL (any OpenAI-compatible server: Ollama, vLLM, LM Studio, OpenAI)."
)


@dataclass(frozen=True)
class Services:
    memory: Memory
    assistant: Assistant

    def llm_status(self) -> str | None:
        """'model · host' of the configured language model, or None when answers come from memory."""
        if self.assistant.offline:
            return None
        llm = self.memory.config.llm
        host = urlparse(llm.base_url).netloc if llm.base_url else "api.openai.com"
        return f"{llm.model} · {host or llm.base_url}"


def _close(services: Services) -> None:
    """When the cache lets go of them: finish pending writes, then close the stores."""
    services.assistant.close()
    services.memory.close()


@st.cache_resource(show_spinner="Loading the memory model…", on_release=_close)
def _open(config_json: str) -> Services:
    """Keyed by the whole configuration, so another data directory gets its own Memory."""
    memory = Memory(MemoryConfig.model_validate_json(config_json))
    return Services(memory=memory, assistant=Assistant(memory))


def open_services() -> Services | None:
    """The shared services, or None after telling the user in plain words why they could not open."""
    try:
        config = MemoryConfig()
    except Exception as exc:  # a pydantic validation error names the bad setting
        st.error(f"The settings could not be read: {exc}")
        return None
    try:
        return _open(config.model_dump_json())
    except MemoryLayerError as exc:
        st.error(str(exc))
    except Exception as exc:
        st.error(f"The memory could not be opened: {exc}")
    return None
