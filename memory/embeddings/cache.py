"""A bounded, thread-safe cache of text -> vector, so repeated texts (a query asked twice) skip the model."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable


class VectorCache:
    """Least-recently-added eviction past ``size`` entries; keys are SHA-1 of the text."""

    def __init__(self, size: int = 4096) -> None:
        self._size = size
        self._items: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, texts: list[str], encode: Callable[[list[str]], list[list[float]]]) -> list[list[float]]:
        """Vectors for ``texts`` in order; ``encode`` is called once, on the distinct texts not cached."""
        keys = [hashlib.sha1(t.encode("utf-8", "replace")).hexdigest() for t in texts]
        out: dict[str, list[float]] = {}
        with self._lock:
            for k in keys:
                if k in self._items:
                    out[k] = self._items[k]
        todo = dict((k, t) for k, t in zip(keys, texts, strict=True) if k not in out)
        if todo:
            vectors = encode(list(todo.values()))
            with self._lock:
                for k, v in zip(todo, vectors, strict=True):
                    out[k] = v
                    self._items[k] = v
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
        return [out[k] for k in keys]
