"""`python -m memory.bench service --n 10000`: what the HTTP service adds to the library's latency.

A real `python -m memory serve` process on 127.0.0.1 is loaded with N synthetic one-line notes of one
user (through /v1/import), then searched and written through MemoryClient; after it stops, the same
data directory is opened in-process and the same queries are run on the library, for comparison.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

SUBJECTS = ["my sister", "my boss", "the dentist", "our neighbour", "my coach", "the landlord", "I", "we"]
VERBS = ["visited", "called about", "booked", "paid for", "cancelled", "moved", "asked about", "planned"]
OBJECTS = ["the trip to Lisbon", "the blue car", "a yoga class", "the roof repair", "a birthday dinner"]


def _note(n: int) -> str:
    return f"{SUBJECTS[n % 8]} {VERBS[(n // 8) % 8]} {OBJECTS[(n // 64) % 5]} (note {n})"


def _percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2),
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _timed(fn: Any, args: list[Any]) -> list[float]:
    times = []
    for arg in args:
        started = time.perf_counter()
        fn(arg)
        times.append(time.perf_counter() - started)
    return times


def run(n: int, queries: int = 200) -> dict[str, Any]:
    from memory import Memory, MemoryConfig
    from memory.client import MemoryClient

    data = Path(tempfile.mkdtemp(prefix="bench-service-"))
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "MEMORY_SERVER__RATE_PER_S": "100000",
        "MEMORY_SERVER__BURST": "100000",
    }
    cli = [sys.executable, "-m", "memory", "--data-dir", str(data)]
    key = subprocess.run(
        [*cli, "keys", "create", "--tenant", "bench"], capture_output=True, text=True, env=env, check=True
    ).stdout.strip()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    questions = [f"what did {SUBJECTS[q % 8]} do about {OBJECTS[q % 5]} {q}" for q in range(queries)]
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        client = MemoryClient(url, key, retries=0)
        started = time.perf_counter()
        for start in range(0, n, 500):
            batch = [{"text": _note(i), "type": "episodic"} for i in range(start, min(n, start + 500))]
            client.import_({"memories": batch}, user_id="u1")
        load_s = time.perf_counter() - started
        client.search("warm up", user_id="u1")
        search = _timed(lambda q: client.search(q, user_id="u1"), questions)
        add = _timed(lambda i: client.add(f"extra note {i}", user_id="u1", infer=False), range(queries))
        get_page = _timed(lambda _: client.list_page({"user_id": "u1"}, 100), range(20))
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    with Memory(MemoryConfig(data_dir=data)) as mem:
        mem.search("warm up", user_id="bench\x1fu1")
        embedded = _timed(lambda q: mem.search(q, user_id="bench\x1fu1"), questions)
    return {
        "n": n,
        "load_per_s_via_import": round(n / load_s),
        "search_http": _percentiles(search),
        "search_embedded": _percentiles(embedded),
        "add_raw_http": _percentiles(add),
        "list_page_100_http": _percentiles(get_page),
    }
