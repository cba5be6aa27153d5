"""Store interfaces (vector, graph, history) and the one place that picks implementations from config."""

from __future__ import annotations

from collections.abc import Callable

from memory.config import MemoryConfig
from memory.stores.base import GraphStore, HistoryStore, VectorStore


def make_vector_store(config: MemoryConfig, dims: int) -> VectorStore:
    vs = config.vector_store
    if vs.provider == "qdrant":
        from memory.stores.qdrant_server import QdrantServerStore

        return QdrantServerStore(
            vs, dims, local_path=config.resolve(vs.path, "qdrant-local") if not vs.url else None
        )
    from memory.stores.qdrant_edge import QdrantEdgeStore

    return QdrantEdgeStore(config.resolve(vs.path, "vectors"), dims, hnsw_ef=vs.hnsw_ef)


def make_history(config: MemoryConfig) -> HistoryStore:
    from memory.stores.history import SQLiteHistory

    return SQLiteHistory(config.resolve(config.history.path, "history.sqlite"))


def make_graph_store(
    config: MemoryConfig, embed: Callable[[list[str]], list[list[float]]] | None = None
) -> GraphStore | None:
    if not config.graph_store.enabled:
        return None
    from memory.stores.graph_kuzu import KuzuGraphStore

    gs = config.graph_store
    return KuzuGraphStore(config.resolve(gs.path, "graph"), embed=embed, engine=gs.engine)
