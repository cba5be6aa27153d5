"""Fix it from the answer (AppTest): edit, forget and "this is wrong" under each memory used, the
receipt under each answer, the chat totals in the sidebar, and the verified e-mail rule."""

from __future__ import annotations

import pytest

from memory import Memory, MemoryConfig
from tests.ui.test_app import panel_texts, plain, say, start
from ui.sidebar import verified_email


@pytest.fixture
def reader(app_env):
    memory = Memory(MemoryConfig(data_dir=app_env))
    yield memory
    memory.close()


def panel_button(at, reader, action: str, text: str):  # noqa: ANN201
    """The panel's ``action`` button of the memory whose stored text contains ``text``."""
    (target,) = [m for m in reader.get_all(user_id="ada") if text in m.text and m.type.value == "semantic"]
    return next(b for b in at.button if b.key and b.key.endswith(f"_{target.id}_{action}")), target


def test_forget_from_the_answer_removes_it_at_once(app_env, reader):
    at = start()
    say(at, "My name is Ada and I live in Paris.")
    say(at, "Where do I live?")
    assert any("User lives in Paris." in t for t in panel_texts(at))
    button, fact = panel_button(at, reader, "forget", "Paris")
    button.click().run()
    assert not at.exception, at.exception
    assert all(m.id != fact.id for m in reader.get_all(user_id="ada"))
    assert not any("User lives in Paris." in t for t in panel_texts(at))  # gone from the panel
    assert any("🗑 Forgot: User lives in Paris." in plain(c.value) for c in at.caption)


def test_asking_in_the_chat_to_forget_takes_it_out_of_every_panel(app_env):
    """The search behind the answer found the fact before the turn forgot it: once the write is done,
    the panel beside that answer no longer shows it, nor the chat turn it was read from, and neither
    does the panel of an earlier answer that used them."""
    at = start()
    say(at, "I live in Paris.")
    say(at, "Where do I live?")
    assert any("User lives in Paris." in t for t in panel_texts(at))
    say(at, "Please forget that I live in Paris.")
    assert not at.exception, at.exception
    assert not any("Paris" in t for t in panel_texts(at)), panel_texts(at)


def test_this_is_wrong_opens_the_editor_and_saves_the_correction(app_env, reader):
    at = start()
    say(at, "I live in Paris.")
    say(at, "Where do I live?")
    button, fact = panel_button(at, reader, "wrong", "Paris")
    button.click().run()
    prefix = button.key.removesuffix("_wrong")
    assert any("What is right?" in c.value for c in at.caption)
    at.text_area(key=f"{prefix}_text").set_value("User lives in Lyon.")
    at.button(key=f"{prefix}_save").click().run()
    assert not at.exception, at.exception
    assert reader.get(fact.id, user_id="ada").text == "User lives in Lyon."
    assert any("User lives in Lyon." in t for t in panel_texts(at))
    assert any(
        "✎ Corrected: User lives in Paris. → User lives in Lyon." in plain(c.value) for c in at.caption
    )
    assert [e.event.value for e in reader.history(fact.id, user_id="ada")][-1] == "UPDATE"


def test_each_answer_has_a_receipt_and_the_sidebar_totals_them(app_env):
    at = start()
    say(at, "I live in Paris.")
    say(at, "Where do I live?")
    receipts = [plain(c.value) for c in at.caption if "retrieval " in c.value]
    assert len(receipts) == 2 and all("no LLM" in r and " ms" in r for r in receipts), receipts
    assert "memory: " in receipts[0] and "added" in receipts[0]
    totals = [plain(c.value) for c in at.sidebar.caption if "This chat" in c.value]
    assert totals and "2 turns · no LLM" in totals[0], totals


def test_deployment_mode_takes_only_a_verified_case_folded_email():
    assert verified_email({"email": "Ada@Example.ORG", "email_verified": True}) == ("ada@example.org", None)
    email, problem = verified_email({"email": "ada@example.org", "email_verified": False})
    assert email == "" and "not verified" in problem
    email, problem = verified_email({"email": "ada@example.org"})  # a provider that does not say
    assert email == "" and "not verified" in problem
    email, problem = verified_email({"sub": "1234", "email_verified": True})
    assert email == "" and "did not give an e-mail" in problem
