"""Embedders: the packaged MiniLM (default, offline) or an OpenAI-compatible /embeddings endpoint."""

from __future__ import annotations

from typing import Protocol

from memory.config import EmbedderConfig


class Embedder(Protocol):
    dims: int

    def embed(self, texts: list[str]) -> list[list[float]]:
        """Unit-normalised vectors, one per text, in order."""
        ...

    def embed_query(self, text: str) -> list[float]: ...


def make_embedder(config: EmbedderConfig) -> Embedder:
    if config.provider == "openai":
        from memory.embeddings.openai import OpenAIEmbedder

        return OpenAIEmbedder(config)
    from memory.embeddings.local import shared_local_embedder

    return shared_local_embedder(config)
