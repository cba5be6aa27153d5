"""The Gradio app builds; its reply function answers with the memories it used, a receipt and chat
totals; a memory used can be corrected or forgotten from the panel; replies load nothing remote."""

from __future__ import annotations

import gradio as gr

from memory.assistant import Assistant
from ui.gradio_app import build_app
from ui.gradio_chat import chat_reply, correct_memory, forget_memory, model_history


def last(assistant: Assistant, text: str, receipts=None):  # noqa: ANN001, ANN201
    *_, final = chat_reply(assistant, {"text": text}, [], "ada", False, "s1", receipts)
    return final


def test_gradio_app_answers_from_memory_with_a_receipt(memory):
    with Assistant(memory) as assistant:
        assert isinstance(build_app(assistant), gr.Blocks)
        _, _, _, _, receipts = last(assistant, "I live in Oslo.")
        history, cleared, used, notes, receipts = last(assistant, "Where do I live?", receipts)
    assert cleared is None
    assert [m["role"] for m in history] == ["user", "assistant", "assistant"]
    receipt = history[-1]["metadata"]["title"]
    assert receipt.startswith("🧾 retrieval ") and receipt.endswith("no LLM") and "memory: 1 added" in receipt
    assert len(receipts) == 2 and any(hit["text"] == "User lives in Oslo." for hit in used)
    assert model_history(history) == [
        {"role": "user", "content": "Where do I live?"},
        {"role": "assistant", "content": history[1]["content"]},
    ]  # the receipt is not sent back to the model


def test_a_memory_used_is_corrected_or_forgotten_from_the_panel(memory):
    memory.add("I live in Oslo. My dog is called Rex.", user_id="ada")
    with Assistant(memory) as assistant:
        _, _, used, _, _ = last(assistant, "Where do I live and what is my dog called?")
        oslo = next(h for h in used if h["text"] == "User lives in Oslo.")
        used, editor, notice = correct_memory(assistant, "ada", oslo["id"], "User lives in Bergen.", used)
        assert editor is None and notice == "✎ Corrected: User lives in Oslo. → User lives in Bergen."
        assert memory.get(oslo["id"], user_id="ada").text == "User lives in Bergen."
        assert any(h["text"] == "User lives in Bergen." for h in used)
        used, _, notice = forget_memory(assistant, "ada", oslo["id"], used)
        assert notice.startswith("🗑 Forgot: User lives in Bergen.") and oslo["id"] not in [
            h["id"] for h in used
        ]
        assert all(m.id != oslo["id"] for m in memory.get_all(user_id="ada"))
        _, _, notice = forget_memory(assistant, "grace", used[0]["id"], used)  # not grace's memory
        assert notice.startswith("⚠") and memory.get(used[0]["id"], user_id="ada")


def test_asking_in_the_chat_to_forget_takes_it_out_of_the_panel(memory):
    with Assistant(memory) as assistant:
        last(assistant, "I live in Oslo.")
        _, _, used, notes, _ = last(assistant, "Please forget that I live in Oslo.")
    assert not any("Oslo" in hit["text"] for hit in used), used
    assert not any("Oslo" in m.text for m in memory.get_all(user_id="ada", include_past=True))


def test_replies_and_user_text_are_made_inert(memory):
    with Assistant(memory) as assistant:
        history, *_ = last(
            assistant, 'See ![x](http://127.0.0.1:9/p.png) <img src="http://127.0.0.1:9/q.png">'
        )
    shown = history[0]["content"]
    assert "\\![x]" in shown and "&lt;img" in shown and "<img" not in shown
    assert model_history(history)[0]["content"].startswith("See ![x](http://127.0.0.1:9/p.png) <img")


def test_the_graph_tab_draws_the_newest_relations_and_says_how_many_there_are(memory, monkeypatch):
    from memory.memory import MemoryInput
    from memory.types import Relation
    from ui.gradio_graph import graph_view

    monkeypatch.setattr("ui.graph_window.VIEW_EDGES", 2)
    memory.add_batch(
        [
            MemoryInput(
                text=f"I visited {c}.", relations=[Relation(subject="user", relation="visited", object=c)]
            )
            for c in ["Oslo", "Bergen", "Tromsø"]
        ],
        user_id="ada",
    )
    svg, rows, status = graph_view(memory, "ada", include_past=True)
    assert len(rows) == 2 and status.startswith("The 2 newest of 3 relations")
    assert "<svg" in svg and sum(city in svg for city in ["Oslo", "Bergen", "Tromsø"]) == 2
    monkeypatch.setattr("ui.graph_window.VIEW_EDGES", 5)
    assert graph_view(memory, "ada", include_past=True)[2].startswith("3 relations.")
