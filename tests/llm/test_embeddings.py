"""OpenAIEmbedder against the local server's /v1/embeddings."""

from __future__ import annotations

import pytest

from memory.config import EmbedderConfig
from memory.embeddings.openai import OpenAIEmbedder
from memory.errors import ConfigError, LLMError
from tests.openai_server import OpenAIStubServer, Reply, fake_embedding


def embedder_for(server: OpenAIStubServer, **overrides: object) -> OpenAIEmbedder:
    settings = {"provider": "openai", "base_url": server.base_url, "model": "emb", "dims": 8} | overrides
    return OpenAIEmbedder(EmbedderConfig(**settings), max_retries=0)


def test_embeds_in_batches_and_keeps_the_order(openai_server: OpenAIStubServer) -> None:
    texts = ["alpha", "beta", "gamma", "delta", "epsilon"]
    vectors = embedder_for(openai_server, batch_size=2).embed(texts)
    assert vectors == [pytest.approx(fake_embedding(t, 8)) for t in texts]
    assert [len(body["input"]) for body in openai_server.embedding_requests] == [2, 2, 1]
    assert openai_server.embedding_requests[0]["model"] == "emb"


def test_embed_query_and_dims(openai_server: OpenAIStubServer) -> None:
    embedder = embedder_for(openai_server)
    assert embedder.dims == 8 and embedder.embed_query("alpha") == pytest.approx(fake_embedding("alpha", 8))


def test_a_dimension_mismatch_says_which_setting_to_change(openai_server: OpenAIStubServer) -> None:
    with pytest.raises(ConfigError, match="MEMORY_EMBEDDER__DIMS=8"):
        embedder_for(openai_server, dims=384).embed(["alpha"])


def test_server_errors_are_llm_errors_in_words(openai_server: OpenAIStubServer) -> None:
    openai_server.queue_embeddings(Reply(status=503, error="loading model"))
    with pytest.raises(LLMError, match="the embedding model at .* answered HTTP 503: loading model"):
        embedder_for(openai_server).embed(["alpha"])
