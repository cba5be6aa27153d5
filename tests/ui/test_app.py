"""The Streamlit app through AppTest: chat with the memory panel, temporary chat, the manager."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from memory import Memory, MemoryConfig
from memory.memory import MemoryInput
from memory.types import Relation

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def start() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def say(at: AppTest, text: str) -> AppTest:
    at.chat_input(key="chat_input").set_value(text).run()
    assert not at.exception, at.exception
    return at


def plain(text: str) -> str:
    """Rendered text: the app escapes markdown in memory texts."""
    return text.replace("\\", "")


def panel_texts(at: AppTest) -> list[str]:
    return [plain(m.value) for e in at.expander if "memor" in e.label for m in e.markdown]


@pytest.fixture
def reader(app_env):
    """A second Memory on the app's data directory, to check what the app stored."""
    memory = Memory(MemoryConfig(data_dir=app_env))
    yield memory
    memory.close()


def test_chat_shows_the_memories_an_answer_used(app_env, reader):
    at = start()
    say(at, "My name is Ada and I live in Paris.")
    notes = [plain(c.value) for c in at.caption]
    assert any("✓ Remembered: User lives in Paris." in n for n in notes), notes
    say(at, "Where do I live?")
    labels = [e.label for e in at.expander]
    assert any(label.endswith("memories used") for label in labels), labels
    assert any("User lives in Paris" in t for t in panel_texts(at))
    assert any("semantic" in t for t in panel_texts(at))
    assert any("% similar" in t for t in panel_texts(at))
    assert [t.text for t in reader.get_all(user_id="ada") if "Paris" in t.text]


def test_temporary_chat_remembers_nothing(app_env, reader):
    at = start()
    at.toggle(key="temporary_chat").set_value(True).run()
    assert any("Temporary chat" in i.value for i in at.info)
    say(at, "My name is Ada and I live in Paris.")
    assert any("not remembered" in c.value for c in at.caption)
    assert reader.count(user_id="ada") == 0


def test_users_have_separate_memories(app_env, reader):
    at = start()
    say(at, "I live in Lisbon.")
    at.selectbox(key="user_picker").set_value("grace").run()
    say(at, "Where do I live?")
    assert not any("Lisbon" in t for t in panel_texts(at))
    assert reader.count(user_id="grace") >= 1 and reader.count(user_id="ada") >= 1


def test_empty_message_does_nothing(app_env):
    at = start()
    say(at, "   ")
    assert not at.chat_message


def test_uploaded_file_is_ingested_then_the_question_answered(app_env):
    at = start()
    chat_input = at.chat_input(key="chat_input")
    chat_input.upload("notes.txt", b"The spare key is under the blue flowerpot.", "text/plain")
    chat_input.set_value("Where is the spare key?").run()
    assert not at.exception, at.exception
    assert any("notes.txt" in plain(m.value) and "remembered" in m.value for m in at.markdown)
    assert any("blue flowerpot" in t for t in panel_texts(at))


def test_manager_edits_and_deletes(app_env, reader):
    reader.add("I work at Acme.", user_id="ada")
    fact = next(m for m in reader.get_all(user_id="ada") if m.type.value == "semantic")
    at = start()
    at.switch_page("ui/pages/manager.py").run()
    assert not at.exception, at.exception
    at.text_area(key=f"edit_{fact.id}").set_value("User works at Globex.")
    at.button(key=f"save_{fact.id}").click().run()
    assert not at.exception, at.exception
    assert reader.get(fact.id, user_id="ada").text == "User works at Globex."
    assert any("Saved" in s.value for s in at.success)
    assert [e.event.value for e in reader.history(fact.id, user_id="ada")][-1] == "UPDATE"

    at.button(key=f"delete_{fact.id}").click().run()
    assert not at.exception, at.exception
    assert all(m.id != fact.id for m in reader.get_all(user_id="ada"))
    assert f"delete_{fact.id}" not in [b.key for b in at.button]


def test_manager_empty_state_and_delete_all(app_env, reader):
    at = start()
    at.switch_page("ui/pages/manager.py").run()
    assert any("Nothing remembered yet" in i.value for i in at.info)
    reader.add("My favourite colour is green.", user_id="ada")
    at.run()
    assert at.button(key="mm_delete_all").disabled
    at.text_input(key="mm_delete_confirm").input("DELETE").run()
    at.button(key="mm_delete_all").click().run()
    assert not at.exception, at.exception
    assert reader.count(user_id="ada") == 0
    assert any("Nothing remembered yet" in i.value for i in at.info)


def test_graph_page_draws_relations(app_env, reader):
    reader.add("I live in Paris.", user_id="ada")
    at = start()
    at.switch_page("ui/pages/graph.py").run()
    assert not at.exception, at.exception
    charts = at.get("graphviz_chart")
    assert charts and "Paris" in charts[0].proto.spec


def test_a_large_graph_shows_its_newest_relations_and_one_entitys_neighbourhood(app_env, reader, monkeypatch):
    monkeypatch.setattr("ui.graph_window.VIEW_EDGES", 3)
    cities = ["Paris", "Lyon", "Nice", "Lille", "Brest"]
    reader.add_batch(
        [
            MemoryInput(
                text=f"I visited {city}.",
                relations=[Relation(subject="user", relation="visited", object=city)],
                occurred_at=datetime(2024, 1, 1 + i, tzinfo=UTC),
            )
            for i, city in enumerate(cities)
        ],
        user_id="ada",
    )
    at = start()
    at.switch_page("ui/pages/graph.py").run()
    assert not at.exception, at.exception
    spec = at.get("graphviz_chart")[0].proto.spec
    assert all(city in spec for city in ["Nice", "Lille", "Brest"]) and "Paris" not in spec
    assert any("Showing the 3 newest of 5 relations" in c.value for c in at.caption)
    at.text_input(key="graph_focus").input("paris").run()
    spec = at.get("graphviz_chart")[0].proto.spec
    assert "Paris" in spec and "Brest" not in spec
    at.text_input(key="graph_focus").input("Atlantis").run()
    assert any("No relations around" in i.value for i in at.info)


def test_a_new_browser_session_reopens_earlier_chats(app_env):
    first = start()
    say(first, "My name is Ada and I live in Paris.")
    say(first, "Where do I live?")
    again = start()  # a new browser session on the same data
    chat_button = next(b for b in again.button if b.label.startswith("My name is Ada"))
    chat_button.click().run()
    assert not again.exception, again.exception
    shown = [plain(m.value) for m in again.markdown]
    assert any("Where do I live?" in t for t in shown) and any("From what I remember" in t for t in shown), (
        shown
    )


def test_a_bad_file_is_explained_in_words_and_the_question_still_answered(app_env, reader):
    at = start()
    chat_input = at.chat_input(key="chat_input")
    chat_input.upload("report.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50, "application/pdf")
    chat_input.set_value("What does the report say?").run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert errors and "report.pdf" in errors[0] and "Traceback" not in errors[0]
    assert reader.documents(user_id="ada") == []  # nothing of the file was kept
    assert [m.text for m in reader.get_all(user_id="ada")] == ["What does the report say?"]  # the turn was


def test_an_unreachable_model_is_explained_and_the_turn_still_remembered(app_env, reader, monkeypatch):
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("MEMORY_LLM__BASE_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("MEMORY_LLM__MODEL", "stub")
    monkeypatch.setenv("MEMORY_LLM__TIMEOUT_S", "2")
    monkeypatch.setenv("MEMORY_LLM__MAX_RETRIES", "0")
    at = start()
    say(at, "I live in Paris.")
    shown = " ".join(plain(m.value) for m in at.markdown)
    assert "could not be reached" in shown and "Traceback" not in shown
    assert "User lives in Paris." in [m.text for m in reader.get_all(user_id="ada")]


def test_manager_shows_the_past_when_asked(app_env, reader):
    reader.add("I live in Boston.", user_id="ada")
    reader.add("I moved to Denver.", user_id="ada")
    at = start()
    at.switch_page("ui/pages/manager.py").run()
    assert not at.exception, at.exception

    def shown() -> str:  # the memory cards: badge and text, then their captions
        cards = [plain(m.value) for m in at.markdown if "-badge[" in m.value]
        return " ".join(cards) + " ".join(c.value for c in at.caption)

    assert "User lives in Denver." in shown() and "User lives in Boston." not in shown()
    at.toggle(key="mm_past").set_value(True).run()
    assert not at.exception, at.exception
    assert "User lives in Boston." in shown() and "past, until" in shown()
