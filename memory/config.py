"""MemoryConfig: the one place settings are read (arguments, MEMORY_* environment, .env)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.dataclasses import dataclass as pydantic_dataclass
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
    # Local model: "onnx" = ONNX Runtime on an export of the packaged weights (made once, cached in
    # cache_dir; same vectors, several times faster per query); "torch" = sentence-transformers.
    backend: Literal["onnx", "torch"] = "onnx"
    cache_dir: Path | None = None  # where the ONNX export is kept (default: <data_dir>/models)
    threads: int | None = None  # ONNX Runtime threads (default: the cores, at most 4)
    model: str = "all-MiniLM-L6-v2"  # local: the packaged weights; openai: the model name on the server
    dims: int = 384
    base_url: str | None = None
    api_key: str | None = None
    batch_size: int = 32
    device: str = "cpu"
    # Local model. onnx (the default backend): "auto" and "int8" = per-channel int8 weights (a query
    # 1.4x faster and ingest 1.5x, recall the same on LoCoMo; cosine 0.96-0.999 to fp32), "fp32" (or
    # "bf16") = the torch model's vectors exactly; each export is a separate cached file. torch on CPU:
    # "auto" = bfloat16 where the CPU has native bf16, else fp32; "int8" = dynamic quantisation.
    # Figures in bench/RESULTS.md.
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
    # kuzu 0.11.3 (archived upstream) or its maintained fork LadybugDB (PyPI `ladybug`); same API.
    # Each engine keeps its own database file in `path`: switching engines starts an empty graph.
    engine: Literal["kuzu", "ladybug"] = "kuzu"


class HistoryConfig(_Section):
    path: Path | None = None  # default: <data_dir>/history.sqlite


class IngestionConfig(_Section):
    """Upload limits and budgets; a part of a file past a budget is listed in the result's skipped."""

    max_file_mb: float = 50.0
    max_pages: int = 500
    max_image_pixels: int = 40_000_000
    min_image_side: int = 8
    chunk_chars: int = 1200
    chunk_overlap: int = 200
    max_chunks: int = Field(default=2000, ge=1)  # per file; the text past it is not stored
    ocr: bool = True
    ocr_lang: str = "eng"
    ocr_timeout_s: float = Field(default=60.0, gt=0)  # per image (or scanned page image)
    ocr_seconds_per_file: float = Field(default=120.0, gt=0)  # all OCR of one file together


class ServerConfig(_Section):
    """The HTTP service (`python -m memory serve`): keys, limits, idempotency, shard name."""

    keys_path: Path | None = None  # API key hashes; default <data_dir>/keys.sqlite (shards may share one)
    rate_per_s: float = 20.0  # token bucket per API key: refill rate ...
    burst: int = 40  # ... and capacity
    max_json_mb: float = (
        16.0  # a JSON body larger than this is refused (413); uploads use ingestion.max_file_mb
    )
    idempotency_hours: float = 24.0  # stored responses to Idempotency-Key requests are kept this long
    idempotency_max_rows: int = 100_000  # and at most this many per API key
    shard: str = ""  # echoed in the X-Memory-Shard response header when set


class AgentConfig(_Section):
    """How an agent's shared memory (``scope="agent"``) joins a customer's search."""

    # "always": the agent's active rules come with every search of its customers, whatever the query;
    # "ranked": they compete with the other hits like any memory. Agent knowledge is always ranked.
    rules: Literal["always", "ranked"] = "always"


class AppConfig(_Section):
    """The apps' deployment: "demo" (pick any user) or "support" (one agent and its customers)."""

    mode: Literal["demo", "support"] = "demo"
    agent_id: str = "support-bot"  # the agent whose shared memory the support apps use
    agent_name: str = "Support assistant"  # the persona shown in the sidebar
    agent_persona: str = "Helps customers with orders, returns and repairs."
    # Who may open the operator page when users sign in (e-mails); in demo login everyone may.
    operators: list[str] = Field(default_factory=list)


# Named retrieval presets: the fields each one sets; anything else keeps the RetrievalSettings default.
RETRIEVAL_PRESETS: dict[str, dict[str, Any]] = {
    "hybrid": {},
    "dense": {"dense_weight": 1.0, "keyword_weight": 0.0, "graph": False},
    "keyword": {"dense_weight": 0.0, "keyword_weight": 1.0, "graph": False},
}


@pydantic_dataclass(frozen=True, config=ConfigDict(extra="forbid"))
class RetrievalSettings:
    """Every retrieval knob, from a named preset plus overrides (``MEMORY_RETRIEVAL__PRESET=dense``,
    ``MEMORY_RETRIEVAL__SPEAKER_WEIGHT=1.2``); the pipeline is in memory.retrieval.

    Defaults were chosen by 2-fold tuning on the LoCoMo dev conversations (bench/RESULTS.md).
    """

    preset: Literal["hybrid", "dense", "keyword"] = "hybrid"
    # Fusion: keyword_weight * bm25_norm + dense_weight * cosine_norm (min-max normalised per query).
    dense_weight: float = Field(0.6, ge=0)
    keyword_weight: float = Field(1.0, ge=0)
    candidates: int = Field(60, ge=1)  # per list, before fusion
    graph: bool = True
    graph_weight: float = 0.3  # added to the fused score of memories linked to entities the query names
    # The people a conversation is between touch every memory: they seed no graph lookup.
    graph_skips_speakers: bool = True
    # Prior per memory type: a current fact outranks the old chat turn it was extracted from,
    # and a turn that only asked a question holds less than one that told something.
    episodic_weight: float = 0.85
    question_weight: float = 0.6
    # A hit said by someone the query names ("what did Melanie paint?") counts this much more
    # (1.3 with fp32 vectors; 1.5 since the int8 default, chosen 2-fold: bench/RESULTS.md).
    speaker_weight: float = Field(1.5, ge=0)
    # ... but not when the hit speaks of the one it is said to more than of its speaker ("Wow, Caroline,
    # that painting is awesome! What inspired you?" is about Caroline). Chosen 2-fold: bench/RESULTS.md.
    speaker_must_speak_of_self: bool = True
    # A hit found by the dense list alone, with a cosine below this, is noise: dropped.
    min_dense_similarity: float = 0.2
    # Pseudo-relevance feedback on the dense side: the query vector moves toward the stored vectors of
    # the best `feedback_hits` fused hits (Rocchio, `feedback_weight` times their mean) and the dense
    # list is asked again with it. Off (0) by default: 2-fold it gained nothing held-out on conv-30
    # once similarity stays the query's own (bench/RESULTS.md).
    feedback_hits: int = Field(0, ge=0)
    feedback_weight: float = Field(1.0, ge=0)
    recency_half_life_days: float | None = Field(None, gt=0)
    recency_weight: float = Field(0.2, ge=0, le=1)
    # How many earlier turns of the same conversation a stored chat turn is keyword-indexed with.
    context_turns: int = Field(2, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _preset_defaults(cls, data: Any) -> Any:
        """Fields the caller did not set come from the named preset."""
        if isinstance(data, dict):
            return {**RETRIEVAL_PRESETS.get(data.get("preset", "hybrid"), {}), **data}
        kwargs = getattr(data, "kwargs", None)
        if kwargs is not None and not data.args:
            return {**RETRIEVAL_PRESETS.get(kwargs.get("preset", "hybrid"), {}), **kwargs}
        return data


RetrievalConfig = RetrievalSettings  # the config section is the settings object itself


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
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    server: ServerConfig = Field(default_factory=ServerConfig)
    agent: AgentConfig = Field(default_factory=AgentConfig)
    app: AppConfig = Field(default_factory=AppConfig)
    max_text_chars: int = 200_000  # a single message larger than this is refused
    dedupe_threshold: float = 0.93  # cosine above which a new fact is the same as an old one
    # An UPDATE/DELETE proposed with a confidence below this is asked, not applied (0 turns asking off).
    confirm_below: float = Field(default=0.6, ge=0.0, le=1.0)

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

    @model_validator(mode="after")
    def _embedder_cache_in_data_dir(self) -> MemoryConfig:
        if self.embedder.cache_dir is None:
            self.embedder.cache_dir = self.resolve(None, "models")
        return self

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MemoryConfig:
        return cls.model_validate(data)

    def resolve(self, path: Path | None, default: str) -> Path:
        """A component's path: explicit, or under data_dir."""
        return Path(path) if path is not None else Path(self.data_dir) / default
