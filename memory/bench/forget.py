"""`python -m memory.bench forget`: where forgotten text stays on disk, and what compact() costs.

One user writes N memories (chat turns and facts, with graph edges) beside another user's; then all
of the first user's memories are deleted. The benchmark counts the files under the data directory
that still hold any of the forgotten words, before and after ``Memory.compact()``, and times it.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from memory.config import MemoryConfig
from memory.memory import Memory

CITIES = ["Zorvath", "Quenlix", "Morvania", "Xelbrook", "Tavrune", "Plinthor", "Wendrisk", "Ostravel"]


def _files_holding(root: Path, words: list[str]) -> list[str]:
    needles = [w.encode() for w in words]
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if any(n in data for n in needles):
                found.append(path.relative_to(root).as_posix())
    return sorted(found)


def run(n: int = 200, data_dir: Path | None = None) -> dict[str, Any]:
    root = data_dir or Path(tempfile.mkdtemp(prefix="memory-forget-"))
    words = [f"{c}{i}" for i in range(n) for c in CITIES[:1]]
    try:
        with Memory(MemoryConfig(data_dir=root)) as memory:
            for i, word in enumerate(words):
                memory.add(f"I live in {word} and my friend Ana{i} works at {word} Labs.", user_id="leaver")
            for i in range(n):
                memory.add(f"I live in Keepton{i}.", user_id="stayer")
            memory.flush()
            stayer = memory.count(user_id="stayer")
            start = time.perf_counter()
            memory.delete_all(user_id="leaver")
            delete_s = time.perf_counter() - start
            before = _files_holding(root, words)
            start = time.perf_counter()
            sizes = memory.compact()
            compact_s = time.perf_counter() - start
            after = _files_holding(root, words)
            intact = memory.count(user_id="stayer") == stayer
        return {
            "memories_forgotten": n,
            "other_user_memories": stayer,
            "delete_all_s": round(delete_s, 3),
            "files_with_forgotten_text_before_compact": before,
            "files_with_forgotten_text_after_compact": after,
            "compact_s": round(compact_s, 3),
            "disk_bytes_before_compact": sizes["bytes_before"],
            "disk_bytes_after_compact": sizes["bytes_after"],
            "other_user_intact": intact,
        }
    finally:
        if data_dir is None:
            shutil.rmtree(root, ignore_errors=True)
