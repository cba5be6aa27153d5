"""Support mode in a real Chromium: an operator sets the playbook on the Agent memory page; two
customers each get it, labelled as the agent's, and neither sees the other's memories."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.ui.test_browser import ARTIFACTS, free_port, open_chat
from ui.bench import launch_chromium, wait_idle

pytestmark = pytest.mark.browser
RULE = "Always offer a replacement before a refund."


def test_operator_playbook_reaches_every_customer_labelled(tmp_path, monkeypatch):
    from playwright.sync_api import sync_playwright

    from ui.bench import streamlit_server

    monkeypatch.setenv("MEMORY_APP__MODE", "support")
    monkeypatch.setenv("MEMORY_APP__AGENT_NAME", "Casey from Example Home")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            with streamlit_server(free_port(), tmp_path / "data", log=tmp_path / "streamlit.log") as url:
                chat = open_chat(browser, url)
                page = chat.page
                sidebar = page.get_by_test_id("stSidebar")
                expect(sidebar.get_by_text("Casey from Example Home")).to_be_visible()

                chat.open_page("Agent memory")
                page.get_by_placeholder(RULE).fill(RULE)
                page.get_by_role("button", name="Add to the agent's memory").click()
                wait_idle(page, started=True)
                expect(page.locator('[class*="st-key-operator_item_"]').filter(has_text=RULE)).to_have_count(
                    1, timeout=15_000
                )
                chat.shot("support-01-operator.png")

                chat.open_page("Chat")
                chat.send("My blender arrived broken, order 4471. I want a refund.")
                chat.send("What about my refund for order 4471?")
                panel = chat.panel_text()
                assert "agent" in panel and RULE in panel, panel
                assert "customer" in panel and "4471" in panel, panel
                chat.shot("support-02-ada.png")

                chat.pick_user("Grace")
                chat.send("Can I get a refund for my kettle?")
                panel = chat.panel_text()
                assert RULE in panel and "4471" not in chat.last_answer().inner_text(), panel
                chat.shot("support-03-grace.png")
        finally:
            browser.close()
