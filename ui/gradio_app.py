"""Memory Chat in Gradio over the same Assistant: `python -m ui.gradio_app` serves 127.0.0.1:7860.

Tabs: Chat (memories used, each fixable; a receipt per turn), Memory manager, Graph."""

from __future__ import annotations

import os
import uuid

import gradio as gr

from memory import Memory, MemoryConfig
from memory.assistant import Assistant
from ui.deployment import support_agent
from ui.gradio_chat import chat_reply, panel_state, render_panel, totals_markdown
from ui.gradio_graph import build_graph
from ui.gradio_manager import build_manager
from ui.gradio_operator import build_operator
from ui.gradio_questions import actions_state, questions_of, render_actions
from ui.markup import escape
from ui.services import NO_LLM_TEXT

FILE_TYPES = [".pdf", ".png", ".jpg", ".jpeg", ".webp", ".gif", ".txt", ".md"]


def build_app(assistant: Assistant) -> gr.Blocks:
    memory = assistant.memory
    llm = memory.config.llm
    status = f"🤖 Model: {llm.model}" if not assistant.offline else f"⚙️ {NO_LLM_TEXT}"
    with gr.Blocks(title="Memory Chat") as demo:
        gr.Markdown("# 🧠 Memory Chat\nA chat assistant that remembers you across chats.")
        agent_id = support_agent(memory.config)
        if agent_id is not None:  # support mode: the agent customers talk to
            app = memory.config.app
            gr.Markdown(f"🎧 **{escape(app.agent_name)}** · {escape(app.agent_persona)}", elem_id="persona")
        session = gr.State(lambda: str(uuid.uuid4()))
        panel = gr.State(panel_state([]))  # the memories the last answer used; the open editor
        receipts = gr.State([])
        actions = gr.State(actions_state())  # questions to answer, changes that can be undone
        with gr.Row():
            user = gr.Textbox(
                value="ada", label="User", info="Each user has separate memories.", scale=2, elem_id="user"
            )
            temporary = gr.Checkbox(label="🕶 Temporary chat (nothing is remembered)", scale=1)
        with gr.Tab("💬 Chat"):
            with gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(label="Chat", height=480, buttons=["copy"], elem_id="chatbot")
                    box = gr.MultimodalTextbox(
                        file_types=FILE_TYPES,
                        file_count="multiple",
                        placeholder="Message the assistant, or attach a file…",
                        show_label=False,
                        elem_id="chat-box",
                    )
                with gr.Column(scale=2):

                    @gr.render(inputs=[panel])
                    def draw_panel(state):  # noqa: ANN001, ANN202
                        render_panel(assistant, state, user, panel, notice)

                    notice = gr.Markdown(elem_id="fix-notice")
                    notes = gr.Markdown(elem_id="memory-notes")

                    @gr.render(inputs=[actions])
                    def draw_actions(state):  # noqa: ANN001, ANN202
                        render_actions(memory, state, user, actions, answered)

                    answered = gr.Markdown(elem_id="answer-notice")
                    totals = gr.Markdown(elem_id="chat-totals")
                    gr.Markdown(status)

            def respond(message, history, user_id, temp, session_id, so_far, asked):  # noqa: ANN001, ANN202
                written: list = []
                for chat, cleared, hits, said, kept in chat_reply(
                    assistant, message, history or [], user_id, temp, session_id, so_far, written.append
                ):
                    now = actions_state(written[0] if written else None, asked)
                    yield chat, cleared, panel_state(hits), said, "", kept, totals_markdown(kept), now

            box.submit(
                respond,
                [box, chatbot, user, temporary, session, receipts, actions],
                [chatbot, box, panel, notes, notice, receipts, totals, actions],
                api_name="chat",
            )
            for trigger in (user.change, demo.load):  # another user: their open questions, no Undo
                trigger(
                    lambda u: (questions_of(memory, u), ""),
                    user,
                    [actions, answered],
                    api_visibility="private",
                )
        with gr.Tab("🗂 Memory manager") as manager_tab:
            build_manager(memory, user, manager_tab)
        with gr.Tab("🕸 Graph") as graph_tab:
            build_graph(memory, user, graph_tab)
        if agent_id is not None:
            with gr.Tab("🎧 Agent memory") as operator_tab:
                build_operator(memory, agent_id, operator_tab)
    return demo


def main() -> None:
    memory = Memory(MemoryConfig())
    assistant = Assistant(memory)
    try:
        port = int(os.environ.get("GRADIO_SERVER_PORT", "7860"))
        build_app(assistant).launch(server_name="127.0.0.1", server_port=port)
    finally:
        assistant.close()
        memory.close()


if __name__ == "__main__":
    main()
