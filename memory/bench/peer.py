"""Mem0 as the peer system on the same LoCoMo data, in the same run (optional extra ``peer``).

Offline and local: telemetry off, the same packaged MiniLM weights (through Mem0's own Hugging Face
embedder), its own on-disk Qdrant (local mode) and history database in a temporary folder, and each
turn added with ``infer=False`` (stored as said, as this library's benchmark stores it; no LLM runs).
The LLM it insists on configuring points at a loopback OpenAI-protocol stub that is never asked.
"""

from __future__ import annotations

import importlib.metadata
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from memory.bench.locomo import turns_of
from memory.bench.openai_stub import OpenAIStubServer
from memory.embeddings.onnx import packaged_weights
from memory.errors import ConfigError
from memory.memory import MemoryInput

MEM0_VERSION = "2.2.1"
PEERS = ("mem0",)


def missing_reason() -> str | None:
    """Why Mem0 cannot run here, in words; None when it can."""
    try:
        found = importlib.metadata.version("mem0ai")
    except importlib.metadata.PackageNotFoundError:
        return (
            f"Mem0 is not installed, so there is no peer to compare with. Install the optional extra: "
            f"pip install -e '.[peer]' (mem0ai=={MEM0_VERSION})."
        )
    if found != MEM0_VERSION:
        return f"mem0ai {found} is installed; the peer benchmark is pinned to {MEM0_VERSION}: pip install -e '.[peer]'."
    return None


class Mem0System:
    """Mem0 ``Memory`` with one memory per turn; the turn id rides in the memory's metadata."""

    name = f"mem0 {MEM0_VERSION} (infer=False)"

    def __init__(self, data_dir: Path | None = None) -> None:
        reason = missing_reason()
        if reason:
            raise ConfigError(reason)
        os.environ["MEM0_TELEMETRY"] = "False"
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        for noisy in ("mem0", "httpx", "sentence_transformers", "transformers"):
            logging.getLogger(noisy).setLevel(logging.ERROR)
        from mem0 import Memory as Mem0Memory

        self._dir = Path(data_dir or tempfile.mkdtemp(prefix="mem0-peer-"))
        os.environ.setdefault("MEM0_DIR", str(self._dir / "mem0"))
        self._stub = OpenAIStubServer().start()
        self._mem = Mem0Memory.from_config(
            {
                "vector_store": {
                    "provider": "qdrant",
                    "config": {
                        "collection_name": "locomo",
                        "path": str(self._dir / "qdrant"),
                        "embedding_model_dims": 384,
                        "on_disk": True,
                    },
                },
                "embedder": {
                    "provider": "huggingface",
                    "config": {"model": str(packaged_weights()), "embedding_dims": 384},
                },
                "llm": {
                    "provider": "openai",
                    "config": {"model": "stub", "api_key": "unused", "openai_base_url": self._stub.base_url},
                },
                "history_db_path": str(self._dir / "history.db"),
            }
        )

    def turns(self, conversation: dict[str, Any]) -> list[MemoryInput]:
        return turns_of(conversation)

    def load(self, user: str, turns: list[MemoryInput]) -> None:
        self._mem.delete_all(user_id=user)
        for turn in turns:
            self._mem.add(
                [{"role": "user", "content": turn.text}],
                user_id=user,
                metadata={"turn_id": turn.source.turn_id},
                infer=False,
            )

    def search(self, user: str, question: str, k: int) -> list[str | None]:
        found = self._mem.search(question, top_k=k, filters={"user_id": user})
        rows = found.get("results", []) if isinstance(found, dict) else found
        return [(row.get("metadata") or {}).get("turn_id") for row in rows][:k]

    def close(self) -> None:
        self._stub.stop()
        close = getattr(self._mem, "close", None)
        if callable(close):
            close()


def ratios(ours: dict[str, Any], peer: dict[str, Any]) -> dict[str, Any]:
    """Ours relative to the peer, from one run: recall as ours/peer, speed as peer time / our time."""

    def div(a: float | None, b: float | None) -> float | None:
        return round(a / b, 2) if a and b else None

    out: dict[str, Any] = {
        f"recall@{k}": div(ours.get(f"recall@{k}"), peer.get(f"recall@{k}")) for k in (1, 5, 10)
    }
    out["search_p50_speedup"] = div(peer["search_ms"]["p50"], ours["search_ms"]["p50"])
    out["search_cpu_p50_speedup"] = div(peer["search_cpu_ms"]["p50"], ours["search_cpu_ms"]["p50"])
    out["ingest_speedup"] = div(peer["ingest_s"], ours["ingest_s"])
    return out
