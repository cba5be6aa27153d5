"""Memory Chat in Gradio over the same Assistant: `python -m ui.gradio_app` serves 127.0.0.1:7860.

Tabs: Chat (memories used, each fixable; a receipt per turn), Memory manager, Graph."""

from __future__ import annotations

import os
import uuid

import gradio as gr

from memory import Memory, MemoryConfig
from memory.assistant import Assistant
from ui.gradio_chat import chat_reply, render_panel, totals_markdown
from ui.gradio_graph import build_graph
from ui.gradio_manager import build_manager
from ui.services import NO_LLM_TEXT

FILE_TYPES = [".pdf", ".png", ".jpg", ".jpeg", ".webp", ".gif", ".txt", ".md"]


def build_app(assistant: Assistant) -> gr.Blocks:
    memory = assistant.memory
    llm = memory.config.llm
    status = f"🤖 Model: {llm.model}" if not assistant.offline else f"⚙️ {NO_LLM_TEXT}"
    with gr.Blocks(title="Memory Chat") as demo:
        gr.Markdown("# 🧠 Memory Chat\nA chat assistant that remembers you across chats.")
        session = gr.State(lambda: str(uuid.uuid4()))
        used = gr.State([])  # the memories the last answer used, as plain records
        editing = gr.State(None)  # {"id", "mode"} of the memory whose editor is open
        receipts = gr.State([])
        with gr.Row():
            user = gr.Textbox(value="ada", label="User", info="Each user has separate memories.", scale=2)
            temporary = gr.Checkbox(label="🕶 Temporary chat (nothing is remembered)", scale=1)
        with gr.Tab("💬 Chat"):
            with gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(label="Chat", height=480, buttons=["copy"])
                    box = gr.MultimodalTextbox(
                        file_types=FILE_TYPES,
                        file_count="multiple",
                        placeholder="Message the assistant, or attach a file…",
                        show_label=False,
                    )
                with gr.Column(scale=2):

                    @gr.render(inputs=[used, editing])
                    def panel(hits, open_editor):  # noqa: ANN001, ANN202
                        render_panel(assistant, hits, open_editor, user, used, editing, notice)

                    notice = gr.Markdown(elem_classes=["fix-notice"])
                    notes = gr.Markdown(elem_classes=["memory-notes"])
                    totals = gr.Markdown(elem_classes=["chat-totals"])
                    gr.Markdown(status)

            def respond(message, history, user_id, temp, session_id, so_far):  # noqa: ANN001, ANN202
                for chat, cleared, hits, said, kept in chat_reply(
                    assistant, message, history or [], user_id, temp, session_id, so_far
                ):
                    yield chat, cleared, hits, None, said, "", kept, totals_markdown(kept)

            box.submit(
                respond,
                [box, chatbot, user, temporary, session, receipts],
                [chatbot, box, used, editing, notes, notice, receipts, totals],
                api_name="chat",
            )
        with gr.Tab("🗂 Memory manager"):
            build_manager(memory, user)
        with gr.Tab("🕸 Graph"):
            build_graph(memory, user)
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
