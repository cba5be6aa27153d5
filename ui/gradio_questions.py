"""Ask before overwriting, undo after (Gradio): the questions a turn raised, each with Apply / Keep
both / Ignore, and an Undo button per change it made. The page keeps them as plain data in a State."""

from __future__ import annotations

from typing import Any

import gradio as gr

from memory import MemoryLayerError
from memory.types import AddResult, Operation, PendingChange
from ui.markup import escape
from ui.notices import CHOICE_LABELS, can_undo, describe_answer, describe_operation, describe_undone

UNDO_LABEL_CHARS = 80


def actions_state(result: AddResult | None = None, state: dict[str, Any] | None = None) -> dict[str, Any]:
    """Open questions and undoable changes: those of ``state`` plus those ``result`` brought."""
    questions = list((state or {}).get("questions") or [])
    undo = list((state or {}).get("undo") or [])
    if result is not None:
        questions += [c.model_dump(mode="json") for c in result.pending]
        undo += [op.model_dump(mode="json") for op in result.changed() if can_undo(op)]
    return {"questions": questions, "undo": undo}


def questions_of(memory: Any, user_id: str) -> dict[str, Any]:
    """The questions still open for this user (``Memory.pending``): shown when the user is picked."""
    try:
        pending = memory.pending((user_id or "").strip())
    except MemoryLayerError:  # no valid user name (yet): nothing to ask
        pending = []
    return {"questions": [c.model_dump(mode="json") for c in pending], "undo": []}


def answer_question(
    memory: Any, user_id: str, state: dict[str, Any], pending_id: str, choice: str
) -> tuple[dict[str, Any], str]:
    """Answer one question through ``Memory.apply``; it leaves the list. Returns (state, notice)."""
    questions = [q for q in state.get("questions") or [] if q["id"] != pending_id]
    change = next(
        (PendingChange.model_validate(q) for q in state.get("questions") or [] if q["id"] == pending_id), None
    )
    kept = {**state, "questions": questions}
    if change is None:
        return kept, "⚠ This question was already answered."
    try:
        result = memory.apply(pending_id, choice, user_id=user_id)
    except MemoryLayerError as exc:
        return kept, f"⚠ {escape(str(exc))}"
    notes = describe_answer(change, choice, result)
    return actions_state(result, kept), "  \n".join(escape(n) for n in notes)


def undo_change(
    memory: Any, user_id: str, state: dict[str, Any], operation_id: str
) -> tuple[dict[str, Any], str]:
    """Reverse one change through ``Memory.undo``; an UndoError's words become the notice."""
    undo = state.get("undo") or []
    op = next((Operation.model_validate(o) for o in undo if o["id"] == operation_id), None)
    if op is None:
        return state, "⚠ This change was already undone."
    try:
        memory.undo(operation_id, user_id=user_id)
    except MemoryLayerError as exc:
        return state, f"⚠ {escape(str(exc))}"
    kept = [o for o in undo if o["id"] != operation_id]
    return {**state, "undo": kept}, escape(describe_undone(op))


def undo_label(op: dict[str, Any]) -> str:
    note = (describe_operation(Operation.model_validate(op)) or "").split(" ", 1)[-1]
    short = note if len(note) <= UNDO_LABEL_CHARS else note[: UNDO_LABEL_CHARS - 1] + "…"
    return f"↩ Undo {short}"


def render_actions(
    memory: Any, state: dict[str, Any] | None, user: gr.Textbox, actions: gr.State, notice: gr.Markdown
) -> None:
    """Inside ``gr.render``: each question with its answers, then an Undo button per change."""
    state = state or actions_state()

    def answer(
        user_id: str, current: dict[str, Any], pending_id: str, choice: str
    ) -> tuple[dict[str, Any], str]:
        return answer_question(memory, user_id, current, pending_id, choice)

    def undo(user_id: str, current: dict[str, Any], operation_id: str) -> tuple[dict[str, Any], str]:
        return undo_change(memory, user_id, current, operation_id)

    for question in state.get("questions") or []:
        with gr.Column(variant="panel", elem_classes=["memory-question"]):
            gr.Markdown(f"❓ {escape(question['question'])}", padding=True)
            with gr.Row():
                for choice in question["choices"]:
                    button = gr.Button(
                        CHOICE_LABELS.get(choice, choice),
                        variant="primary" if choice == "apply" else "secondary",
                        size="sm",
                        min_width=60,
                    )
                    button.click(
                        lambda u, s, p=question["id"], c=choice: answer(u, s, p, c),
                        [user, actions],
                        [actions, notice],
                    )
    for op in state.get("undo") or []:
        button = gr.Button(undo_label(op), size="sm", elem_classes=["undo-change"])
        button.click(lambda u, s, o=op["id"]: undo(u, s, o), [user, actions], [actions, notice])
