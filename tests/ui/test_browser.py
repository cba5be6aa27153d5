"""The app in a real Chromium: memories used under answers, separate users, a PDF with page
provenance, a memory deleted in the manager that is gone from the chat, and the graph page.
Screenshots of each step go to test-artifacts/."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from fpdf import FPDF
from playwright.sync_api import expect

from ui.bench import launch_chromium, streamlit_server, wait_idle

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SECRET = "PELICAN-42"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_pdf(path: Path) -> Path:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 8, "Quarterly report of the Northwind bakery. Sales grew in every region.")
    pdf.add_page()
    pdf.multi_cell(0, 8, f"The secret launch code for the new oven is {SECRET}. Keep it safe.")
    pdf.output(str(path))
    return path


class Chat:
    """The few gestures the test needs, each waiting for the app to finish its run."""

    def __init__(self, page) -> None:  # noqa: ANN001
        self.page = page

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / name), full_page=True)

    def send(self, text: str, files: list[Path] | None = None) -> None:
        box = self.page.get_by_test_id("stChatInputTextArea")
        if files:
            with self.page.expect_file_chooser() as chooser:
                self.page.get_by_test_id("stChatInputFileUploadButton").click()
            chooser.value.set_files([str(f) for f in files])
            chips = self.page.get_by_test_id("stFileChip")
            chips.filter(has_text=files[-1].name).wait_for(state="visible")
            self.page.get_by_test_id("stFileChipIconSpinner").first.wait_for(state="detached")
        box.fill(text)
        box.press("Enter")
        wait_idle(self.page, started=True)

    def last_answer(self):  # noqa: ANN201
        return self.page.get_by_test_id("stChatMessage").last

    def panel_text(self) -> str:
        panel = (
            self.last_answer().get_by_test_id("stExpander").filter(has_text=re.compile(r"memor(y|ies) used"))
        )
        return panel.last.inner_text() if panel.count() else ""

    def open_page(self, name: str) -> None:
        self.page.get_by_test_id("stSidebarNavLink").filter(has_text=name).click()
        wait_idle(self.page, started=True)

    def pick_user(self, name: str) -> None:
        self.page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").click()
        self.page.get_by_role("option", name=name, exact=True).click()
        wait_idle(self.page, started=True)


def open_chat(browser, url: str, height: int = 1000) -> Chat:  # noqa: ANN001
    """A new page on the Streamlit app, once its chat input is there and the first run is done."""
    page = browser.new_page(viewport={"width": 1280, "height": height})
    page.set_default_timeout(60_000)
    page.goto(url)
    page.get_by_test_id("stChatInputTextArea").wait_for(state="visible", timeout=120_000)
    wait_idle(page)
    return Chat(page)


def test_chat_users_pdf_and_manager_in_a_real_browser(tmp_path):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    pdf = make_pdf(tmp_path / "northwind-report.pdf")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)  # a missing Chromium fails the test
        try:
            with streamlit_server(free_port(), tmp_path / "data", log=tmp_path / "streamlit.log") as url:
                chat = open_chat(browser, url)
                page = chat.page
                chat.shot("00-start.png")

                chat.send("My name is Ada and I live in Paris.")
                assert "Remembered" in chat.last_answer().inner_text()
                chat.send("Where do I live?")
                assert "User lives in Paris" in chat.panel_text()
                chat.shot("01-fact.png")

                chat.pick_user("Grace")
                chat.send("Where do I live?")
                assert "Paris" not in chat.last_answer().inner_text()
                sidebar = page.get_by_test_id("stSidebar")
                expect(sidebar.get_by_role("button", name="Where do I live?")).to_be_visible(timeout=15_000)
                chat.shot("02-other-user.png")

                chat.pick_user("Ada")
                expect(page.get_by_test_id("stChatMessage")).to_have_count(
                    4, timeout=15_000
                )  # Ada's chat is still there
                chat.send("What is the secret launch code?", files=[pdf])
                answer = chat.last_answer().inner_text()
                assert "northwind-report.pdf: 2 pages" in answer, answer
                assert SECRET in chat.panel_text() and "northwind-report.pdf p. 2" in chat.panel_text()
                chat.shot("03-pdf.png")

                chat.open_page("Memory manager")
                page.get_by_placeholder("Search memories…").fill("secret launch code")
                page.get_by_placeholder("Search memories…").press("Enter")
                wait_idle(page, started=True)
                card = page.locator('[class*="st-key-mem_"]').filter(has_text=SECRET)
                expect(card).to_have_count(1, timeout=15_000)
                chat.shot("04-manager.png")
                card.get_by_role("button", name="Delete").click()
                wait_idle(page, started=True)
                expect(page.locator('[class*="st-key-mem_"]').filter(has_text=SECRET)).to_have_count(
                    0, timeout=15_000
                )
                chat.shot("05-deleted.png")

                chat.open_page("Chat")
                chat.send("What is the secret launch code?")
                assert SECRET not in chat.last_answer().inner_text()
                chat.shot("06-gone.png")

                chat.open_page("Graph")
                page.get_by_test_id("stGraphVizChart").locator("svg").wait_for(state="visible")
                assert "Paris" in page.get_by_test_id("stGraphVizChart").inner_text()
                chat.shot("07-graph.png")
        finally:
            browser.close()
