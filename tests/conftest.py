"""Shared fixtures: real stores in tmp_path; the embedder is loaded once per test session."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# One ONNX export for the whole session, app and service processes included (they inherit this):
# exporting and fusing the model takes seconds, and every test has a data directory of its own.
os.environ.setdefault(
    "MEMORY_EMBEDDER__CACHE_DIR",
    os.path.join(tempfile.gettempdir(), f"memory-test-models-{os.getpid()}"),
)

import pytest  # noqa: E402

from memory import Memory, MemoryConfig  # noqa: E402
from memory.config import EmbedderConfig  # noqa: E402
from memory.embeddings import make_embedder  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def embedder():
    """Load the packaged MiniLM once; every Memory in this process shares it."""
    return make_embedder(EmbedderConfig())


@pytest.fixture(autouse=True)
def no_remote_llm(monkeypatch):
    """Tests never reach a real model: an OPENAI_API_KEY in the environment would turn the LLM on."""
    for var in ("OPENAI_API_KEY", "MEMORY_LLM__API_KEY", "MEMORY_LLM__BASE_URL"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def make_memory(tmp_path):
    """Build Memory objects on real embedded stores under tmp_path; closed at teardown."""
    opened: list[Memory] = []

    def build(name: str = "data", **overrides) -> Memory:
        config = MemoryConfig(data_dir=tmp_path / name, **overrides)
        mem = Memory(config)
        opened.append(mem)
        return mem

    yield build
    for mem in opened:
        mem.close()


@pytest.fixture
def memory(make_memory) -> Memory:
    return make_memory()
