"""Forgetting: one memory with its versions, every memory of a scope, a whole user, everything; the
stored files no memory refers to any more; and what deleted text leaves in the engines' files.
The facade holds the locks and epochs around these; writes go through its ``writing``."""

from __future__ import annotations

import contextlib
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from ingestion import media
from memory.agent_scope import Scope
from memory.checks import check_id
from memory.errors import UnsafePathError
from memory.reading import Reading, owner_of, store_scope
from memory.reconcile import media_of, versions
from memory.stores.base import ScopeFilter
from memory.writes import Stores, Writing, finish


class Forgetting:
    """The erasures behind ``Memory.delete``, ``delete_all``, ``reset`` and ``compact``."""

    def __init__(self, stores: Stores, reading: Reading, data_dir: Path, writing: Writing) -> None:
        self._stores = stores
        self._reading = reading
        self._data_dir = data_dir
        self._writing = writing

    def delete(self, memory_id: Any, user_id: str | None, agent_id: str | None, scope: Scope) -> None:
        """Forget one memory, with the versions it replaced or that replaced it: their text leaves the
        vector store, graph, history and transcripts."""
        memory_id, user_id = check_id(memory_id), owner_of(user_id, agent_id, scope)
        with self._writing(user_id) as uow:
            assert uow is not None
            item = self._reading.owned(memory_id, user_id, agent_id)
            for version in versions(self._stores.vectors, item):
                uow.erase(version, reason="deleted", media=media_of(version))

    def erase(self, scope: ScopeFilter, reason: str) -> int:
        """Forget every memory in a store scope, in one unit of work; returns how many."""
        with self._writing(scope.user_id) as uow:
            assert uow is not None
            items = list(self._stores.vectors.scroll(scope))
            for item in items:
                uow.erase(item, reason=reason, media=media_of(item))
        return len(items)

    def erase_user(self, user_id: str) -> int:
        """Every store forgets the user. Journaled as committed first, so a crash midway is finished
        on the next open instead of leaving half a user behind."""
        scope = ScopeFilter(user_id=user_id, include_past=True)
        n = self._stores.vectors.count(scope)
        paths = [p for item in self._stores.vectors.scroll(scope) for p in media_of(item)]
        plan = {"committed": True, "delete_user": True, "media": paths}
        self._stores.history.journal_open(user_id, plan)
        finish(self._stores, user_id, plan)
        return n

    def reset(self) -> None:
        """Every store and every stored file forgets everyone."""
        self._stores.vectors.reset()
        self._stores.history.reset()
        if self._stores.graph is not None:
            self._stores.graph.reset()
        media.remove_all_media(self._data_dir)

    def compact(self, guard: AbstractContextManager[Any]) -> dict[str, int]:
        """Purge what deleted memories left in the engines' files (write-ahead logs, free pages), so
        forgotten text is gone from disk too. Run after delete_all; it rewrites the stores, so it takes
        longer than a write. Returns the data directory's size in bytes before and after."""
        before = _disk_bytes(self._data_dir)
        with guard:
            compact = getattr(self._stores.vectors, "compact", None)
            if compact is not None:
                compact()
            self._stores.history.compact()
            if self._stores.graph is not None:
                self._stores.graph.compact()
        return {"bytes_before": before, "bytes_after": _disk_bytes(self._data_dir)}

    def remove_media(self, user_id: str, paths: list[str]) -> None:
        """Remove this user's stored files that none of their memories refers to any more. Media are
        per user, so another user's copy of the same image stays; a path outside the user's own
        media folder (from an imported record, say) is never touched."""
        scope = store_scope(user_id, None, None, None, include_past=True)
        still = {p for item in self._stores.vectors.scroll(scope) for p in media_of(item)}
        for rel in paths:
            if rel not in still:
                with contextlib.suppress(UnsafePathError):
                    media.remove_media(self._data_dir, rel, user_id=user_id)


def _disk_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
