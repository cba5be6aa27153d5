"""In a real Chromium with a scripted model: a reply and a memory full of remote images load
nothing; a memory is corrected ("This is wrong") and forgotten from under the answer; each answer
shows its receipt and the sidebar the chat totals. Screenshots go to test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.openai_server import Reply, is_extraction_request, last_user_text
from tests.ui.test_browser import ARTIFACTS, free_port, open_chat
from ui.bench import streamlit_server, wait_idle

pytestmark = pytest.mark.browser


def fact(text: str, *entities: str, relation: tuple[str, str, str] | None = None) -> dict[str, Any]:
    triples = [dict(zip(("subject", "relation", "object"), relation, strict=True))] if relation else []
    return {
        "op": "ADD",
        "type": "semantic",
        "text": text,
        "target": None,
        "entities": list(entities),
        "relations": triples,
    }


def scripted(pixel_url: str):  # noqa: ANN201
    """Extraction finds the city, the avatar and the employer; every reply is stuffed with remote
    resources."""

    def respond(body: dict[str, Any]) -> Reply:
        said = last_user_text(body)
        if is_extraction_request(body):
            new = said.split("NEW MESSAGE from the user:")[-1]
            if "Paris" in new:
                return Reply(
                    json={
                        "operations": [
                            fact("User lives in Paris.", "Paris"),
                            fact(f"User's avatar is ![me]({pixel_url}/memory.png)", "avatar"),
                            fact("User works at Acme.", "Acme", relation=("User", "works_at", "Acme")),
                        ]
                    }
                )
            return Reply(json={"operations": []})
        return Reply(
            text=(
                f"You live in Paris. ![map]({pixel_url}/pixel.png) "
                f'<img src="{pixel_url}/html.png"> [the map]({pixel_url}/link) ![ref][p]\n\n'
                f"[p]: {pixel_url}/reference.png"
            )
        )

    return respond


def test_replies_load_nothing_and_memories_are_fixed_from_the_answer(tmp_path, scripted_browser):
    pixel, model, browser = scripted_browser
    ARTIFACTS.mkdir(exist_ok=True)
    with streamlit_server(
        free_port(), tmp_path / "data", log=tmp_path / "streamlit.log", llm_url=model.base_url
    ) as url:
        chat = open_chat(browser, url, height=1100)
        page = chat.page

        chat.send("My name is Ada and I live in Paris.")
        expect(chat.last_answer()).to_contain_text("Remembered: User lives in Paris.")
        chat.send("Where do I live, and what is my avatar?")
        answer = chat.last_answer()
        expect(answer).to_contain_text("You live in Paris.")
        expect(answer).to_contain_text("reply: ")  # the receipt
        receipt = answer.get_by_text("retrieval ").inner_text()
        assert "tokens in" in receipt and "extraction: " in receipt and " ms" in receipt, receipt
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar).to_contain_text("This chat:")
        expect(sidebar).to_contain_text("2 turns")
        panel = chat.panel_text()
        assert "User lives in Paris." in panel and "memory.png" in panel  # shown as text
        chat.shot("10-receipt-and-inert-reply.png")
        assert page.locator(f'img[src^="{pixel.url}"]').count() == 0
        assert pixel.hits == [], pixel.hits

        paris = answer.locator('[class*="st-key-hit_"]').filter(has_text="User lives in Paris.")
        paris.get_by_role("button", name="This is wrong").click()
        wait_idle(page, started=True)
        editor = chat.last_answer().locator('[class*="_editor"]')
        expect(editor).to_contain_text("What is right?")
        chat.shot("11-this-is-wrong.png")
        editor.locator("textarea").fill("User lives in Lyon.")
        editor.get_by_role("button", name="Save").click()
        wait_idle(page, started=True)
        answer = chat.last_answer()
        expect(answer).to_contain_text("Corrected: User lives in Paris. → User lives in Lyon.")
        expect(answer.locator('[class*="st-key-hit_"]').filter(has_text="User lives in Lyon.")).to_have_count(
            1
        )

        avatar = answer.locator('[class*="st-key-hit_"]').filter(has_text="avatar")
        avatar.get_by_role("button", name="Forget").click()
        wait_idle(page, started=True)
        answer = chat.last_answer()
        expect(answer).to_contain_text("Forgot: User's avatar is")
        expect(answer.locator('[class*="st-key-hit_"]').filter(has_text="avatar")).to_have_count(0)
        chat.shot("12-fixed-from-the-answer.png")

        chat.send("Where do I live now, and what is my avatar?")
        assert "User lives in Lyon." in chat.panel_text()
        assert "memory.png" not in chat.panel_text()  # the forgotten fact is not retrieved
        assert page.locator(f'img[src^="{pixel.url}"]').count() == 0
        assert pixel.hits == [], pixel.hits
