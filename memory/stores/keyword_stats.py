"""Per-user BM25 document frequencies, for a Qdrant server whose IDF would span every user.

A Qdrant collection's IDF modifier counts documents across the whole collection: one user's words
would shape another user's ranking. The embedded engine takes a corpus filter for IDF; a server does
not. So the server store keeps, per user, how many of their memories hold each term (read once from
the server, then kept up to date on every write), and sends the IDF weights in the query vector.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Callable, Iterable


def idf(n_docs: int, df: int) -> float:
    """BM25's IDF, as the Qdrant engine computes it."""
    return math.log((n_docs - df + 0.5) / (df + 0.5) + 1.0)


class KeywordStats:
    """Term document frequencies per user; ``load(user)`` yields the term ids of each of their points."""

    def __init__(self, load: Callable[[str], Iterable[list[int]]]) -> None:
        self._load = load
        self._users: dict[str, tuple[int, Counter[int]]] = {}
        self._lock = threading.Lock()

    def _stats(self, user_id: str) -> tuple[int, Counter[int]]:
        with self._lock:
            cached = self._users.get(user_id)
        if cached is not None:
            return cached
        df: Counter[int] = Counter()
        n = 0
        for terms in self._load(user_id):
            df.update(set(terms))
            n += 1
        with self._lock:
            return self._users.setdefault(user_id, (n, df))

    def weights(self, user_id: str, terms: list[int]) -> list[float]:
        n, df = self._stats(user_id)
        return [idf(n, df.get(t, 0)) for t in terms]

    def change(
        self, user_id: str, added: Iterable[list[int]] = (), removed: Iterable[list[int]] = ()
    ) -> None:
        """Points written (their new terms) and points replaced or deleted (their old terms)."""
        with self._lock:
            cached = self._users.get(user_id)
            if cached is None:
                return  # not loaded yet: read fresh when first needed
            n, df = cached
            for terms in added:
                df.update(set(terms))
                n += 1
            for terms in removed:
                df.subtract(set(terms))
                n -= 1
            self._users[user_id] = (n, +df)

    def forget(self, user_id: str | None = None) -> None:
        with self._lock:
            if user_id is None:
                self._users.clear()
            else:
                self._users.pop(user_id, None)
