"""``OpenAIEmbedder``: embeddings from any OpenAI-compatible ``/embeddings`` endpoint."""

from __future__ import annotations

from memory.config import EmbedderConfig
from memory.errors import ConfigError, LLMResponseError
from memory.llm.openai import CLIENT_ERRORS, make_client, translate_error


class OpenAIEmbedder:
    """Batches texts to the server and checks that vectors have the configured ``dims``."""

    name = "openai"

    def __init__(self, config: EmbedderConfig, *, timeout_s: float = 60.0, max_retries: int = 1) -> None:
        self.model = config.model
        self.dims = config.dims
        self.batch_size = max(1, config.batch_size)
        self.timeout_s = timeout_s
        self._client = make_client(
            base_url=config.base_url, api_key=config.api_key, timeout_s=timeout_s, max_retries=max_retries
        )
        self.base_url = str(self._client.base_url).rstrip("/")

    def embed(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            vectors += self._embed_batch(texts[start : start + self.batch_size])
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self.embed([text])[0]

    def _embed_batch(self, batch: list[str]) -> list[list[float]]:
        try:
            response = self._client.embeddings.create(model=self.model, input=batch, encoding_format="float")
        except CLIENT_ERRORS as exc:
            raise translate_error(
                exc, what="embedding model", base_url=self.base_url, timeout_s=self.timeout_s
            ) from exc
        rows = sorted(response.data, key=lambda row: row.index)
        if len(rows) != len(batch):
            raise LLMResponseError(
                f"the embedding model at {self.base_url} returned {len(rows)} vectors for {len(batch)} texts"
            )
        vectors = [list(row.embedding) for row in rows]
        for vector in vectors:
            if len(vector) != self.dims:
                raise ConfigError(
                    f"The embedding model {self.model!r} returns {len(vector)} dimensions but "
                    f"embedder.dims is {self.dims}; set MEMORY_EMBEDDER__DIMS={len(vector)}."
                )
        return vectors
