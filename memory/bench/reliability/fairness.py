"""The latency one user's ``add`` sees while another user uploads a large file, against the same
``add`` with nobody else writing."""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path
from typing import Any

from memory import Memory, MemoryConfig
from memory.bench.reliability.corpus import note, text_document
from memory.bench.stats import percentile

FAIR_DELAY_S = 0.5  # the bound: another user's upload delays a write by at most about this


def run(data_dir: Path, options: Any) -> dict[str, Any]:
    rng = random.Random(options.seed)
    upload = text_document(rng, int(options.upload_mb * 1024 * 1024))
    with Memory(MemoryConfig(data_dir=data_dir)) as memory:
        memory.add("warm-up note about the garden", user_id="user-b")
        alone = [_timed_add(memory, rng, n) for n in range(options.probe_adds)]
        box: dict[str, Any] = {}
        uploader = threading.Thread(target=_upload, args=(memory, upload, box), daemon=True)
        uploader.start()
        during: list[float] = []
        while uploader.is_alive():  # only adds that start while the upload runs
            during.append(_timed_add(memory, rng, len(alone) + len(during)))
        uploader.join()
    result = {
        "upload_bytes": len(upload),
        "upload_s": round(box.get("seconds", 0.0), 1),
        "upload_memories": box.get("memories", 0),
        "upload_skipped": box.get("skipped", []),
        "upload_error": box.get("error"),
        "b_alone_ms": _stats(alone),
        "b_during_upload_ms": _stats(during),
    }
    worst = result["b_during_upload_ms"]["max"] / 1000 - result["b_alone_ms"]["max"] / 1000
    result["max_delay_added_s"] = round(worst, 3)
    result["violations"] = [
        f"fairness: during another user's upload an add took {worst:.2f} s longer than the slowest "
        f"add alone (bound {FAIR_DELAY_S} s)"
    ] * (worst > FAIR_DELAY_S)
    if result["upload_error"]:
        result["violations"].append(f"fairness: the upload failed: {result['upload_error']}")
    return result


def _timed_add(memory: Memory, rng: random.Random, n: int) -> float:
    started = time.perf_counter()
    memory.add(note(rng, f"user-b n{n}"), user_id="user-b")
    return (time.perf_counter() - started) * 1000


def _upload(memory: Memory, data: bytes, box: dict[str, Any]) -> None:
    started = time.perf_counter()
    try:
        result = memory.ingest(data, user_id="user-a", filename="big-upload.txt")
        box["memories"] = len(result.memories_added)
        box["skipped"] = [f"{s.where}: {s.why}" for s in result.skipped]
    except Exception as exc:  # reported, not raised: the benchmark still gives B's figures
        box["error"] = f"{type(exc).__name__}: {exc}"
    box["seconds"] = time.perf_counter() - started


def _stats(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50": round(percentile(values, 0.5), 1),
        "p95": round(percentile(values, 0.95), 1),
        "max": round(max(values, default=0.0), 1),
    }
