"""UI tests run the real app on a fresh data directory, with no language model."""

from __future__ import annotations

import pytest


@pytest.fixture
def app_env(tmp_path, monkeypatch):
    """A fresh MEMORY_DATA_DIR for the app; no LLM even if the machine has an OpenAI key."""
    data_dir = tmp_path / "app-data"
    monkeypatch.setenv("MEMORY_DATA_DIR", str(data_dir))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    for name in ("OPENAI_API_KEY", "MEMORY_LLM__BASE_URL", "MEMORY_LLM__API_KEY", "MEMORY_LLM__MODEL"):
        monkeypatch.delenv(name, raising=False)
    return data_dir
