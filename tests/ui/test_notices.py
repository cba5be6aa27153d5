"""The 'Memory updated' and upload notices."""

from __future__ import annotations

from memory.types import AddResult, Event, IngestResult, MemoryType, Operation, SkippedPart, SourceKind
from ui.notices import describe_changes, describe_ingest


def test_changes_skip_the_kept_turn_and_unchanged_facts():
    result = AddResult(
        operations=[
            Operation(event=Event.ADD, type=MemoryType.EPISODIC, new_text="I moved to Rome."),
            Operation(event=Event.UPDATE, old_text="User lives in Paris.", new_text="User lives in Rome."),
            Operation(event=Event.ADD, new_text="User likes tea."),
            Operation(event=Event.DELETE, old_text="User has a cat.", erased=True),
            Operation(event=Event.DELETE, old_text="User is vegetarian."),
            Operation(event=Event.NONE, new_text="User's name is Ada."),
        ]
    )
    assert describe_changes(result) == [
        "✎ Updated: User lives in Paris. → User lives in Rome.",
        "✓ Remembered: User likes tea.",
        "🗑 Forgot: User has a cat.",
        "✗ No longer true: User is vegetarian. (kept as the past)",
    ]


def test_ingest_notice_counts_passages_and_lists_skipped_pages():
    result = IngestResult(
        file_name="report.pdf",
        sha256="0" * 64,
        kind=SourceKind.DOCUMENT,
        pages=12,
        memories_added=[str(i) for i in range(35)],
        skipped=[SkippedPart(where="page 4", why="no text (a scanned page?)")],
    )
    assert describe_ingest(result) == [
        "📄 report.pdf: 12 pages, 34 passages remembered.",
        "⚠ Skipped page 4: no text (a scanned page?)",
    ]
    duplicate = result.model_copy(update={"duplicate": True, "skipped": []})
    assert "uploaded before" in describe_ingest(duplicate)[0]
