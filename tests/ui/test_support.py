"""Support mode in the Streamlit app (AppTest): the agent in the sidebar, the operator page, and a chat
that says which memories are the agent's and which the customer's."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from memory import Memory, MemoryConfig, MemoryType
from tests.ui.test_app import APP, panel_texts, say

AGENT = "support-bot"


@pytest.fixture
def support_env(app_env, monkeypatch):
    monkeypatch.setenv("MEMORY_APP__MODE", "support")
    monkeypatch.setenv("MEMORY_APP__AGENT_NAME", "Casey from Example Home")
    return app_env


def start() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def agent_memory(data_dir) -> list:
    with Memory(MemoryConfig(data_dir=data_dir)) as reader:
        return reader.get_all(agent_id=AGENT, scope="agent")


def test_operator_sets_the_playbook_and_customers_see_it_labelled(support_env):
    at = start()
    assert any("Casey from Example Home" in m.value for m in at.sidebar.markdown)
    at.switch_page("ui/pages/operator.py").run()
    assert not at.exception, at.exception
    at.text_area(key="operator_text").input("Always offer a replacement before a refund.")
    at.radio(key="operator_kind").set_value("Rule (playbook)")
    next(b for b in at.button if b.label == "Add to the agent's memory").click().run()
    assert not at.exception, at.exception
    rules = agent_memory(support_env)
    assert [(r.type, r.text) for r in rules] == [
        (MemoryType.PROCEDURAL, "Always offer a replacement before a refund.")
    ]
    # Edit it on the page: same id, history shows both texts.
    rule = rules[0]
    at.text_input(key=f"operator_edit_{rule.id}").input(
        "Always offer a replacement or a repair before a refund."
    ).run()
    at.button(key=f"operator_save_{rule.id}").click().run()
    assert not at.exception, at.exception
    assert [r.text for r in agent_memory(support_env)] == [
        "Always offer a replacement or a repair before a refund."
    ]
    assert any("UPDATE" in c.value for c in at.caption)

    at.switch_page("ui/pages/chat.py").run()
    say(at, "My blender arrived broken, order 4471. Can I get a refund?")
    texts = panel_texts(at)
    assert any("agent" in t and "replacement or a repair" in t for t in texts), texts
    say(at, "What about my order 4471?")
    texts = panel_texts(at)
    assert any("customer" in t and "4471" in t for t in texts), texts
    # The customer's turns never changed the agent's memory.
    assert [r.text for r in agent_memory(support_env)] == [
        "Always offer a replacement or a repair before a refund."
    ]


def test_demo_mode_has_no_operator_page_and_no_labels(app_env):
    at = start()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("ui/pages/operator.py")
    say(at, "I live in Paris.")
    say(at, "Where do I live?")
    texts = panel_texts(at)
    assert any("Paris" in t for t in texts) and not any("customer" in t for t in texts)


def test_gradio_support_mode_labels_memories_and_the_operator_tab_manages_the_agent(make_memory, tmp_path):
    import gradio as gr

    from memory.assistant import Assistant
    from ui import gradio_operator as operator
    from ui.gradio_app import build_app
    from ui.gradio_chat import chat_reply, hit_line

    memory = make_memory(app={"mode": "support", "agent_id": AGENT})
    rule = "Always offer a replacement before a refund."
    assert operator.add_entry(memory, AGENT, rule, "Rule (playbook)") == "✓ Added."
    assert operator.add_entry(memory, AGENT, "  ", "Rule (playbook)").startswith("Type")
    (item,) = memory.get_all(agent_id=AGENT, scope="agent")
    assert item.type == MemoryType.PROCEDURAL and item.source.role == "operator"
    edited = "Always offer a replacement or a repair before a refund."
    assert operator.save_entry(memory, AGENT, item.id, edited) == "✎ Saved."
    assert "UPDATE" in operator.entry_history(memory, AGENT, item.id)
    policy = tmp_path / "policy.txt"
    policy.write_text("Items can be returned within 30 days of delivery.")
    assert operator.upload(memory, AGENT, str(policy)) == "📄 Read policy.txt."
    listing, _ = operator.agent_listing(memory, AGENT)
    assert "or a repair" in listing and "policy.txt" in listing
    with Assistant(memory) as assistant:
        assert isinstance(build_app(assistant), gr.Blocks)
        *_, (history, _, used, _, _) = chat_reply(
            assistant, {"text": "Can I return my broken blender, order 4471?"}, [], "ada", False, "s1"
        )
        *_, (history, _, used, _, _) = chat_reply(
            assistant, {"text": "What about order 4471 and a refund?"}, history, "ada", False, "s1"
        )
    lines = [hit_line(h) for h in used]
    assert any("**agent**" in line and "or a repair" in line for line in lines), lines
    assert any("**customer**" in line and "4471" in line for line in lines), lines
    # A customer's chat never changed the agent's memory; the operator can still delete from it.
    assert [i.text for i in memory.get_all(agent_id=AGENT, scope="agent", types=[MemoryType.PROCEDURAL])] == [
        edited
    ]
    assert operator.delete_entry(memory, AGENT, item.id) == "🗑 Deleted."
    assert memory.get_all(agent_id=AGENT, scope="agent", types=[MemoryType.PROCEDURAL]) == []
