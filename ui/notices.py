"""Short plain-words notices: what a turn changed in memory, what happened to an uploaded file."""

from __future__ import annotations

from memory.types import AddResult, Event, IngestResult, MemoryType, SourceKind

MAX_SKIPPED_SHOWN = 3


def describe_changes(result: AddResult) -> list[str]:
    """One line per fact remembered, updated or forgotten; the kept turn itself is not news."""
    notes: list[str] = []
    for op in result.changed():
        if op.event == Event.ADD and op.type != MemoryType.EPISODIC:
            notes.append(f"✓ Remembered: {op.new_text}")
        elif op.event == Event.UPDATE:
            notes.append(f"✎ Updated: {op.old_text} → {op.new_text}")
        elif op.event == Event.DELETE and op.erased:
            notes.append(f"🗑 Forgot: {op.old_text}")
        elif op.event == Event.DELETE:
            notes.append(f"✗ No longer true: {op.old_text} (kept as the past)")
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
