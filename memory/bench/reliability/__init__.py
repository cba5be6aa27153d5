"""`python -m memory.bench reliability`: concurrency, kill -9, malformed inputs and fairness, through the
public API only (``Memory``, ``MemoryConfig``), on real stores in a temporary directory, without an LLM.

Each part returns a dict of counts and timings; ``violations`` lists every invariant that did not hold.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Options:
    """How big each part runs; ``QUICK`` is the scaled-down run the test uses."""

    threads: int = 8
    ops_per_thread: int = 500
    users: int = 16
    races: int = 10  # an update that read a memory before its delete was acknowledged
    kills: int = 20  # half during adds, half during ingest
    kill_window_s: float = (
        3.0  # a kill lands uniformly in (a quarter of this, this) after the writer is ready
    )
    upload_mb: float = 5.0
    probe_adds: int = 40
    seed: int = 1


QUICK = Options(
    threads=4, ops_per_thread=20, users=8, races=3, kills=2, kill_window_s=1.5, upload_mb=0.1, probe_adds=8
)

PARTS = ("concurrency", "crash", "malformed", "fairness")


def options_for(quick: bool, **overrides: Any) -> Options:
    base = QUICK if quick else Options()
    return replace(base, **{k: v for k, v in overrides.items() if v is not None})


def run(options: Options, *, parts: tuple[str, ...] = PARTS, data_dir: Path | None = None) -> dict[str, Any]:
    """Run the chosen parts; every store lives under ``data_dir`` (kept), else a temporary dir (removed)."""
    if data_dir is None:
        with tempfile.TemporaryDirectory(prefix="memory-reliability-") as tmp:
            return _run(options, parts, Path(tmp))
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    return {**_run(options, parts, Path(data_dir)), "data_dir": str(data_dir)}


def _run(options: Options, parts: tuple[str, ...], root: Path) -> dict[str, Any]:
    from memory.bench.reliability import concurrency, crash, fairness, malformed

    runners = {
        "concurrency": lambda: concurrency.run(root / "concurrency", options),
        "crash": lambda: crash.run(root / "crash", options),
        "malformed": lambda: malformed.run(root / "malformed", options),
        "fairness": lambda: fairness.run(root / "fairness", options),
    }
    result: dict[str, Any] = {"options": asdict(options)}
    for part in parts:
        started = time.perf_counter()
        result[part] = runners[part]()
        result[part]["wall_s"] = round(time.perf_counter() - started, 1)
    result["violations"] = [v for part in parts for v in result[part].get("violations", [])]
    return result
