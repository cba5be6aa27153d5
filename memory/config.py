"""MemoryConfig: the one place settings are read (arguments, MEMORY_* environment, .env)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VectorStoreConfig(_Section):
    provider: Literal["edge", "qdrant"] = "edge"
    url: str | None = None  # a Qdrant server; setting it selects provider "qdrant"
    api_key: str | None = None
    collection: str = "memories"
    path: Path | None = (
        None  # edge shard dir (default: <data_dir>/vectors); ":memory:" style local mode for qdrant
    )
    hnsw_ef: int = 128

    @model_validator(mode="after")
    def _url_means_server(self) -> VectorStoreConfig:
        if self.url and self.provider == "edge":
            self.provider = "qdrant"
        return self


class EmbedderConfig(_Section):
    provider: Literal["local", "openai"] = "local"
    model: str = "all-MiniLM-L6-v2"  # local: the packaged weights; openai: the model name on the server
    dims: int = 384
    base_url: str | None = None
    api_key: str | None = None
    batch_size: int = 32
    device: str = "cpu"
    # Local model on CPU: "auto" = bfloat16 where the CPU has native bf16 (2.4x faster, cosine 0.99998
    # to fp32), else fp32; "int8" = dynamic quantisation (3x faster, but costs recall: bench/RESULTS.md).
    precision: Literal["auto", "fp32", "bf16", "int8"] = "auto"


class LLMConfig(_Section):
    base_url: str | None = None  # any OpenAI-compatible server; None + no api_key = no LLM
    model: str = "gpt-4o-mini"
    api_key: str | None = None
    vision_model: str | None = None  # a model that takes images, for captions
    timeout_s: float = 60.0
    max_retries: int = 1
    temperature: float = 0.0
    max_tokens: int = 1024
    json_mode: Literal["auto", "schema", "object", "prompt"] = "auto"
    max_extraction_tokens: int = Field(default=1024, gt=0)  # extraction output per turn, all calls
    price_in_per_mtok: float | None = Field(default=None, ge=0)  # US$ per million prompt tokens
    price_out_per_mtok: float | None = Field(default=None, ge=0)  # US$ per million completion tokens

    @property
    def enabled(self) -> bool:
        return bool(self.base_url or self.api_key)


class GraphStoreConfig(_Section):
    enabled: bool = True
    path: Path | None = None  # default: <data_dir>/graph


class HistoryConfig(_Section):
    path: Path | None = None  # default: <data_dir>/history.sqlite


class IngestionConfig(_Section):
    max_file_mb: float = 50.0
    max_pages: int = 500
    max_image_pixels: int = 40_000_000
    min_image_side: int = 8
    chunk_chars: int = 1200
    chunk_overlap: int = 200
    ocr: bool = True
    ocr_lang: str = "eng"


class RetrievalConfig(_Section):
    """Named preset plus overrides; see memory.retrieval.RetrievalSettings."""

    preset: Literal["hybrid", "dense", "keyword"] = "hybrid"
    dense_weight: float | None = None
    keyword_weight: float | None = None
    graph: bool = True
    recency_half_life_days: float | None = None


class MemoryConfig(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="MEMORY_",
        env_nested_delimiter="__",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="forbid",
    )

    data_dir: Path = Path("memory_data")
    vector_store: VectorStoreConfig = Field(default_factory=VectorStoreConfig)
    embedder: EmbedderConfig = Field(default_factory=EmbedderConfig)
    llm: LLMConfig = Field(default_factory=LLMConfig)
    graph_store: GraphStoreConfig = Field(default_factory=GraphStoreConfig)
    history: HistoryConfig = Field(default_factory=HistoryConfig)
    ingestion: IngestionConfig = Field(default_factory=IngestionConfig)
    retrieval: RetrievalConfig = Field(default_factory=RetrievalConfig)
    max_text_chars: int = 200_000  # a single message larger than this is refused
    dedupe_threshold: float = 0.93  # cosine above which a new fact is the same as an old one

    @model_validator(mode="after")
    def _openai_key_from_environment(self) -> MemoryConfig:
        """OPENAI_API_KEY is used for OpenAI itself (no base_url), never sent to another server."""
        key = os.environ.get("OPENAI_API_KEY")
        if key and self.llm.api_key is None and self.llm.base_url is None:
            self.llm.api_key = key
        emb = self.embedder
        if key and emb.provider == "openai" and emb.api_key is None and emb.base_url is None:
            emb.api_key = key
        return self

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MemoryConfig:
        return cls.model_validate(data)

    def resolve(self, path: Path | None, default: str) -> Path:
        """A component's path: explicit, or under data_dir."""
        return Path(path) if path is not None else Path(self.data_dir) / default
