"""The ONNX Runtime embedder gives the torch model's vectors, and its export is made once, atomically."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from pathlib import Path

import numpy as np

from memory.config import EmbedderConfig, MemoryConfig
from memory.embeddings.local import LocalEmbedder
from memory.embeddings.onnx import OnnxEmbedder, exported_model, packaged_weights

TEXTS = [
    "Caroline: I went to a LGBTQ support group yesterday and it was so powerful.",
    "ok",
    "When did Melanie paint a sunrise? " * 30,  # longer than the model's 256 tokens: truncated alike
    "Ünïcödé, emoji 🎨 and numbers 2023-05-08",
]


def test_onnx_vectors_match_the_torch_model(tmp_path: Path) -> None:
    onnx = OnnxEmbedder(EmbedderConfig(batch_size=3, precision="fp32"), tmp_path)
    torch = LocalEmbedder(EmbedderConfig(backend="torch", precision="fp32"))
    a, b = np.array(onnx.embed(TEXTS)), np.array(torch.embed(TEXTS))
    assert a.shape == b.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert (a * b).sum(axis=1).min() > 0.999
    # Batched and alone give the same vector (padding does not leak into the mean).
    assert np.dot(onnx.embed_query(TEXTS[1]), a[1]) > 0.9999


def _export(folder: str) -> str:
    return str(exported_model(packaged_weights(), Path(folder), "all-MiniLM-L6-v2"))


def test_export_is_made_once_and_never_seen_half_written(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        paths = pool.map(_export, [str(tmp_path)] * 2)
    assert paths[0] == paths[1]
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == [Path(paths[0]).name]  # no temporary file left behind
    before = Path(paths[0]).stat().st_mtime_ns
    assert _export(str(tmp_path)) == paths[0]
    assert Path(paths[0]).stat().st_mtime_ns == before  # reused, not exported again


def test_the_export_lives_in_the_data_directory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("MEMORY_EMBEDDER__CACHE_DIR", raising=False)  # set for the test session
    config = MemoryConfig(data_dir=tmp_path / "data")
    assert config.embedder.cache_dir == tmp_path / "data" / "models"
    assert config.embedder.backend == "onnx"


def test_the_export_is_fused_and_int8_is_a_separate_close_file(tmp_path: Path) -> None:
    import onnx

    fp32 = OnnxEmbedder(EmbedderConfig(precision="fp32"), tmp_path)
    int8 = OnnxEmbedder(EmbedderConfig(), tmp_path)  # the default
    files = sorted(p.name for p in (tmp_path).glob("*.onnx"))
    assert len(files) == 2 and sum(name.endswith("-int8.onnx") for name in files) == 1
    plain = next(name for name in files if not name.endswith("-int8.onnx"))
    ops = {node.op_type for node in onnx.load(str(tmp_path / plain)).graph.node}
    assert {"Attention", "SkipLayerNormalization"} <= ops  # one kernel per attention block
    assert (fp32.precision, int8.precision) == ("fp32", "int8")
    a, b = np.array(fp32.embed(TEXTS)), np.array(int8.embed(TEXTS))
    assert 0.95 < (a * b).sum(axis=1).min() < 0.99999  # close (0.96 for "ok"), and really quantised


def test_the_precision_setting_picks_the_export(tmp_path: Path) -> None:
    from memory.embeddings import make_embedder

    for precision, export, int8 in (("int8", "a", True), ("fp32", "b", False), ("bf16", "c", False)):
        embedder = make_embedder(EmbedderConfig(precision=precision, cache_dir=tmp_path / export))
        assert isinstance(embedder, OnnxEmbedder) and embedder.precision == ("int8" if int8 else "fp32")
        if (tmp_path / export).exists():  # made here, unless the process had loaded that export before
            assert [p.name.endswith("-int8.onnx") for p in (tmp_path / export).glob("*.onnx")] == [int8]
    assert make_embedder(EmbedderConfig()).precision == "int8"  # "auto", the default


def test_a_vector_does_not_depend_on_the_texts_embedded_with_it(tmp_path: Path) -> None:
    for precision in ("int8", "fp32"):
        alone = OnnxEmbedder(EmbedderConfig(precision=precision), tmp_path)
        batched = OnnxEmbedder(EmbedderConfig(precision=precision, batch_size=8), tmp_path)
        a = np.array(alone.embed([TEXTS[0]]))[0]
        b = np.array(batched.embed(TEXTS))[0]  # another instance: nothing cached
        assert float(a @ b) > 0.99999, precision


def test_a_long_list_still_embeds_after_the_export_is_gone(tmp_path: Path) -> None:
    """The process shares one embedder, whose export sits in the first caller's data directory: a
    later Memory must still embed a long list (run on the bulk session, made on first use) when that
    directory has been removed."""
    shared = Path(os.environ["MEMORY_EMBEDDER__CACHE_DIR"])  # the test session's export, made once
    export = exported_model(packaged_weights(), shared, "all-MiniLM-L6-v2", "int8")
    shutil.copy(export, tmp_path / export.name)
    embedder = OnnxEmbedder(EmbedderConfig(threads=2), tmp_path)
    alone = [embedder.embed_query(t) for t in TEXTS]
    for f in tmp_path.iterdir():
        f.unlink()
    texts = [f"{t} ({n})" for n in range(3) for t in TEXTS]  # enough for the bulk session
    vectors = embedder.embed(texts)
    assert len(vectors) == len(texts)
    again = embedder.embed(TEXTS + [f"{TEXTS[0]} more"] * 4)
    assert min(float(np.dot(a, b)) for a, b in zip(alone, again[: len(TEXTS)], strict=True)) > 0.9999
