"""In a real Chromium with a scripted model: an unsure move is asked in the chat with Apply, Keep both
and Ignore; Keep both adds the new fact beside the old; each change has Undo. Screenshot in
test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.core.test_undo import op, short_id
from tests.openai_server import OpenAIStubServer, Reply, is_extraction_request, last_user_text
from tests.ui.test_browser import ARTIFACTS, free_port, open_chat
from ui.bench import launch_chromium, streamlit_server, wait_idle

pytestmark = pytest.mark.browser


def mover(body: dict[str, Any]) -> Reply:
    """Denver is sure; Boulder is a guess (low confidence), so the app asks before moving."""
    if not is_extraction_request(body):
        return Reply(text="Noted.")
    new = last_user_text(body).split("NEW MESSAGE from the user:")[-1]
    if "Denver" in new:
        return Reply(json={"operations": [op("ADD", "User lives in Denver.", None, 0.95, "Denver")]})
    if "Boulder" in new:
        target = short_id(body, "User lives in Denver.")
        return Reply(json={"operations": [op("UPDATE", "User lives in Boulder.", target, 0.3, "Boulder")]})
    return Reply(json={"operations": []})


def test_an_unsure_move_is_asked_and_each_change_can_be_undone(tmp_path):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with OpenAIStubServer(mover) as model, sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            with streamlit_server(
                free_port(), tmp_path / "data", log=tmp_path / "streamlit.log", llm_url=model.base_url
            ) as url:
                chat = open_chat(browser, url, height=900)
                page = chat.page
                chat.send("I live in Denver.")
                expect(chat.last_answer()).to_contain_text("Remembered: User lives in Denver.")
                chat.send("Spent the whole week in Boulder, loving it.")
                answer = chat.last_answer()
                question = answer.locator('[class*="st-key-question_"]')
                expect(question).to_contain_text("You told me you live in Denver: did you move to Boulder?")
                for label in ("Apply", "Keep both", "Ignore"):
                    expect(question.get_by_role("button", name=label)).to_be_visible()
                undo = page.locator('[class*="st-key-change_"]').filter(
                    has_text="Remembered: User lives in Denver."
                )
                expect(undo.get_by_role("button", name="Undo")).to_be_visible()
                chat.shot("20-ask-before-overwriting-and-undo.png")

                question.get_by_role("button", name="Keep both").click()
                wait_idle(page, started=True)
                answer = chat.last_answer()
                expect(answer.locator('[class*="st-key-question_"]')).to_have_count(0)
                kept = answer.locator('[class*="st-key-change_"]').filter(
                    has_text="Remembered: User lives in Boulder."
                )
                expect(kept).to_have_count(1)
                chat.shot("21-kept-both.png")

                kept.get_by_role("button", name="Undo").click()
                wait_idle(page, started=True)
                expect(chat.last_answer()).to_contain_text("Undone: Remembered: User lives in Boulder.")
                expect(page.locator('[class*="st-key-change_"]').filter(has_text="Boulder")).to_have_count(0)
        finally:
            browser.close()
