"""`python -m memory.bench graph-engine`: Kuzu 0.11.3 against LadybugDB on the same workloads.

Each engine runs in its own child process (the two native modules cannot be loaded in one process):
- leak: RSS growth per ``execute(query, params)`` (the path that leaked ~6 KB a call on Kuzu) and per
  execute of one prepared statement (what the store uses);
- index: primary-key point lookups as the node table grows, and whether the full-text and vector
  index extensions load without a network;
- commits: one-row write transactions per second;
- store: KuzuGraphStore.add_relations throughput, RSS growth and disk on that engine.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ENGINES = ("kuzu", "ladybug")


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _leak(module: Any, where: Path, calls: int) -> dict[str, float]:
    db = module.Database(str(where / "leak.db"), buffer_pool_size=64 * 1024**2)
    conn = module.Connection(db)
    conn.execute("CREATE NODE TABLE T(id STRING PRIMARY KEY, v INT64)")
    conn.execute("CREATE (:T {id: 'a', v: 1})")
    query = "MATCH (t:T) WHERE t.id = $id RETURN t.v"
    out: dict[str, float] = {}
    for label in ("unprepared", "prepared"):
        statement = conn.prepare(query) if label == "prepared" else query
        for _ in range(500):  # warm up caches before the first reading
            conn.execute(statement, {"id": "a"}).close()
        gc.collect()
        before, started = rss_mb(), time.perf_counter()
        for _ in range(calls):
            conn.execute(statement, {"id": "a"}).close()
        gc.collect()
        out[f"{label}_kb_per_call"] = round((rss_mb() - before) * 1024 / calls, 3)
        out[f"{label}_us_per_call"] = round((time.perf_counter() - started) / calls * 1e6, 1)
    conn.close()
    db.close()
    return out


def _index(module: Any, where: Path, sizes: tuple[int, ...]) -> dict[str, Any]:
    db = module.Database(str(where / "index.db"), buffer_pool_size=256 * 1024**2)
    conn = module.Connection(db)
    conn.execute("CREATE NODE TABLE E(id STRING PRIMARY KEY, name STRING)")
    insert = conn.prepare("CREATE (:E {id: $id, name: $name})")
    lookup = conn.prepare("MATCH (e:E {id: $id}) RETURN e.name")
    out: dict[str, Any] = {"lookup_p50_us": {}, "insert_per_s": {}}
    have = 0
    for size in sizes:
        started = time.perf_counter()
        conn.execute("BEGIN TRANSACTION")
        for n in range(have, size):
            conn.execute(insert, {"id": f"e{n}", "name": f"name {n}"}).close()
        conn.execute("COMMIT")
        out["insert_per_s"][size] = round((size - have) / (time.perf_counter() - started))
        have = size
        times = []
        for n in range(0, size, max(1, size // 500)):
            t0 = time.perf_counter()
            rows = conn.execute(lookup, {"id": f"e{n}"}).get_all()
            times.append(time.perf_counter() - t0)
            assert rows == [[f"name {n}"]]
        out["lookup_p50_us"][size] = round(statistics.median(times) * 1e6, 1)
    for ext, create in (
        ("fts", "CALL CREATE_FTS_INDEX('E', 'e_fts', ['name'])"),
        ("vector", None),
    ):
        try:
            conn.execute(f"LOAD EXTENSION {ext}")
            if create:
                conn.execute(create)
            out[f"{ext}_extension"] = "loads offline"
        except Exception as exc:  # the finding is the message: what the engine needs first
            out[f"{ext}_extension"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
    conn.close()
    db.close()
    return out


def _commits(module: Any, where: Path, n: int = 300) -> float:
    """One-row write transactions per second (the store commits one transaction per memory)."""
    db = module.Database(str(where / "commit.db"), buffer_pool_size=64 * 1024**2)
    conn = module.Connection(db)
    conn.execute("CREATE NODE TABLE C(id STRING PRIMARY KEY)")
    insert = conn.prepare("CREATE (:C {id: $id})")
    started = time.perf_counter()
    for i in range(n):
        conn.execute("BEGIN TRANSACTION")
        conn.execute(insert, {"id": f"c{i}"}).close()
        conn.execute("COMMIT")
    rate = n / (time.perf_counter() - started)
    conn.close()
    db.close()
    return round(rate)


def _store(engine: str, where: Path, memories: int) -> dict[str, float]:
    from memory.stores.graph_kuzu import KuzuGraphStore
    from memory.types import Relation

    at = datetime(2024, 1, 1, tzinfo=UTC)
    before = rss_mb()
    started = time.perf_counter()
    with KuzuGraphStore(where / "graph", engine=engine) as store:
        for n in range(memories):
            rel = Relation(subject="user", relation=f"likes_{n % 40}", object=f"thing {n % 300}")
            store.add_relations("u1", f"m{n}", [rel], at)
        elapsed = time.perf_counter() - started
        grown = rss_mb() - before
        edges = len(store.edges("u1"))
    disk = sum(p.stat().st_size for p in (where / "graph").rglob("*") if p.is_file())
    return {
        "memories": memories,
        "edges": edges,
        "adds_per_s": round(memories / elapsed, 1),
        "rss_growth_mb": round(grown, 1),
        "disk_mb": round(disk / 1024**2, 2),
    }


def measure(engine: str, calls: int, memories: int) -> dict[str, Any]:
    """One engine, in this process."""
    from memory.stores.graph_kuzu import open_engine

    module, _ = open_engine(engine)
    with tempfile.TemporaryDirectory(prefix=f"bench-{engine}-") as tmp:
        where = Path(tmp)
        return {
            "engine": engine,
            "version": getattr(module, "__version__", "?"),
            "leak": _leak(module, where, calls),
            "index": _index(module, where, (1_000, 10_000, 50_000)),
            "commits_per_s": _commits(module, where),
            "store": _store(engine, where, memories),
        }


def run(calls: int = 20_000, memories: int = 2_000) -> dict[str, Any]:
    """Every engine in a child process of its own; their results side by side."""
    results = {}
    for engine in ENGINES:
        done = subprocess.run(
            [sys.executable, "-m", "memory.bench.graph_engine", engine, str(calls), str(memories)],
            capture_output=True,
            text=True,
            env={**os.environ, "HF_HUB_OFFLINE": "1"},
            timeout=1800,
        )
        if done.returncode != 0:
            results[engine] = {"error": done.stderr[-2000:]}
        else:
            results[engine] = json.loads(done.stdout.strip().splitlines()[-1])
    return results


if __name__ == "__main__":
    warnings.simplefilter("ignore", DeprecationWarning)  # Kuzu's notice about prepare()
    print(json.dumps(measure(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))
