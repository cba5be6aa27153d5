"""The Gradio app in a real Chromium with a scripted model: a reply full of remote images loads
nothing; a memory is corrected ("This is wrong") and forgotten from under the answer; the manager
searches, edits, shows history, deletes, lists and deletes documents, exports, imports and deletes
all after confirmation; the graph tab draws the relations. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.ui.test_browser import ARTIFACTS, free_port
from ui.bench import gradio_server

pytestmark = pytest.mark.browser

RECEIPT = re.compile(r"🧾 retrieval \d+ ms")


class GradioChat:
    def __init__(self, page) -> None:  # noqa: ANN001
        self.page = page

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / name), full_page=True)

    def send(self, text: str, files: list | None = None) -> None:
        """Send a message and wait for its receipt, the last thing a turn shows."""
        before = self.page.get_by_text(RECEIPT).count()
        if files:
            self.page.locator("#chat-box input[type=file]").set_input_files([str(f) for f in files])
            thumbnails = self.page.locator('#chat-box [aria-label="File thumbnail"]')
            expect(thumbnails).to_have_count(len(files))
        box = self.page.locator("#chat-box textarea")
        box.fill(text)
        box.press("Enter")
        expect(self.page.get_by_text(RECEIPT)).to_have_count(before + 1, timeout=90_000)

    def memory_used(self, text: str):  # noqa: ANN201
        return self.page.locator(".memory-used").filter(has_text=text)

    def tab(self, name: str) -> None:
        self.page.get_by_role("tab", name=name).click()

    def pick(self, label: str, option: str) -> None:
        self.page.get_by_label(label).click()
        self.page.get_by_role("option", name=option).click()

    def notice(self, text: str) -> None:
        expect(self.page.locator("#manager-notice")).to_contain_text(text, timeout=30_000)


def test_the_gradio_app_in_a_real_browser(tmp_path, scripted_browser):
    pixel, model, browser = scripted_browser
    ARTIFACTS.mkdir(exist_ok=True)
    notes = tmp_path / "garden-notes.txt"
    notes.write_text("The spare key is under the blue flowerpot by the shed.", encoding="utf-8")
    with gradio_server(
        free_port(), tmp_path / "data", log=tmp_path / "gradio.log", llm_url=model.base_url
    ) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
        page.set_default_timeout(60_000)
        page.goto(url)
        chat = GradioChat(page)
        page.locator("#chat-box textarea").wait_for(state="visible")

        # chat: facts remembered, a reply stuffed with remote images loads nothing
        chat.send("My name is Ada and I live in Paris.", files=[notes])
        chat.send("Where do I live, and what is my avatar?")
        expect(page.locator("#chatbot")).to_contain_text("You live in Paris.")
        expect(chat.memory_used("User lives in Paris.")).to_have_count(1)
        expect(page.get_by_text("This chat:")).to_be_visible()
        expect(page.locator("#chat-totals")).to_contain_text("2 turns")
        receipt = page.get_by_text(RECEIPT).last.inner_text()
        assert "reply: " in receipt and "tokens in" in receipt and "extraction: " in receipt, receipt
        chat.shot("20-gradio-chat.png")
        assert page.locator(f'img[src^="{pixel.url}"]').count() == 0
        assert pixel.hits == [], pixel.hits

        # fix it from the answer
        chat.memory_used("User lives in Paris.").get_by_role("button", name="This is wrong").click()
        editor = chat.memory_used("What is right?")
        expect(editor).to_have_count(1)
        chat.shot("21-gradio-this-is-wrong.png")
        editor.locator("textarea").fill("User lives in Lyon.")
        editor.get_by_role("button", name="Save").click()
        expect(page.locator("#fix-notice")).to_contain_text(
            "Corrected: User lives in Paris. → User lives in Lyon."
        )
        expect(chat.memory_used("User lives in Lyon.")).to_have_count(1)
        chat.memory_used("avatar").get_by_role("button", name="Forget").click()
        expect(page.locator("#fix-notice")).to_contain_text("Forgot: User's avatar is")
        expect(chat.memory_used("avatar")).to_have_count(0)
        chat.shot("22-gradio-fixed.png")

        # the manager: search, edit, history, delete
        chat.tab("🗂 Memory manager")
        expect(page.locator("#manager-status")).to_contain_text("newest first")
        search = page.get_by_placeholder("Search memories…")
        search.fill("where do I live")
        search.press("Enter")
        expect(page.locator("#manager-status")).to_contain_text("best match first")
        chat.pick("Memory to edit, see the history of, or delete", "User lives in Lyon. (semantic)")
        expect(page.get_by_label("Memory text")).to_have_value("User lives in Lyon.")
        expect(page.get_by_text("UPDATE").first).to_be_visible()
        page.get_by_label("Memory text").fill("User lives in Marseille.")
        page.get_by_role("button", name="Save changes").click()
        chat.notice("Saved: User lives in Marseille.")
        expect(page.locator("#memory-table")).to_contain_text("User lives in Marseille.")
        chat.shot("23-gradio-manager.png")
        chat.pick("Memory to edit, see the history of, or delete", "User lives in Marseille. (semantic)")
        page.get_by_role("button", name="Delete this memory").click()
        chat.notice("Deleted: User lives in Marseille.")
        expect(page.locator("#memory-table")).not_to_contain_text("User lives in Marseille.")

        # documents
        expect(page.locator("#document-table")).to_contain_text("garden-notes.txt")
        chat.pick("Document to delete (with all its memories)", re.compile("garden-notes.txt"))
        page.get_by_role("button", name="Delete document").click()
        chat.notice("Deleted the document")
        expect(page.locator("#document-table")).not_to_contain_text("garden-notes.txt")

        # graph
        chat.tab("🕸 Graph")
        expect(page.locator("#graph-svg svg")).to_be_visible()
        expect(page.locator("#graph-svg")).to_contain_text("Acme")
        expect(page.locator("#graph-svg")).to_contain_text("works at")
        chat.shot("24-gradio-graph.png")

        # export, then import into another user's memory, then delete all with confirmation
        chat.tab("🗂 Memory manager")
        page.get_by_role("button", name="Export all memories (JSON)").click()
        chat.notice("Exported")
        with page.expect_download() as download:
            page.locator("#export-file").get_by_role("link").first.click()
        exported = tmp_path / "export.json"
        download.value.save_as(exported)
        page.locator("#user input, #user textarea").first.fill("grace")
        page.locator("#import-file input[type=file]").set_input_files(str(exported))
        expect(page.locator("#import-file")).to_contain_text("export.json")
        page.get_by_role("button", name="⬆ Import", exact=True).click()
        chat.notice("Imported")
        chat.shot("25-gradio-import.png")
        page.get_by_role("button", name="Delete all memories").click()
        chat.notice("Type DELETE in the box to confirm")
        page.get_by_label("Type DELETE to confirm").fill("DELETE")
        page.get_by_role("button", name="Delete all memories").click()
        chat.notice("Deleted all")
        expect(page.locator("#manager-status")).to_contain_text("No memory matches these filters")
        search.fill("")
        search.press("Enter")
        expect(page.locator("#manager-status")).to_contain_text("Nothing remembered yet")
        chat.shot("26-gradio-deleted-all.png")
        assert pixel.hits == [], pixel.hits  # nothing on any tab loaded a remote image
