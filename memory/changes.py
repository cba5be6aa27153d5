"""Ask before overwriting, undo after: the library side of both.

A change the extractor was not sure of (an UPDATE or DELETE below ``MemoryConfig.confirm_below``) is
not applied: ``memory.reconcile`` keeps it as a ``PendingChange`` with a question for the user, and
``apply`` answers it (apply, keep both, ignore). Every operation an ``AddResult`` reports carries an
id, written on the history rows it made; ``undo`` reads those rows and reverses them: what it added
is taken back, what it closed is current again. A forget erased the text, so it cannot be undone.
Both run in one unit of work, so they land everywhere or nowhere.
"""

from __future__ import annotations

from typing import Any

from memory.errors import InvalidInputError, NotFoundError, StaleChangeError, UndoError
from memory.extraction import Extraction, ProposedFact, Turn
from memory.reconcile import Reconciler
from memory.stores.base import HistoryStore, ScopeFilter, VectorStore
from memory.types import AddResult, Event, MemoryItem, Operation, PendingChange, utcnow
from memory.writes import HistoryRow, UnitOfWork, Writing

CHOICES = ("apply", "keep_both", "ignore")


class Changes:
    """Pending changes and undo for one ``Memory``; every write goes through ``writing(user_id)``."""

    def __init__(
        self, vectors: VectorStore, history: HistoryStore, reconciler: Reconciler, writing: Writing
    ) -> None:
        self._vectors = vectors
        self._history = history
        self._reconciler = reconciler
        self._writing = writing

    # -- asking ------------------------------------------------------------------------------------
    def pending(self, user_id: str) -> list[PendingChange]:
        """Open questions, oldest first; one whose memory changed since is no longer asked."""
        changes = [PendingChange.model_validate_json(r) for r, _ in self._history.pending(user_id)]
        current = self._current(user_id, [c.memory_id for c in changes])
        return [c for c in changes if c.memory_id in current]

    def apply(self, pending_id: str, choice: str, user_id: str) -> AddResult:
        """Answer a pending change: "apply" makes the change, "keep_both" adds the new fact beside the
        old one (updates only), "ignore" drops it. The answer and its writes commit together."""
        pending_id = _check_ref(pending_id, "pending change")
        if choice not in CHOICES:
            raise InvalidInputError(f"Unknown answer {choice!r}; use one of {', '.join(CHOICES)}.")
        with self._writing(user_id) as uow:
            assert uow is not None
            change = self._open_change(user_id, pending_id)
            if choice not in change.choices:
                raise InvalidInputError(
                    f"{choice!r} does not fit this question; answer with one of {', '.join(change.choices)}."
                )
            uow.answer(pending_id, choice)
            if choice == "ignore":
                return AddResult(extractor="confirmed")
            old = self._current(user_id, [change.memory_id]).get(change.memory_id)
            if old is None:
                raise StaleChangeError(
                    f"The memory this question was about ({change.old_text!r}) changed since it was "
                    "asked; nothing was applied."
                )
            fact = ProposedFact.model_validate(change.proposal)
            if choice == "keep_both":
                fact = fact.model_copy(update={"event": Event.ADD, "target": None, "slot": None})
            else:
                fact = fact.model_copy(update={"target": "m1"})
            turn = Turn.model_validate(change.turn)
            ops, warnings = self._reconciler.apply(turn, Extraction(facts=[fact]), [old], uow)
        return AddResult(operations=ops, warnings=warnings, extractor="confirmed")

    def _open_change(self, user_id: str, pending_id: str) -> PendingChange:
        found = self._history.pending(user_id, pending_id)
        if not found:
            raise NotFoundError(f"No pending change {pending_id} for this user.", pending_id)
        record, resolution = found[0]
        if resolution is not None:
            raise StaleChangeError(f"This question was already answered ({resolution.replace('_', ' ')}).")
        return PendingChange.model_validate_json(record)

    # -- undo --------------------------------------------------------------------------------------
    def undo(self, operation_id: str, user_id: str) -> list[Operation]:
        """Reverse one operation through its history rows; returns what the undo did."""
        operation_id = _check_ref(operation_id, "operation")
        with self._writing(user_id) as uow:
            assert uow is not None
            rows, undone = self._history.operation(user_id, operation_id)
            if not rows:
                raise NotFoundError(f"No operation {operation_id} for this user.", operation_id)
            if undone:
                raise UndoError("This change was already undone.", operation_id)
            ids = list(dict.fromkeys(r[0] for r in rows))
            scope = ScopeFilter(user_id=user_id, include_past=True)
            items = {i.id: i for i in self._vectors.get(ids, scope)}
            added = [r[0] for r in rows if r[2] == Event.ADD]
            edits = [r for r in rows if _is_edit(r, items, added)]
            closed = [m for m in ids if m not in added and m not in {r[0] for r in edits}]
            gone = [m for m in closed if m not in items]
            if gone:
                raise UndoError(
                    "This change forgot a memory (or it was forgotten since): its text was erased "
                    "everywhere, so it cannot be brought back.",
                    operation_id,
                )
            later = [items[m] for m in added if m in items and not items[m].current]
            if later:
                raise UndoError(
                    f"A later change replaced or retracted {later[0].text!r}; undo that change first.",
                    operation_id,
                )
            changed = [r for r in edits if items[r[0]].text != r[4]]
            if changed:
                raise UndoError(
                    f"{items[changed[0][0]].text!r} was edited again since; undo that edit first.",
                    operation_id,
                )
            done = [_take_back(uow, items[m]) for m in added if m in items]
            done += [_restore_text(uow, items[r[0]], r[3] or "") for r in edits]
            done += [_reopen(uow, items[m]) for m in closed if not items[m].current]
            uow.mark_undone(operation_id)
        return done

    def _current(self, user_id: str, ids: list[str]) -> dict[str, MemoryItem]:
        if not ids:
            return {}
        return {i.id: i for i in self._vectors.get(ids, ScopeFilter(user_id=user_id))}


def _take_back(uow: UnitOfWork, item: MemoryItem) -> Operation:
    """An added memory goes, as if never stored; what was said stays in the chat's transcript."""
    media = [p for p in (item.source.image_path, item.source.thumbnail_path) if p]
    uow.erase(item, actor="user", reason="undone", media=media, keep_messages=True)
    return Operation(
        event=Event.DELETE, memory_id=item.id, type=item.type, old_text=item.text, reason="undone"
    )


def _is_edit(row: HistoryRow, items: dict[str, MemoryItem], added: list[str]) -> bool:
    """A change of text in place (``Memory.update``): the memory is current and the row has both texts."""
    item = items.get(row[0])
    return (
        row[2] == Event.UPDATE and row[0] not in added and item is not None and item.current and bool(row[3])
    )


def _restore_text(uow: UnitOfWork, item: MemoryItem, text: str) -> Operation:
    """An edit taken back: the text before it (the graph edges it closed stay as the past)."""
    restored = item.model_copy(update={"text": text, "updated_at": utcnow()})
    uow.rewrite(item, restored, event=Event.UPDATE, actor="user", reason="restored by undo")
    return Operation(
        event=Event.UPDATE,
        memory_id=item.id,
        type=item.type,
        old_text=item.text,
        new_text=text,
        reason="restored by undo",
    )


def _reopen(uow: UnitOfWork, item: MemoryItem) -> Operation:
    """A closed memory holds again: no end of validity, no successor; its graph edges reopen."""
    reopened = item.model_copy(update={"valid_to": None, "superseded_by": None, "updated_at": utcnow()})
    uow.rewrite(item, reopened, event=Event.UPDATE, actor="user", reason="restored by undo")
    return Operation(
        event=Event.ADD, memory_id=item.id, type=item.type, new_text=item.text, reason="restored by undo"
    )


def _check_ref(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 128:
        raise InvalidInputError(f"{value!r} is not a {what} id.")
    return value.strip()
