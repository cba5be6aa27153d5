"""Decide what an extractor's proposals really do, and stage them in a unit of work.

The extractor proposes; this module decides. Targets must be short ids of memories that were shown
to the extractor (all in the caller's scope), so an invented id or another user's id is never touched.
A changed fact is superseded, not overwritten: the old memory is closed (``valid_to``, link to its
successor) and stays answerable as the past. A retraction closes the fact; only an explicit request
to forget erases it. Text from a file is data: it may only add document knowledge.
"""

from __future__ import annotations

import re
from datetime import datetime

from memory.checks import orders_forgetting
from memory.embeddings import Embedder
from memory.embeddings.parts import embed_texts
from memory.extraction import Extraction, ProposedFact, Turn, short_ids
from memory.questions import ask
from memory.stores.base import ScopeFilter, VectorStore
from memory.types import Event, MemoryItem, MemoryType, Operation, PendingChange, SourceKind, new_id, utcnow
from memory.writes import UnitOfWork

_RULE_SLOT = re.compile(r"^(rule|procedure|instruction)\b", re.IGNORECASE)


def same_text(a: str, b: str) -> bool:
    norm = lambda s: re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()  # noqa: E731
    return norm(a) == norm(b)


def versions(vectors: VectorStore, item: MemoryItem) -> list[MemoryItem]:
    """A memory and every version linked to it (what it replaced, what replaced it), in any order."""
    found = {item.id: item}
    todo = [item]
    while todo:
        current = todo.pop()
        links = [i for i in (current.supersedes, current.superseded_by) if i and i not in found]
        for linked in vectors.get(links, ScopeFilter(user_id=item.user_id, include_past=True)):
            found[linked.id] = linked
            todo.append(linked)
    return list(found.values())


def said_with(vectors: VectorStore, item: MemoryItem) -> list[MemoryItem]:
    """The chat turn a memory was read from, as it was kept (the user's message and the reply, episodic
    memories of the same turn): when the user asks to forget the memory, what they said of it goes too
    ("forget my phone number" leaves no "my phone number is …" to find)."""
    if item.source.kind != SourceKind.CHAT or not item.source.turn_id or item.type == MemoryType.EPISODIC:
        return []
    scope = ScopeFilter(
        user_id=item.user_id,
        session_id=item.source.session_id,
        types=[MemoryType.EPISODIC],
        source_kind=SourceKind.CHAT.value,
        include_past=True,
    )
    return [m for m in vectors.scroll(scope) if m.source.turn_id == item.source.turn_id]


def media_of(item: MemoryItem) -> list[str]:
    """The stored files (image, thumbnail) a memory refers to."""
    return [p for p in (item.source.image_path, item.source.thumbnail_path) if p]


def erase_everywhere(
    uow: UnitOfWork, vectors: VectorStore, item: MemoryItem, done: set[str], reason: str | None
) -> None:
    """The user forgets a memory: it goes with every version of it and the chat turns they were read
    from (``said_with``), each once (``done`` holds the ids already erased or changed in this write)."""
    for version in versions(vectors, item):
        done.add(version.id)
        uow.erase(version, actor="user", reason=reason, media=media_of(version))
        for said in said_with(vectors, version):
            if said.id not in done:
                done.add(said.id)
                uow.erase(said, actor="user", reason=reason, media=media_of(said))


def document_refusal(fact: ProposedFact, ids: dict[str, MemoryItem]) -> str | None:
    """Why a proposal made from a file's text is refused, or None: files only add document knowledge."""
    if fact.type == MemoryType.PROCEDURAL or (fact.slot and _RULE_SLOT.match(fact.slot)):
        return "An instruction inside an uploaded file was not taken as a rule for the assistant."
    if fact.event in (Event.UPDATE, Event.DELETE) or fact.target is not None:
        target = ids.get(fact.target or "")
        what = f" ({target.text!r})" if target is not None else ""
        return f"An uploaded file tried to change or remove a memory{what}; files can only add knowledge."
    return None


class Reconciler:
    def __init__(
        self, vectors: VectorStore, embedder: Embedder, dedupe_threshold: float, confirm_below: float = 0.0
    ) -> None:
        self._vectors = vectors
        self._embedder = embedder
        self._dedupe = dedupe_threshold
        self._confirm_below = confirm_below  # an UPDATE/DELETE less sure than this is asked (uow.asked)

    def apply(
        self, turn: Turn, extraction: Extraction, related: list[MemoryItem], uow: UnitOfWork
    ) -> tuple[list[Operation], list[str]]:
        """Stage the proposals of one turn; returns the operations as they will land, and warnings."""
        ids = short_ids(related)
        ops: list[Operation] = []
        warnings = list(extraction.warnings)
        touched: set[str] = set()  # memories this turn already changed
        for fact in extraction.facts:
            if turn.from_document:
                refusal = document_refusal(fact, ids)
                if refusal is not None:
                    warnings.append(refusal)
                    continue
                fact = fact.model_copy(update={"slot": None})
            if fact.target is not None and fact.target not in ids:
                warnings.append(f"Ignored a change to an unknown memory ({fact.target!r}).")
                continue
            unsure = self._unsure(turn, fact, ids, touched)
            if unsure is not None:
                uow.ask(unsure)
                continue
            uow.operation_id = new_id()  # the history rows of this one operation carry its id
            op = self._apply_one(turn, fact, ids, uow, touched)
            if op is not None and op.event != Event.NONE:
                forgot = op.event == Event.DELETE and orders_forgetting(turn.text)
                op = op.model_copy(update={"id": uow.operation_id, "undoable": not forgot})
            uow.operation_id = None
            if op is not None:
                ops.append(op)
        return ops, warnings

    def _unsure(
        self, turn: Turn, fact: ProposedFact, ids: dict[str, MemoryItem], touched: set[str]
    ) -> PendingChange | None:
        """An UPDATE or DELETE proposed below the confidence bar, about a memory that is still current:
        a question for the user instead of a change (None: apply it as usual)."""
        if fact.event not in (Event.UPDATE, Event.DELETE) or turn.from_document:
            return None
        if fact.confidence is None or fact.confidence >= self._confirm_below:
            return None
        if fact.target is not None:
            old = self._current(turn, ids[fact.target])
        else:
            holders = self._slot_holders(turn, fact.slot, touched) if fact.slot else []
            old = holders[0] if holders else None
        if old is None or old.id in touched:
            return None
        if fact.event == Event.UPDATE and same_text(old.text, fact.text or ""):
            return None
        touched.add(old.id)
        return ask(turn, fact, old)

    def _scope(self, turn: Turn, **extra: object) -> ScopeFilter:
        return ScopeFilter(user_id=turn.user_id, agent_id=turn.agent_id, **extra)

    def _current(self, turn: Turn, item: MemoryItem) -> MemoryItem | None:
        """Re-read a target: it may have been edited, closed or deleted while the extractor worked."""
        found = self._vectors.get([item.id], self._scope(turn))
        return found[0] if found else None

    def _slot_holders(self, turn: Turn, slot: str, touched: set[str]) -> list[MemoryItem]:
        held = self._vectors.scroll(self._scope(turn, slot=slot))
        return sorted((i for i in held if i.id not in touched), key=lambda i: i.updated_at, reverse=True)

    def _apply_one(
        self,
        turn: Turn,
        fact: ProposedFact,
        ids: dict[str, MemoryItem],
        uow: UnitOfWork,
        touched: set[str],
    ) -> Operation | None:
        target = ids.get(fact.target) if fact.target else None
        if target is not None:
            target = self._current(turn, target)
            if target is None or target.id in touched:
                return None
        if fact.event == Event.NONE:
            return Operation(
                event=Event.NONE,
                memory_id=target.id if target else None,
                type=fact.type,
                new_text=fact.text,
                reason=fact.reason,
            )
        if fact.event == Event.DELETE:
            victims = (
                [target] if target else (self._slot_holders(turn, fact.slot, touched) if fact.slot else [])
            )
            if not victims:
                return None
            forget = orders_forgetting(turn.text)
            for victim in victims:
                touched.add(victim.id)
                if forget:
                    erase_everywhere(uow, self._vectors, victim, touched, fact.reason)
                else:
                    self.close(uow, victim, turn.at, event=Event.DELETE, reason=fact.reason)
            return Operation(
                event=Event.DELETE,
                memory_id=victims[0].id,
                type=victims[0].type,
                old_text=victims[0].text,
                reason=fact.reason,
                erased=forget,
            )
        text = (fact.text or "").strip()
        if not text:
            return None
        if target is None and fact.slot:
            holders = self._slot_holders(turn, fact.slot, touched)
            target = holders[0] if holders else None
            for extra in holders[1:]:
                touched.add(extra.id)
                self.close(uow, extra, turn.at, event=Event.DELETE, reason="superseded")
        if target is None and fact.event == Event.ADD:
            duplicate = self._near_duplicate(turn, fact.type, text)
            if duplicate is not None:
                return _already_known(duplicate, text)
        item = self.new_item(turn, text, fact.type, fact)
        if target is not None:
            if same_text(target.text, text):
                return _already_known(target, text)
            touched.add(target.id)
            item = item.model_copy(
                update={
                    "supersedes": target.id,
                    "slot": fact.slot or target.slot,
                    "entities": fact.entities or target.entities,
                }
            )
            self.close(uow, target, turn.at, event=Event.UPDATE, reason=fact.reason, successor=item)
            uow.add([item], reason="replaces an earlier version")
            return Operation(
                event=Event.UPDATE,
                memory_id=item.id,
                previous_id=target.id,
                type=item.type,
                old_text=target.text,
                new_text=text,
                reason=fact.reason,
            )
        uow.add([item], reason=fact.reason)
        return Operation(
            event=Event.ADD, memory_id=item.id, type=item.type, new_text=text, reason=fact.reason
        )

    @staticmethod
    def close(
        uow: UnitOfWork,
        item: MemoryItem,
        at: datetime,
        *,
        event: Event,
        reason: str | None,
        successor: MemoryItem | None = None,
    ) -> None:
        """The fact stops holding at ``at``: kept as the past, with its graph edges closed at the same time."""
        closed = item.model_copy(
            update={
                "valid_to": max(at, item.valid_from) if item.valid_from else at,
                "updated_at": utcnow(),
                "superseded_by": successor.id if successor else None,
            }
        )
        new_text = successor.text if successor is not None else None
        uow.rewrite(item, closed, at=closed.valid_to)
        uow.record((item.id, item.user_id, event, item.text, new_text, "system", reason))

    def _near_duplicate(self, turn: Turn, kind: MemoryType, text: str) -> MemoryItem | None:
        scope = self._scope(turn, types=[kind])
        # The vector the store would keep for this text (a long one's is its sentences' mean), so the
        # same text again scores 1.0 against what was stored.
        vector = embed_texts(self._embedder, [text])[0]
        dense, _ = self._vectors.search(vector, None, scope, 1)
        if dense and dense[0].score >= self._dedupe:
            found = self._vectors.get([dense[0].id], scope)
            return found[0] if found else None
        return None

    @staticmethod
    def new_item(
        turn: Turn, text: str, kind: MemoryType, fact: ProposedFact | None = None, at: datetime | None = None
    ) -> MemoryItem:
        return MemoryItem(
            text=text,
            type=kind,
            user_id=turn.user_id,
            agent_id=turn.agent_id,
            session_id=turn.session_id,
            valid_from=at or turn.at,
            source=turn.source,
            entities=fact.entities if fact else [],
            relations=fact.relations if fact else [],
            slot=fact.slot if fact else None,
        )


def _already_known(item: MemoryItem, text: str) -> Operation:
    return Operation(
        event=Event.NONE,
        memory_id=item.id,
        type=item.type,
        old_text=item.text,
        new_text=text,
        reason="already known",
    )
