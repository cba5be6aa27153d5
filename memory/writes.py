"""The one write path: a unit of work lands in the vector store, the graph and the history, or in none.

A unit of work collects changes (new memories, rewritten ones, erased ones), then ``commit``:
1. a journal entry records what is about to change, with the records as they were before;
2. vectors are written, graph edges closed and added;
3. one SQLite transaction writes the history rows (and erases forgotten text) and closes the
   journal entry: this is the commit point;
4. after it, what cannot be undone runs (graph edges of forgotten memories removed, media files);
   the journal keeps these steps until they are done.
If a step before the commit point raises, the steps already taken are undone at once; if the
process dies, ``recover`` undoes them (or finishes step 4) the next time the data directory opens.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Protocol

from memory.embeddings import Embedder
from memory.embeddings.parts import embed_texts
from memory.questions import second_person
from memory.stores.base import GraphStore, HistoryStore, ScopeFilter, VectorStore
from memory.stores.payload import INDEX_CONTEXT
from memory.types import Event, GraphEdge, MemoryItem, MemoryType, PendingChange, Relation, utcnow

HistoryRow = tuple[str, str, Event, str | None, str | None, str, str | None]
RemoveMedia = Callable[[str, list[str]], None]  # (user_id, relative paths no longer referenced)
Epoch = Callable[[str], tuple[int, int]]  # the epoch a user's write begins in (``Memory._epoch``)


class Writing(Protocol):
    """``Memory._writing``: the user's lock and a unit of work, committed on exit; None instead when the
    user's memories were deleted after ``since`` (the epoch the write began in)."""

    def __call__(
        self, user_id: str, since: tuple[int, int] | None = None
    ) -> AbstractContextManager[UnitOfWork | None]: ...


class Stores:
    """The three stores and the embedder one unit of work writes through."""

    def __init__(
        self,
        vectors: VectorStore,
        graph: GraphStore | None,
        history: HistoryStore,
        embedder: Embedder,
        remove_media: RemoveMedia | None = None,
    ) -> None:
        self.vectors = vectors
        self.graph = graph
        self.history = history
        self.embedder = embedder
        self.remove_media = remove_media

    def embed(self, texts: list[str]) -> list[list[float]]:
        """Each text's vector (a long text's is its sentences' mean); each distinct text embedded once."""
        return embed_texts(self.embedder, texts)


class UnitOfWork:
    """Changes for one user, applied together by ``commit``."""

    def __init__(self, stores: Stores, user_id: str) -> None:
        self._stores = stores
        self.user_id = user_id
        self._new: dict[str, MemoryItem] = {}
        self._rewrites: dict[str, tuple[MemoryItem, MemoryItem]] = {}
        self._erased: dict[str, MemoryItem] = {}
        self._closed: list[tuple[str, datetime]] = []  # graph edges of a memory closed at a time
        self._reopened: list[tuple[str, datetime]] = []  # graph edges closed at a time, current again
        self._unlinked: set[str] = set()  # new memories whose edges come from ``restore_edges``
        self._edges: list[GraphEdge] = []
        self._rows: list[HistoryRow] = []
        self._erase_messages: list[str] = []
        self._redact: list[tuple[str, str]] = []  # (old text, new text) in history and transcript
        self._quoted: list[str] = []  # forgotten texts, to leave the assistant's replies
        self._media: list[str] = []
        self._vectors: dict[str, list[float]] = {}
        # The chat turns of a session that carry keyword context, read once (``_unquote``).
        self._sessions: dict[str, list[MemoryItem]] = {}
        # The operation the rows staged now belong to (``Memory.undo`` finds them by it).
        self.operation_id: str | None = None
        self._row_ops: list[str | None] = []
        self.asked: list[PendingChange] = []  # changes asked instead of applied
        self._answered: list[tuple[str, str, str]] = []
        self._undone: list[tuple[str, str]] = []

    @property
    def erased(self) -> list[str]:
        """The ids of the memories erased so far."""
        return list(self._erased)

    @property
    def empty(self) -> bool:
        return not (self._new or self._rewrites or self._erased or self._rows or self.asked or self._answered)

    # -- staging ----------------------------------------------------------------------------------
    def add(
        self,
        items: list[MemoryItem],
        *,
        actor: str = "system",
        reason: str | None = None,
        vectors: list[list[float]] | None = None,
        link: bool = True,
        record: bool = True,
    ) -> None:
        """New memories. ``link=False``: their relations do not become graph edges here (an import
        restores the exported edges with ``restore_edges`` instead); ``record=False``: no ADD row (an
        import records the exported history rows instead)."""
        for n, item in enumerate(items):
            self._check(item)
            self._new[item.id] = item
            if vectors is not None:
                self._vectors[item.id] = vectors[n]
            if not link:
                self._unlinked.add(item.id)
            if record:
                self.record((item.id, item.user_id, Event.ADD, None, item.text, actor, reason))

    def rewrite(
        self,
        before: MemoryItem,
        after: MemoryItem,
        *,
        event: Event | None = None,
        actor: str = "system",
        reason: str | None = None,
        at: datetime | None = None,
    ) -> None:
        """Change a stored memory in place (same id): an edit, a close (valid_to), an annotation.
        Its graph edges follow: closed at ``at`` when its relations change or it stops being current;
        current again when a closed memory is reopened (undo) with the same relations."""
        self._check(after)
        first = self._rewrites.get(before.id, (before, before))[0]
        self._rewrites[before.id] = (first, after)
        if after.relations != before.relations or (before.current and not after.current):
            if before.relations:
                self._closed.append((before.id, at or utcnow()))
        elif not before.current and after.current and before.relations and before.valid_to is not None:
            self._reopened.append((before.id, before.valid_to))
        if event is not None:
            self.record((after.id, after.user_id, event, before.text, after.text, actor, reason))

    def erase(
        self,
        item: MemoryItem,
        *,
        actor: str = "user",
        reason: str | None = None,
        media: list[str] = (),
        keep_messages: bool = False,
    ) -> None:
        """Forget: the point goes, every history row of it loses its text (a tombstone row stays),
        its graph edges and entities left without edges go, and so do its transcript messages
        (unless ``keep_messages``: undoing an ADD takes back the memory, not what was said)."""
        self._check(item)
        self._erased[item.id] = item
        self._rewrites.pop(item.id, None)  # a change staged before (``_unquote``) goes with it
        self.record((item.id, item.user_id, Event.DELETE, None, None, actor, reason))
        if item.source.kind.value == "chat" and not keep_messages:
            self._erase_messages.append(item.text)
        if not keep_messages:  # the replies that quoted it, as said or said to the user ("You live in Porto")
            said_to_user = [] if item.type == MemoryType.EPISODIC else [second_person(item.text)]
            self._quoted += [item.text, *said_to_user]
        if item.source.kind.value == "chat" and item.type == MemoryType.EPISODIC and item.source.session_id:
            self._unquote(item, item.source.session_id)
        self._media += [p for p in media if p]

    def redact(self, item: MemoryItem, text: str) -> MemoryItem:
        """Put ``text`` in place of a memory's text everywhere it was written: the memory (embedded
        again, its entities and triples gone), its history rows and its transcript message. A forget
        order keeps no trace of what it forgot. Returns the memory as it will be."""
        staged = self._rewrites.get(item.id, (item, item))[1]
        after = staged.model_copy(update={"text": text, "entities": [], "relations": []})
        self.rewrite(staged, after)
        self._vectors.pop(item.id, None)
        self._redact.append((item.text, text))
        return after

    def _unquote(self, turn: MemoryItem, session_id: str) -> None:
        """Take an erased chat turn out of the keyword context of the later turns of its session that
        carry it (``metadata["index_context"]``): its words must not find them, nor its text stay in them."""
        if session_id not in self._sessions:
            scope = ScopeFilter(
                user_id=self.user_id,
                session_id=session_id,
                types=[MemoryType.EPISODIC],
                source_kind="chat",
                include_past=True,
            )
            self._sessions[session_id] = [
                m for m in self._stores.vectors.scroll(scope) if INDEX_CONTEXT in m.metadata
            ]
        held = self._sessions[session_id]
        whole = re.compile(
            r"(?:^|(?<=\n))" + re.escape(turn.text) + r"(?=\n|$)"
        )  # a whole turn, not "ok" of "look"
        for n, other in enumerate(held):
            context = str(other.metadata.get(INDEX_CONTEXT, ""))
            if other.id in self._erased or not whole.search(context):
                continue
            left = "\n".join(line for line in whole.sub("", context).split("\n") if line.strip())
            metadata = {k: v for k, v in other.metadata.items() if k != INDEX_CONTEXT}
            changed = other.model_copy(
                update={"metadata": {**metadata, INDEX_CONTEXT: left} if left else metadata}
            )
            self.rewrite(other, changed)
            held[n] = changed

    def record(self, row: HistoryRow) -> None:
        self._rows.append(row)
        self._row_ops.append(self.operation_id)

    def restore_edges(self, edges: list[GraphEdge]) -> None:
        """Graph edges exactly as exported (validity times included), for memories added with
        ``link=False`` in this unit of work."""
        self._edges += [e for e in edges if e.memory_id in self._unlinked]

    def ask(self, change: PendingChange) -> None:
        """Keep a change as a question for the user instead of applying it."""
        if change.user_id != self.user_id:
            raise ValueError("a unit of work writes for one user only")
        self.asked.append(change)

    def answer(self, pending_id: str, choice: str) -> None:
        self._answered.append((pending_id, self.user_id, choice))

    def mark_undone(self, operation_id: str) -> None:
        self._undone.append((self.user_id, operation_id))

    def _check(self, item: MemoryItem) -> None:
        if item.user_id != self.user_id:
            raise ValueError("a unit of work writes for one user only")

    # -- commit -----------------------------------------------------------------------------------
    def commit(self) -> None:
        if self.empty:
            return
        s = self._stores
        written = list(self._new.values()) + [after for _, after in self._rewrites.values()]
        missing = [i for i in written if i.id not in self._vectors]
        for item, vec in zip(missing, s.embed([i.text for i in missing]), strict=True):
            self._vectors[item.id] = vec
        plan = self._plan()
        journal = s.history.journal_open(self.user_id, plan)
        try:
            if written:
                s.vectors.upsert(written, [self._vectors[i.id] for i in written])
            if self._erased:
                s.vectors.delete(list(self._erased), ScopeFilter(user_id=self.user_id, include_past=True))
            if s.graph is not None:
                for memory_id, at in self._closed:
                    s.graph.close_relations(self.user_id, memory_id, at)
                for memory_id, at in self._reopened:
                    s.graph.reopen_relations(self.user_id, memory_id, at)
                s.graph.add_relations_batch(
                    self.user_id,
                    [(i.id, i.relations, i.valid_from or i.created_at) for i in self._linked()],
                )
                self._replay_edges(s.graph)
            after = {"committed": True, **plan["after"]} if _has_steps(plan["after"]) else None
            s.history.commit(
                self._rows,
                journal_id=journal,
                after=after,
                erase=[(i, self.user_id) for i in self._erased],
                erase_texts=[(self.user_id, item.text) for item in self._erased.values()],
                erase_messages=[(self.user_id, text) for text in self._erase_messages],
                redact=[(self.user_id, old, new) for old, new in self._redact],
                quoted=[(self.user_id, text) for text in dict.fromkeys(self._quoted)],
                operations=self._row_ops,
                changes=self._changes(),
            )
        except BaseException:
            if rollback(s, self.user_id, plan):
                s.history.journal_close(journal)
            raise  # a rollback that could not finish stays journaled: the next open repeats it
        if after is not None:
            finish(s, self.user_id, plan["after"])
            s.history.journal_close(journal)

    def _replay_edges(self, graph: GraphStore) -> None:
        """Closed edges first (each closed at once, so no other edge of its memory is current yet),
        then current ones; each group in time order, so functional relations close as they did."""
        ordered = sorted(self._edges, key=lambda e: (e.valid_to is None, e.valid_from or utcnow()))
        for e in ordered:
            relation = Relation(subject=e.subject, relation=e.relation, object=e.object)
            graph.add_relations(self.user_id, e.memory_id or "", [relation], e.valid_from or utcnow())
            if e.valid_to is not None:
                graph.close_relations(self.user_id, e.memory_id or "", e.valid_to)

    def _changes(self) -> Any:
        if not (self.asked or self._answered or self._undone):
            return None
        asked = [(c.id, c.user_id, c.memory_id, c.model_dump_json()) for c in self.asked]
        return asked, self._answered, self._undone

    def _linked(self) -> list[MemoryItem]:
        """Memories whose relations go into the graph as current edges: new ones, and rewritten ones
        whose relations changed."""
        new = [i for i in self._new.values() if i.relations and i.current and i.id not in self._unlinked]
        changed = [
            a for b, a in self._rewrites.values() if a.relations and a.current and a.relations != b.relations
        ]
        return new + changed

    def _plan(self) -> dict[str, Any]:
        befores = [b for b, _ in self._rewrites.values()] + list(self._erased.values())
        return {
            "new": list(self._new),
            "before": [b.model_dump(mode="json") for b in befores],
            "graph_new": [i.id for i in self._linked()] + sorted({e.memory_id or "" for e in self._edges}),
            "closed": [[memory_id, at.isoformat()] for memory_id, at in self._closed],
            "reopened": [[memory_id, at.isoformat()] for memory_id, at in self._reopened],
            "after": {"forget_graph": list(self._erased), "media": list(dict.fromkeys(self._media))},
        }


def _has_steps(after: dict[str, Any]) -> bool:
    return bool(after.get("forget_graph") or after.get("media"))


def rollback(stores: Stores, user_id: str, plan: dict[str, Any]) -> bool:
    """Undo whatever of a plan was done before its commit point. Every step is safe to repeat, and
    each is tried even if another fails; False if any failed (the journal entry must stay)."""
    scope = ScopeFilter(user_id=user_id, include_past=True)
    befores = [MemoryItem.model_validate(b) for b in plan.get("before", [])]
    steps: list[Callable[[], Any]] = []
    if plan.get("new"):
        steps.append(lambda: stores.vectors.delete(plan["new"], scope))
    if befores:
        steps.append(lambda: stores.vectors.upsert(befores, stores.embed([b.text for b in befores])))
    graph = stores.graph
    if graph is not None:
        steps += [lambda m=m: graph.forget_memory(user_id, m) for m in plan.get("graph_new", [])]
        steps += [
            lambda m=m, at=at: graph.reopen_relations(user_id, m, datetime.fromisoformat(at))
            for m, at in plan.get("closed", [])
        ]
        steps += [
            lambda m=m, at=at: graph.close_relations(user_id, m, datetime.fromisoformat(at))
            for m, at in plan.get("reopened", [])
        ]
        steps += [
            lambda b=b: graph.add_relations(user_id, b.id, b.relations, b.valid_from or b.created_at)
            for b in befores
            if b.relations and b.current and b.id in plan.get("graph_new", [])
        ]
    ok = True
    for step in steps:
        try:
            step()
        except Exception:
            ok = False
    return ok


def finish(stores: Stores, user_id: str, after: dict[str, Any]) -> None:
    """The steps after a commit point: they remove data for good, so they run only once it is safe.
    ``delete_user``: every store forgets the user (history last: the journal entry goes with it)."""
    if after.get("delete_user"):
        stores.vectors.delete_scope(ScopeFilter(user_id=user_id, include_past=True))
        if stores.graph is not None:
            stores.graph.delete_user(user_id)
        if after.get("media") and stores.remove_media is not None:
            stores.remove_media(user_id, after["media"])
        stores.history.delete_user(user_id)
        return
    if stores.graph is not None:
        for memory_id in after.get("forget_graph", []):
            stores.graph.forget_memory(user_id, memory_id)
    if after.get("media") and stores.remove_media is not None:
        stores.remove_media(user_id, after["media"])


def recover(stores: Stores) -> int:
    """After a crash: undo units of work that never committed, finish those that did. Returns how many."""
    pending = stores.history.journal_pending()
    for journal_id, user_id, plan in pending:
        if plan.get("committed"):
            finish(stores, user_id, plan)
        elif not rollback(stores, user_id, plan):
            continue  # a store still fails: tried again at the next open
        stores.history.journal_close(journal_id)
    return len(pending)
