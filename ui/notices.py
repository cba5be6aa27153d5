"""Short plain-words notices: what a turn changed in memory, what happened to an uploaded file."""

from __future__ import annotations

from memory.types import AddResult, Event, IngestResult, MemoryType, Operation, PendingChange, SourceKind

MAX_SKIPPED_SHOWN = 3
CHOICE_LABELS = {"apply": "Apply", "keep_both": "Keep both", "ignore": "Ignore"}


def describe_changes(result: AddResult) -> list[str]:
    """One line per fact remembered, updated or forgotten; the kept turn itself is not news."""
    return [note for op in result.changed() if (note := describe_operation(op))]


def describe_operation(op: Operation) -> str | None:
    """'✎ Updated: …', '✓ Remembered: …', '✗ No longer true: …' or '🗑 Forgot: …'; None for no news."""
    if op.event == Event.ADD and op.type != MemoryType.EPISODIC:
        return f"✓ Remembered: {op.new_text}"
    if op.event == Event.UPDATE and op.reason == "edited":  # the user's own edit (Memory.update)
        return f"✎ Corrected: {op.old_text} → {op.new_text}"
    if op.event == Event.UPDATE:
        return f"✎ Updated: {op.old_text} → {op.new_text}"
    if op.event == Event.DELETE and op.erased:
        return f"🗑 Forgot: {op.old_text}"
    if op.event == Event.DELETE:
        return f"✗ No longer true: {op.old_text} (kept as the past)"
    return None


def can_undo(op: Operation) -> bool:
    """A notice gets Undo when the library can reverse its operation (never a forget)."""
    return bool(op.undoable and op.id and not op.erased and describe_operation(op))


def describe_undone(op: Operation) -> str:
    """'↩ Undone: Updated: A → B': the notice that was reversed, without its icon."""
    note = describe_operation(op) or ""
    return f"↩ Undone: {note.split(' ', 1)[-1]}"


def describe_answer(change: PendingChange, choice: str, result: AddResult) -> list[str]:
    """What answering a question did: the change's notices, or that the memory was kept as it was."""
    notes = describe_changes(result) + [f"⚠ {w}" for w in result.warnings]
    if choice == "ignore" or not notes:
        return [f"✓ Kept as it was: {change.old_text}"] + notes
    return notes


def describe_ingest(result: IngestResult) -> list[str]:
    """'📄 report.pdf: 12 pages, 34 passages remembered', or that it was already there, plus skips."""
    icon = "🖼" if result.kind == SourceKind.IMAGE else "📄"
    if result.duplicate:
        lines = [f"{icon} {result.file_name} was uploaded before: its memories are already there."]
    elif result.kind == SourceKind.IMAGE:
        lines = [f"{icon} {result.file_name}: image remembered."]
    else:
        # One of the added memories records the upload itself; the rest are passages and facts.
        passages = max(len(result.memories_added) - 1, 0)
        pages = f"{result.pages} page{'s' if result.pages != 1 else ''}, " if result.pages else ""
        lines = [
            f"{icon} {result.file_name}: {pages}{passages} passage{'s' if passages != 1 else ''} remembered."
        ]
    shown = result.skipped[:MAX_SKIPPED_SHOWN]
    lines += [f"⚠ Skipped {part.where}: {part.why}" for part in shown]
    if len(result.skipped) > len(shown):
        lines.append(f"⚠ … and {len(result.skipped) - len(shown)} more parts skipped.")
    return lines
