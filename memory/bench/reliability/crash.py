"""kill -9 during adds and during ingest: a writer process reports every acknowledged write on a file,
this process kills it at a random moment, then reopens the data directory it left and checks.

Checked after every reopen (for everything acknowledged so far): each acknowledged memory is there
with its history; a document is whole or absent (never some of its chunks); no memory of a touched
user lacks history. Run as ``python -m memory.bench.reliability.crash`` for the writer side.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from memory import Memory, MemoryConfig
from memory.bench.reliability.corpus import note, pdf_document, text_document
from memory.bench.stats import percentile
from memory.errors import NotFoundError

READY = "ready"
_ADD_USERS = 4


def run(root: Path, options: Any) -> dict[str, Any]:
    """Prepare documents with their expected sizes, then kill a writer, reopen, check, ``kills`` times."""
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(options.seed)
    docs = _documents(root / "docs", rng, options)
    started = time.perf_counter()
    with Memory(MemoryConfig(data_dir=root / "expected")) as probe:
        fresh_open_s = time.perf_counter() - started
        for doc in docs:
            doc["expected"] = len(probe.ingest(Path(doc["path"]), user_id="probe").memories_added)
    (root / "docs.json").write_text(json.dumps(docs))
    acknowledged: list[dict[str, Any]] = []
    rounds = []
    for k in range(options.kills):
        mode = "add" if k % 2 == 0 else "ingest"
        out = root / f"round{k:02d}.jsonl"
        proc = _start(root, mode, out, options.seed * 100 + k)
        ready = _wait_ready(proc)
        delay = rng.uniform(options.kill_window_s / 4, options.kill_window_s) if ready else 0.0
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        written = _read_acks(out)
        acknowledged += written
        check = _reopen_and_verify(root / "data", acknowledged, docs)
        rounds.append({"mode": mode, "ready": ready, "killed_after_s": round(delay, 3), **check})
        rounds[-1]["acknowledged_in_round"] = sum(len(r.get("ids", [])) for r in written)
    return _summary(rounds, fresh_open_s)


def _reopen_and_verify(
    data_dir: Path, rows: list[dict[str, Any]], docs: list[dict[str, Any]]
) -> dict[str, Any]:
    """Open the data directory the killed writer left behind (in this process) and check it."""
    started = time.perf_counter()
    try:
        memory = Memory(MemoryConfig(data_dir=data_dir))
    except Exception as exc:  # a data directory that no longer opens is the worst outcome
        return {"error": f"{type(exc).__name__}: {exc}"}
    reopen_s = time.perf_counter() - started
    try:
        return {"reopen_s": round(reopen_s, 3), **verify(memory, rows, docs)}
    finally:
        memory.close()


def _summary(rounds: list[dict[str, Any]], fresh_open_s: float) -> dict[str, Any]:
    reopen = [r["reopen_s"] for r in rounds if "reopen_s" in r]
    total = {
        key: sum(r.get(key, 0) for r in rounds)
        for key in ("missing", "missing_history", "partial_documents", "orphans")
    }
    last = rounds[-1] if rounds else {}
    result = {
        "kills": len(rounds),
        "kills_during_add": sum(1 for r in rounds if r["mode"] == "add"),
        "kills_during_ingest": sum(1 for r in rounds if r["mode"] == "ingest"),
        "writers_not_ready": sum(1 for r in rounds if not r["ready"]),
        "acknowledged_writes": last.get("acknowledged", 0),
        "documents_started": last.get("documents_started", 0),
        "documents_acknowledged": last.get("documents_acknowledged", 0),
        "documents_absent_after_kill": last.get("documents_absent", 0),
        **{f"{k}_total_over_reopens": v for k, v in total.items()},
        "reopen_s": {
            "p50": round(percentile(reopen, 0.5), 3),
            "max": round(max(reopen, default=0.0), 3),
        },
        "fresh_open_s": round(fresh_open_s, 3),
        "reopen_errors": [r["error"] for r in rounds if "error" in r],
        "examples": [e for r in rounds for e in r.get("examples", [])][:8],
        "rounds": rounds,
    }
    labels = {
        "missing": "acknowledged writes missing after a reopen",
        "missing_history": "acknowledged writes without history after a reopen",
        "partial_documents": "partial documents after a reopen",
        "orphans": "memories without history after a reopen",
    }
    result["violations"] = [f"crash: {v} {labels[k]}" for k, v in total.items() if v] + [
        f"crash: reopen failed: {e}" for e in result["reopen_errors"]
    ]
    return result


def _documents(folder: Path, rng: random.Random, options: Any) -> list[dict[str, Any]]:
    """A few documents big enough that an ingest takes a while, so a kill can land inside one."""
    folder.mkdir(parents=True, exist_ok=True)
    payloads = [
        ("notes-small.txt", text_document(rng, 6_000)),
        ("report.pdf", pdf_document(rng, 4)),
        ("notes-large.txt", text_document(rng, 30_000)),
    ]
    docs = []
    for name, data in payloads:
        path = folder / name
        path.write_bytes(data)
        docs.append({"name": name, "path": str(path), "sha256": hashlib.sha256(data).hexdigest()})
    return docs


def _start(root: Path, mode: str, out: Path, seed: int) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "memory.bench.reliability.crash", str(root), mode, str(out), str(seed)]
    source_root = str(Path(__file__).resolve().parents[3])  # the folder that holds the memory package
    path = os.pathsep.join(p for p in (source_root, os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "PYTHONPATH": path, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)


def _wait_ready(proc: subprocess.Popen[str], timeout_s: float = 180.0) -> bool:
    """True once the writer says it is writing; False if it died or took too long."""
    box: list[str] = []
    reader = threading.Thread(target=lambda: box.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout_s)
    return bool(box) and box[0].strip() == READY


def _read_acks(path: Path) -> list[dict[str, Any]]:
    """What the writer reported before it was killed; a half-written last line is dropped."""
    rows = []
    for line in path.read_text().splitlines() if path.exists() else []:
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return rows


# -- the writer process ------------------------------------------------------------------------------


def writer_main(argv: list[str]) -> int:
    """Open the data directory, say READY, then write until killed, reporting each acknowledged write."""
    parser = argparse.ArgumentParser()
    for name in ("root", "mode", "out", "seed"):
        parser.add_argument(name)
    args = parser.parse_args(argv)
    root = Path(args.root)
    docs = json.loads((root / "docs.json").read_text())
    memory = Memory(MemoryConfig(data_dir=root / "data"))
    memory.search("warm up the model", user_id="crash-warm-up")  # the first embedding is slow
    out = open(args.out, "a", buffering=1)  # noqa: SIM115 - line-buffered, open until the kill
    print(READY, flush=True)
    rng = random.Random(int(args.seed))
    n = 0
    while True:
        n += 1
        if args.mode == "add":
            user = f"crash-user-{rng.randrange(_ADD_USERS)}"
            result = memory.add(note(rng, f"{user} s{args.seed} n{n}"), user_id=user)
            ids = [o.memory_id for o in result.operations if o.event.value == "ADD" and o.memory_id]
            out.write(json.dumps({"op": "add", "user": user, "ids": ids}) + "\n")
        else:
            doc = docs[n % len(docs)]
            user = f"crash-doc-{args.seed}-{n}"  # a new user each time: a re-upload would be a duplicate
            out.write(json.dumps({"op": "ingest_start", "user": user, "sha256": doc["sha256"]}) + "\n")
            result = memory.ingest(Path(doc["path"]), user_id=user, filename=doc["name"])
            row = {"op": "ingest_done", "user": user, "sha256": doc["sha256"], "ids": result.memories_added}
            out.write(json.dumps(row) + "\n")


def verify(memory: Memory, rows: list[dict[str, Any]], docs: list[dict[str, Any]]) -> dict[str, Any]:
    """Check every acknowledged write in ``rows`` against the reopened memory."""
    expected = {d["sha256"]: d["expected"] for d in docs}
    missing = missing_history = partial = orphans = absent = acknowledged = 0
    examples: list[str] = []
    users: set[str] = set()
    for row in rows:
        users.add(row["user"])
        for memory_id in row.get("ids", []):
            acknowledged += 1
            try:
                memory.get(memory_id, user_id=row["user"])
            except NotFoundError:
                missing += 1
                examples.append(f"acknowledged {memory_id} of {row['user']} is missing")
                continue
            try:
                memory.history(memory_id, user_id=row["user"])
            except NotFoundError:
                missing_history += 1
                examples.append(f"acknowledged {memory_id} has no history")
        if row["op"] == "ingest_start":
            stored = memory.count_document(row["sha256"], user_id=row["user"])
            absent += stored == 0
            if stored not in (0, expected[row["sha256"]]):
                partial += 1
                examples.append(
                    f"document {row['sha256'][:12]} of {row['user']}: {stored} of "
                    f"{expected[row['sha256']]} memories stored"
                )
    for user in sorted(users):
        for item in memory.get_all(user_id=user):
            try:
                memory.history(item.id, user_id=user)
            except NotFoundError:
                orphans += 1
                examples.append(f"{item.id} of {user} is stored without history")
    started = [r for r in rows if r["op"] == "ingest_start"]
    return {
        "acknowledged": acknowledged,
        "missing": missing,
        "missing_history": missing_history,
        "partial_documents": partial,
        "orphans": orphans,
        "documents_started": len(started),
        "documents_acknowledged": sum(1 for r in rows if r["op"] == "ingest_done"),
        "documents_absent": absent,
        "examples": examples[:5],
    }


if __name__ == "__main__":
    sys.exit(writer_main(sys.argv[1:]))
