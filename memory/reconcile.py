"""Apply an extractor's proposals: validate targets, resolve slots and near-duplicates, write all stores.

The extractor proposes; this module decides what really happens and records it. Targets must be
short ids of memories that were shown to the extractor (all in the caller's scope), so an invented id
or another user's id can never be updated or deleted.
"""

from __future__ import annotations

import re
from datetime import datetime

from memory.embeddings import Embedder
from memory.extraction import Extraction, ProposedFact, Turn, short_ids
from memory.stores.base import GraphStore, HistoryStore, ScopeFilter, VectorStore
from memory.types import Event, MemoryItem, MemoryType, Operation, utcnow


def same_text(a: str, b: str) -> bool:
    norm = lambda s: re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()  # noqa: E731
    return norm(a) == norm(b)


def _already_known(item: MemoryItem, text: str) -> Operation:
    return Operation(
        event=Event.NONE,
        memory_id=item.id,
        type=item.type,
        old_text=item.text,
        new_text=text,
        reason="already known",
    )


class Reconciler:
    def __init__(
        self,
        vectors: VectorStore,
        embedder: Embedder,
        history: HistoryStore,
        graph: GraphStore | None,
        dedupe_threshold: float,
    ) -> None:
        self._vectors = vectors
        self._embedder = embedder
        self._history = history
        self._graph = graph
        self._dedupe = dedupe_threshold

    # -- writes shared with the Memory facade -------------------------------------------------
    def insert(self, items: list[MemoryItem], actor: str = "system", reason: str | None = None) -> None:
        if not items:
            return
        self._vectors.upsert(items, self._embedder.embed([i.text for i in items]))
        for item in items:
            self._link(item)
        rows = [(i.id, i.user_id, Event.ADD, None, i.text, actor, reason) for i in items]
        self._history.record_many(rows)

    def annotate(self, item: MemoryItem) -> None:
        """Store entities/relations found for a memory after it was written (not an edit: no history row)."""
        self._vectors.upsert([item], self._embedder.embed([item.text]))
        self._link(item)

    def _link(self, item: MemoryItem) -> None:
        if self._graph is not None and item.relations:
            self._graph.add_relations(
                item.user_id, item.id, item.relations, item.valid_from or item.created_at
            )

    def replace(
        self, old: MemoryItem, new: MemoryItem, actor: str = "system", reason: str | None = None
    ) -> None:
        self._vectors.upsert([new], self._embedder.embed([new.text]))
        if self._graph is not None:
            at = utcnow()
            self._graph.close_relations(old.user_id, old.id, at)
            if new.relations:
                self._graph.add_relations(new.user_id, new.id, new.relations, at)
        self._history.record(new.id, new.user_id, Event.UPDATE, old.text, new.text, actor, reason)

    def remove(
        self, item: MemoryItem, actor: str = "system", reason: str | None = None, forget: bool = False
    ) -> None:
        """Delete one memory. ``forget``: the user asked explicitly, so graph edges go too (else kept as past)."""
        self._vectors.delete([item.id], ScopeFilter(user_id=item.user_id))
        if self._graph is not None:
            if forget:
                self._graph.forget_memory(item.user_id, item.id)
            else:
                self._graph.close_relations(item.user_id, item.id, utcnow())
        self._history.record(item.id, item.user_id, Event.DELETE, item.text, None, actor, reason)

    # -- proposals ---------------------------------------------------------------------------
    def apply(
        self, turn: Turn, extraction: Extraction, related: list[MemoryItem]
    ) -> tuple[list[Operation], list[str]]:
        ids = short_ids(related)
        ops: list[Operation] = []
        warnings = list(extraction.warnings)
        for fact in extraction.facts:
            if turn.from_document and fact.type == MemoryType.PROCEDURAL:
                warnings.append(
                    "An instruction inside an uploaded file was not taken as a rule for the assistant."
                )
                continue
            if fact.target is not None and fact.target not in ids:
                warnings.append(f"Ignored a change to an unknown memory ({fact.target!r}).")
                continue
            op = self._apply_one(turn, fact, ids)
            if op is not None:
                ops.append(op)
        return ops, warnings

    def _scope(self, turn: Turn) -> ScopeFilter:
        return ScopeFilter(user_id=turn.user_id, agent_id=turn.agent_id)

    def _slot_holders(self, turn: Turn, slot: str) -> list[MemoryItem]:
        scope = self._scope(turn).model_copy(update={"slot": slot})
        return sorted(self._vectors.scroll(scope), key=lambda i: i.updated_at, reverse=True)

    def _apply_one(self, turn: Turn, fact: ProposedFact, ids: dict[str, MemoryItem]) -> Operation | None:
        target = ids.get(fact.target) if fact.target else None
        if target is not None:
            # Re-read it: it may have been edited or deleted while the extractor was thinking.
            current = self._vectors.get([target.id], ScopeFilter(user_id=turn.user_id))
            if not current:
                return None
            target = current[0]
        if fact.event == Event.NONE:
            return Operation(
                event=Event.NONE,
                memory_id=target.id if target else None,
                type=fact.type,
                new_text=fact.text,
                reason=fact.reason,
            )
        if fact.event == Event.DELETE:
            victims = [target] if target else (self._slot_holders(turn, fact.slot) if fact.slot else [])
            if not victims:
                return None
            for victim in victims:
                self.remove(victim, reason=fact.reason)
            return Operation(
                event=Event.DELETE,
                memory_id=victims[0].id,
                type=victims[0].type,
                old_text=victims[0].text,
                reason=fact.reason,
            )
        text = (fact.text or "").strip()
        if not text:
            return None
        if target is None and fact.slot:
            holders = self._slot_holders(turn, fact.slot)
            target = holders[0] if holders else None
            for extra in holders[1:]:
                self.remove(extra, reason="superseded")
        if target is None and fact.event == Event.ADD:
            duplicate = self._near_duplicate(turn, fact.type, text)
            if duplicate is not None:
                return _already_known(duplicate, text)
        if target is not None:
            if same_text(target.text, text):
                return _already_known(target, text)
            updated = target.model_copy(
                update={
                    "text": text,
                    "updated_at": utcnow(),
                    "valid_from": turn.at,
                    "source": turn.source,
                    "entities": fact.entities or target.entities,
                    "relations": fact.relations,
                    "slot": fact.slot or target.slot,
                    "session_id": turn.session_id or target.session_id,
                }
            )
            self.replace(target, updated, reason=fact.reason)
            return Operation(
                event=Event.UPDATE,
                memory_id=target.id,
                type=updated.type,
                old_text=target.text,
                new_text=text,
                reason=fact.reason,
            )
        item = self.new_item(turn, text, fact.type, fact)
        self.insert([item], reason=fact.reason)
        return Operation(
            event=Event.ADD, memory_id=item.id, type=item.type, new_text=text, reason=fact.reason
        )

    def _near_duplicate(self, turn: Turn, kind: MemoryType, text: str) -> MemoryItem | None:
        scope = self._scope(turn).model_copy(update={"types": [kind]})
        dense, _ = self._vectors.search(self._embedder.embed_query(text), None, scope, 1)
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
