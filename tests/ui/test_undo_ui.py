"""Ask before overwriting, undo after, in the Streamlit chat (AppTest, real stores, no LLM).

The offline extractor asks before a retraction that could end either of two held facts ("I'm not into
pottery anymore" with two pottery facts), so that question needs no language model."""

from __future__ import annotations

import pytest

from memory import Memory, MemoryConfig, MemoryType
from tests.ui.test_app import plain, say, start


@pytest.fixture
def reader(app_env):
    memory = Memory(MemoryConfig(data_dir=app_env))
    yield memory
    memory.close()


def facts(reader: Memory, past: bool = False) -> list[str]:
    found = reader.get_all(user_id="ada", types=[MemoryType.SEMANTIC], include_past=past)
    return sorted(m.text for m in found)


def buttons(at, prefix: str) -> list:  # noqa: ANN001
    return [b for b in at.button if b.key and b.key.startswith(prefix)]


def captions(at) -> list[str]:  # noqa: ANN001
    return [plain(c.value) for c in at.caption]


LOVES, SELLS = "User loves pottery classes.", "User sells their pottery at the market."


def ask_about_pottery(at) -> list:  # noqa: ANN001
    say(at, "I love pottery classes.")
    say(at, "I sell my pottery at the market.")
    say(at, "I'm not into pottery anymore.")
    asked = [plain(m.value) for m in at.markdown if "You told me you " in m.value]
    assert asked and "no longer true" in asked[-1], asked
    return buttons(at, "ask_")


def test_a_question_is_asked_with_its_buttons_and_apply_answers_it(app_env, reader):
    at = start()
    asked = ask_about_pottery(at)
    assert sorted(b.label for b in asked) == ["Apply", "Ignore"]  # no Keep both for a retraction
    assert facts(reader) == [LOVES, SELLS]  # asked, not applied
    next(b for b in asked if b.label == "Apply").click().run()
    assert not at.exception, at.exception
    assert facts(reader) == [SELLS]
    assert facts(reader, past=True) == [LOVES, SELLS]
    assert not buttons(at, "ask_")  # answered: the question is gone
    assert not any("You told me you " in m.value for m in at.markdown)
    assert any("✗ No longer true: User loves pottery classes." in c for c in captions(at)), captions(at)
    assert reader.pending("ada") == []


def test_ignore_keeps_the_memory_and_drops_the_question(app_env, reader):
    at = start()
    asked = ask_about_pottery(at)
    next(b for b in asked if b.label == "Ignore").click().run()
    assert not at.exception, at.exception
    assert facts(reader) == [LOVES, SELLS]
    assert not buttons(at, "ask_")
    assert any("Kept as it was: User loves pottery classes." in c for c in captions(at)), captions(at)
    assert reader.pending("ada") == []


def test_undo_takes_back_what_a_turn_remembered(app_env, reader):
    at = start()
    say(at, "I live in Paris.")
    [undo] = [b for b in buttons(at, "undo_") if b.label == "Undo"]
    assert "User lives in Paris." in facts(reader)
    undo.click().run()
    assert not at.exception, at.exception
    assert "User lives in Paris." not in facts(reader)
    assert any("↩ Undone: Remembered: User lives in Paris." in c for c in captions(at)), captions(at)
    assert not buttons(at, "undo_")


def test_an_applied_answer_can_be_undone_and_a_refused_undo_says_why(app_env, reader):
    at = start()
    asked = ask_about_pottery(at)
    remembered = buttons(at, "undo_")[0]  # the first turn's "Remembered" (LOVES); shown in turn order
    before = {b.key for b in buttons(at, "undo_")}
    next(b for b in asked if b.label == "Apply").click().run()
    [retracted] = [b for b in buttons(at, "undo_") if b.key not in before]

    at.button(key=remembered.key).click().run()  # a later change retracted it: refused, in words
    assert not at.exception, at.exception
    assert any("⚠ A later change replaced or retracted" in c for c in captions(at)), captions(at)
    assert facts(reader) == [SELLS]

    at.button(key=retracted.key).click().run()
    assert not at.exception, at.exception
    assert facts(reader) == [LOVES, SELLS]  # current again
    assert any("↩ Undone: No longer true: User loves pottery classes." in c for c in captions(at))
    assert retracted.key not in {b.key for b in buttons(at, "undo_")}


# -- Gradio: the same through the chat reply and the functions its buttons call ----------------------
def gradio_turn(assistant, text: str, state: dict) -> dict:  # noqa: ANN001
    from ui.gradio_chat import chat_reply
    from ui.gradio_questions import actions_state

    written: list = []
    for _ in chat_reply(assistant, {"text": text}, [], "ada", False, "s1", None, written.append):
        pass
    return actions_state(written[0] if written else None, state)


def test_gradio_asks_answers_and_undoes(memory):
    from memory.assistant import Assistant
    from ui.gradio_questions import actions_state, answer_question, questions_of, undo_change, undo_label

    with Assistant(memory) as assistant:
        state = gradio_turn(assistant, "I love pottery classes.", actions_state())
        state = gradio_turn(assistant, "I sell my pottery at the market.", state)
        state = gradio_turn(assistant, "I'm not into pottery anymore.", state)
    [question] = state["questions"]
    assert question["question"].startswith("You told me you ") and question["choices"] == ["apply", "ignore"]
    assert questions_of(memory, "ada")["questions"] == [question]  # asked again when ada is picked
    assert questions_of(memory, "grace")["questions"] == [] and questions_of(memory, "")["questions"] == []
    remembered = next(o for o in state["undo"] if undo_label(o) == f"↩ Undo Remembered: {LOVES}")
    kept = [o["id"] for o in state["undo"]]

    state, said = answer_question(memory, "ada", state, question["id"], "apply")
    assert state["questions"] == [] and "No longer true: User loves pottery classes." in plain(said)
    assert [m.text for m in memory.get_all(user_id="ada", types=[MemoryType.SEMANTIC])] == [SELLS]
    [retracted] = [o for o in state["undo"] if o["id"] not in kept]

    state, said = undo_change(memory, "ada", state, remembered["id"])  # refused: retracted since
    assert said.startswith("⚠ ") and "undo that change first" in plain(said)
    assert len(state["undo"]) == len(kept) + 1

    state, said = undo_change(memory, "ada", state, retracted["id"])
    assert plain(said) == "↩ Undone: No longer true: User loves pottery classes. (kept as the past)"
    assert [o["id"] for o in state["undo"]] == kept
    assert sorted(m.text for m in memory.get_all(user_id="ada", types=[MemoryType.SEMANTIC])) == [
        LOVES,
        SELLS,
    ]
    state, said = answer_question(memory, "ada", state, question["id"], "ignore")
    assert said.startswith("⚠ ")  # already answered


def test_a_correction_from_the_panel_can_be_undone(app_env, reader):
    from tests.ui.test_app import panel_texts
    from tests.ui.test_fix import panel_button

    at = start()
    say(at, "I live in Paris.")
    say(at, "Where do I live?")
    button, fact = panel_button(at, reader, "edit", "Paris")
    button.click().run()
    prefix = button.key.removesuffix("_edit")
    before = {b.key for b in buttons(at, "undo_")}  # the first turn's "Remembered"
    at.text_area(key=f"{prefix}_text").set_value("User lives in Lyon.")
    at.button(key=f"{prefix}_save").click().run()
    assert reader.get(fact.id, user_id="ada").text == "User lives in Lyon."
    assert any("✎ Corrected: User lives in Paris. → User lives in Lyon." in c for c in captions(at))
    [undo] = [b for b in buttons(at, "undo_") if b.key not in before]
    undo.click().run()
    assert not at.exception, at.exception
    assert reader.get(fact.id, user_id="ada").text == "User lives in Paris."
    assert any("↩ Undone: Corrected: User lives in Paris. → User lives in Lyon." in c for c in captions(at))
    assert any("User lives in Paris." in t for t in panel_texts(at))  # the panel shows it again
