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
from ui.bench import gradio_server, launch_chromium, streamlit_server, wait_idle

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


@pytest.fixture
def moving_browser():
    """Chromium and the scripted model that is unsure about the move."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with OpenAIStubServer(mover) as model, sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            yield model, browser
        finally:
            browser.close()


def test_an_unsure_move_is_asked_and_each_change_can_be_undone(tmp_path, moving_browser):
    model, browser = moving_browser
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
        undo = page.locator('[class*="st-key-change_"]').filter(has_text="Remembered: User lives in Denver.")
        expect(undo.get_by_role("button", name="Undo")).to_be_visible()
        chat.shot("40-ask-before-overwriting-and-undo.png")

        question.get_by_role("button", name="Keep both").click()
        wait_idle(page, started=True)
        answer = chat.last_answer()
        expect(answer.locator('[class*="st-key-question_"]')).to_have_count(0)
        kept = answer.locator('[class*="st-key-change_"]').filter(
            has_text="Remembered: User lives in Boulder."
        )
        expect(kept).to_have_count(1)
        chat.shot("41-kept-both.png")

        kept.get_by_role("button", name="Undo").click()
        wait_idle(page, started=True)
        expect(chat.last_answer()).to_contain_text("Undone: Remembered: User lives in Boulder.")
        expect(page.locator('[class*="st-key-change_"]').filter(has_text="Boulder")).to_have_count(0)


def test_gradio_asks_about_the_move_and_undoes_it(tmp_path, moving_browser):
    from tests.ui.test_gradio_browser import GradioChat

    model, browser = moving_browser
    with gradio_server(
        free_port(), tmp_path / "data", log=tmp_path / "gradio.log", llm_url=model.base_url
    ) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(60_000)
        page.goto(url)
        page.locator("#chat-box textarea").wait_for(state="visible")
        chat = GradioChat(page)
        chat.send("I live in Denver.")
        expect(page.get_by_role("button", name="↩ Undo Remembered: User lives in Denver.")).to_be_visible()
        chat.send("Spent the whole week in Boulder, loving it.")
        question = page.locator(".memory-question")
        expect(question).to_contain_text("You told me you live in Denver: did you move to Boulder?")
        for label in ("Apply", "Keep both", "Ignore"):
            expect(question.get_by_role("button", name=label, exact=True)).to_be_visible()
        chat.shot("42-gradio-ask-and-undo.png")

        question.get_by_role("button", name="Apply", exact=True).click()
        expect(page.locator("#answer-notice")).to_contain_text(
            "Updated: User lives in Denver. → User lives in Boulder."
        )
        expect(page.locator(".memory-question")).to_have_count(0)
        undo = page.get_by_role(
            "button", name="↩ Undo Updated: User lives in Denver. → User lives in Boulder."
        )
        undo.click()
        expect(page.locator("#answer-notice")).to_contain_text("↩ Undone: Updated: User lives in Denver.")
        expect(undo).to_have_count(0)
        chat.shot("43-gradio-undone.png")
