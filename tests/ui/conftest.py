"""UI tests run the real app on a fresh data directory, with no language model."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

# A loaded 2-core machine can take many seconds per step: wait for conditions, for long enough.
expect.set_options(timeout=30_000)


@pytest.fixture
def app_env(tmp_path, monkeypatch):
    """A fresh MEMORY_DATA_DIR for the app; no LLM even if the machine has an OpenAI key."""
    data_dir = tmp_path / "app-data"
    monkeypatch.setenv("MEMORY_DATA_DIR", str(data_dir))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    for name in ("OPENAI_API_KEY", "MEMORY_LLM__BASE_URL", "MEMORY_LLM__API_KEY", "MEMORY_LLM__MODEL"):
        monkeypatch.delenv(name, raising=False)
    yield data_dir
    import streamlit as st

    st.cache_resource.clear()  # closes the Memory an AppTest opened (each holds a graph database)


@pytest.fixture
def scripted_browser():
    """Chromium, a pixel server that records any fetch, and an OpenAI-protocol server whose replies
    and extractions are full of remote images (see test_browser_fix.scripted)."""
    from playwright.sync_api import sync_playwright

    from tests.openai_server import OpenAIStubServer
    from tests.ui.pixel import PixelServer
    from tests.ui.test_browser_fix import scripted
    from ui.bench import launch_chromium

    with PixelServer() as pixel, OpenAIStubServer(scripted(pixel.url)) as model, sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            yield pixel, model, browser
        finally:
            browser.close()
