"""`python -m memory.bench locomo --data FILE --out OUT.json [--k 10]` and `... scale --n N`."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
from pathlib import Path

from memory.bench.reliability import command as reliability


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m memory.bench", description=__doc__)
    sub = parser.add_subparsers(dest="what", required=True)
    loc = sub.add_parser("locomo", help="LoCoMo evidence recall@k without an LLM")
    loc.add_argument("--data", required=True, type=Path)
    loc.add_argument("--out", type=Path)
    loc.add_argument("--k", type=int, default=10)
    loc.add_argument(
        "--preset",
        choices=["hybrid", "dense", "keyword"],
        default=None,
        help="retrieval preset (default: the configured one)",
    )
    loc.add_argument("--no-graph", action="store_true", help="turn graph-aware retrieval off")
    loc.add_argument(
        "--conversations",
        type=lambda v: [c.strip() for c in v.split(",") if c.strip()],
        help="comma-separated sample ids to run on (default: all), e.g. conv-30 for one held-out fold",
    )
    loc.add_argument(
        "--peer",
        choices=["mem0"],
        help="also run this system on the same data in the same run (optional extra 'peer') and print ratios",
    )
    loc.add_argument("--data-dir", type=Path, help="where to build the store (default: a temporary dir)")
    sc = sub.add_parser("scale", help="add throughput, search latency, RSS and disk at N memories")
    sc.add_argument("--n", type=int, required=True)
    sc.add_argument("--queries", type=int, default=200)
    sc.add_argument("--graph", action="store_true", help="open the graph store too")
    sc.add_argument("--out", type=Path)
    cost = sub.add_parser(
        "llm-cost", help="LLM requests and prompt tokens per add, against Mem0 1.0's prompts"
    )
    cost.add_argument("--data", required=True, type=Path)
    cost.add_argument("--turns", type=int, default=60)
    cost.add_argument("--out", type=Path)
    ext = sub.add_parser("extraction", help="offline extraction ADD/UPDATE/DELETE precision and recall")
    ext.add_argument(
        "--split",
        choices=[
            "dev",
            "test",
            "all",
            "dev2",
            "holdout",
            "holdout2",
            "holdout3",
            "holdout4",
            "holdout5",
            "holdout6",
        ],
        default="holdout6",
        help="holdout6: the newest blind set (tests/data/extraction/holdout6.jsonl), the reported one; "
        "holdout5: the fifth, measured but never read; holdout4 to holdout, dev2, dev and test: tuning sets",
    )
    ext.add_argument("--out", type=Path, help="full result with every wrong case")
    eng = sub.add_parser("graph-engine", help="Kuzu vs LadybugDB: execute leak, index, store")
    eng.add_argument("--calls", type=int, default=20_000)
    eng.add_argument("--memories", type=int, default=2_000)
    eng.add_argument("--out", type=Path)
    svc = sub.add_parser("service", help="search/add latency through the HTTP service vs embedded")
    svc.add_argument("--n", type=int, default=10_000)
    svc.add_argument("--out", type=Path)
    emb = sub.add_parser("embedder", help="ONNX Runtime vs torch embedder: query latency, batch rate, cosine")
    emb.add_argument("--queries", type=int, default=200)
    emb.add_argument("--out", type=Path)
    ing = sub.add_parser("ingest", help="PDF pages/s and images/s of the loaders")
    ing.add_argument("--pages", type=int, default=100)
    ing.add_argument("--out", type=Path)
    fgt = sub.add_parser("forget", help="forgotten text left on disk before and after Memory.compact()")
    fgt.add_argument("--n", type=int, default=200)
    fgt.add_argument("--out", type=Path)
    reliability.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    logging.basicConfig(level=logging.WARNING)
    args = build_parser().parse_args(argv)
    from memory.config import MemoryConfig

    if args.what == "reliability":
        return reliability.main(args)
    status = 0
    if args.what == "locomo":
        from memory.bench import locomo

        data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="memory-locomo-"))
        config = MemoryConfig(data_dir=data_dir, graph_store={"enabled": not args.no_graph})
        result = locomo.run(
            args.data,
            None,
            k=args.k,
            config=config,
            settings=args.preset,
            only=args.conversations,
            system=f"memory ({args.preset or config.retrieval.preset}"
            f"{', graph' if not args.no_graph else ''})",
        )
        if args.peer:
            from memory.bench.compare import with_peer

            result, status = with_peer(result, args.data, args.k, args.conversations)
    elif args.what == "scale":
        from memory.bench import scale

        result = scale.run(args.n, queries=args.queries, graph=args.graph)
    elif args.what == "embedder":
        from memory.bench import embedder

        result = embedder.run(queries=args.queries)
    elif args.what == "llm-cost":
        from memory.bench import llm_cost

        result = llm_cost.run(args.data, turns=args.turns)
    elif args.what == "graph-engine":
        from memory.bench import graph_engine

        result = graph_engine.run(calls=args.calls, memories=args.memories)
    elif args.what == "service":
        from memory.bench import service

        result = service.run(args.n)
    elif args.what == "forget":
        from memory.bench import forget

        result = forget.run(args.n)
    elif args.what == "extraction":
        from memory.bench import extraction

        result = extraction.main(args.split, args.out)
    else:
        from ingestion.bench import measure

        result = measure(n_pages=args.pages)
    text = json.dumps(result, indent=2, default=str)
    print(text)
    if getattr(args, "out", None) and args.what != "extraction":
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
    return status


if __name__ == "__main__":
    sys.exit(main())
