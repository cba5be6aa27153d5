"""Embedder backends side by side in one process: ONNX Runtime (the default int8 export, and fp32)
vs sentence-transformers on torch.

Queries are interleaved (one of each backend in turn), so a busy machine slows both alike and the
ratio holds better than either figure; vectors are compared by cosine.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from memory.bench.stats import percentile
from memory.config import EmbedderConfig
from memory.embeddings.local import LocalEmbedder
from memory.embeddings.onnx import OnnxEmbedder

_QUERY = "When did {} go to the support group meeting about adoption, number {}?"
_NAMES = ("Caroline", "Melanie", "Jon", "Gina", "the user")


def run(queries: int = 200, batch: int = 256, cache_dir: Path | None = None) -> dict[str, Any]:
    folder = Path(cache_dir or tempfile.mkdtemp(prefix="memory-embed-"))
    t0 = time.perf_counter()
    onnx = OnnxEmbedder(EmbedderConfig(), folder)  # the default: int8 weights
    first_use_s = time.perf_counter() - t0  # export + load: once per data directory
    backends = {
        "onnx": onnx,
        "onnx_fp32": OnnxEmbedder(EmbedderConfig(precision="fp32"), folder),
        "torch_fp32": LocalEmbedder(EmbedderConfig(backend="torch", precision="fp32")),
        "torch_auto": LocalEmbedder(EmbedderConfig(backend="torch", precision="auto")),
    }
    texts = [_QUERY.format(_NAMES[i % len(_NAMES)], i) for i in range(queries + 10)]
    for name, emb in backends.items():
        for text in texts[:10]:  # warm-up
            emb.embed_query(f"{text} {name}")
    wall: dict[str, list[float]] = {name: [] for name in backends}
    for text in texts[10:]:
        for name, emb in backends.items():
            t = time.perf_counter()
            emb.embed_query(text)
            wall[name].append((time.perf_counter() - t) * 1000)
    docs = [
        f"Caroline: I went to a support group ({i}) and we talked about adoption agencies."
        for i in range(batch)
    ]
    per_s = {}
    for name, emb in backends.items():
        t = time.perf_counter()
        emb.embed([f"{d} {name}" for d in docs])
        per_s[name] = round(batch / (time.perf_counter() - t), 1)
    reference = np.array(backends["torch_fp32"].embed(texts[:50]))
    result: dict[str, Any] = {"onnx_first_use_s": round(first_use_s, 2)}
    for name, emb in backends.items():
        cos = (np.array(emb.embed(texts[:50])) * reference).sum(axis=1)
        result[name] = {
            "precision": getattr(emb, "precision", "fp32"),
            "query_ms": {
                "p50": round(percentile(wall[name], 0.5), 2),
                "p95": round(percentile(wall[name], 0.95), 2),
            },
            "batch_texts_per_s": per_s[name],
            "min_cosine_to_torch_fp32": round(float(cos.min()), 6),
        }
    for name in ("torch_fp32", "torch_auto", "onnx_fp32"):
        result[f"onnx_query_speedup_vs_{name}"] = round(
            result[name]["query_ms"]["p50"] / result["onnx"]["query_ms"]["p50"], 2
        )
    return result
