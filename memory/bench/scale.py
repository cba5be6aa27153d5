"""Scale: add throughput, search latency (query embedding included), RSS and disk at N memories."""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from tqdm import tqdm

from memory.bench.stats import dir_mb, percentile, rss_mb
from memory.config import MemoryConfig
from memory.memory import Memory, MemoryInput
from memory.types import Relation

_SUBJECTS = [
    "I",
    "My sister",
    "My boss",
    "Our team",
    "My friend Alex",
    "The landlord",
    "My doctor",
    "Grandma",
]
_VERBS = [
    "visited",
    "booked",
    "cancelled",
    "recommended",
    "bought",
    "mentioned",
    "planned",
    "reviewed",
    "fixed",
]
_OBJECTS = [
    "a trip to Lisbon",
    "the dentist appointment",
    "a new laptop",
    "the quarterly report",
    "a pasta recipe",
    "tickets for the concert",
    "the garden fence",
    "a yoga class",
    "the car insurance",
    "a birthday gift",
    "the flight to Tokyo",
    "a book about birds",
    "the kitchen sink",
    "a hiking trail",
    "the budget sheet",
]
_WHEN = ["yesterday", "last week", "on Monday", "in March", "this morning", "two days ago", "at the weekend"]


def synthetic_inputs(n: int, seed: int = 7) -> list[MemoryInput]:
    """Notes like "My sister booked the flight to Tokyo last week", each with its (subject, verb, object)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        s, v, o = rng.choice(_SUBJECTS), rng.choice(_VERBS), rng.choice(_OBJECTS)
        out.append(
            MemoryInput(
                text=f"{s} {v} {o} {rng.choice(_WHEN)} (note {i})",
                relations=[Relation(subject=s, relation=v, object=o)],
            )
        )
    return out


def _index_building(mem: Memory) -> bool:
    """Whether the vector store's background index build is running now (Qdrant Edge only)."""
    lock = getattr(getattr(mem, "_vectors", None), "_optimizing", None)
    return bool(lock is not None and lock.locked())


def run(
    n: int, queries: int = 200, batch: int = 512, data_dir: Path | None = None, graph: bool = False
) -> dict[str, Any]:
    tmp = Path(data_dir) if data_dir else Path(tempfile.mkdtemp(prefix="memory-scale-"))
    mem = Memory(MemoryConfig(data_dir=tmp, graph_store={"enabled": graph}))
    inputs = synthetic_inputs(n)
    if not graph:
        inputs = [i.model_copy(update={"relations": []}) for i in inputs]
    rss_before = rss_mb()
    t0 = time.perf_counter()
    for start in tqdm(range(0, n, batch), desc=f"adding {n}"):
        mem.add_batch(inputs[start : start + batch], user_id="scale-user")
    add_s = time.perf_counter() - t0
    rng = random.Random(11)
    qs = [
        f"when did {rng.choice(_SUBJECTS).lower()} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}?"
        for _ in range(queries)
    ]
    # Right after the writes, before any forced build: what a user searching during a bulk import
    # sees (the background build they started may still run; the newest points are not indexed yet).
    # At least 50 queries, and on while a build runs.
    building_at_start = _index_building(mem)
    during = []
    for i, q in enumerate(qs):
        if i >= 50 and not _index_building(mem):
            break
        t = time.perf_counter()
        mem.search(f"{q} @{i}", user_id="scale-user", limit=10)
        during.append((time.perf_counter() - t) * 1000)
    t1 = time.perf_counter()
    mem.optimize()  # wait for the index build the writes started, so searches run on HNSW
    optimize_s = time.perf_counter() - t1
    mem.flush()
    for q in qs[:10]:  # warm-up
        mem.search(q, user_id="scale-user", limit=10)
    lat = []
    for i, q in enumerate(qs):
        t = time.perf_counter()
        mem.search(f"{q} #{i}", user_id="scale-user", limit=10)  # unique text: no embedding cache hit
        lat.append((time.perf_counter() - t) * 1000)
    emb = []
    for i, q in enumerate(qs[:100]):
        t = time.perf_counter()
        mem.embedder.embed_query(f"{q} ~{i}")
        emb.append((time.perf_counter() - t) * 1000)
    result = {
        "n": n,
        "graph": graph,
        "add_per_s": round(n / add_s, 1),
        "index_wait_s": round(optimize_s, 1),
        "search_ms": {"p50": round(percentile(lat, 0.5), 2), "p95": round(percentile(lat, 0.95), 2)},
        "search_ms_before_index_build": {
            "index_building": building_at_start,
            "queries": len(during),
            "p50": round(percentile(during, 0.5), 2),
            "p95": round(percentile(during, 0.95), 2),
        },
        "embed_query_ms": {"p50": round(percentile(emb, 0.5), 2)},
        "rss_mb": round(rss_mb(), 1),
        "rss_growth_mb": round(rss_mb() - rss_before, 1),
        "disk_mb": round(dir_mb(tmp), 1),
    }
    mem.close()
    if data_dir is None:  # a store of its own: 600 MB at 100,000 memories, not left behind
        shutil.rmtree(tmp, ignore_errors=True)
    return result
