"""The ``reliability`` subcommand of ``python -m memory.bench``: options, run, JSON out."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from memory.bench.reliability import PARTS, options_for, run


def register(sub: argparse._SubParsersAction) -> None:
    rel = sub.add_parser(
        "reliability",
        help="concurrent writers, kill -9, malformed inputs, latency during another user's upload",
    )
    rel.add_argument("--quick", action="store_true", help="a scaled-down run (about a minute)")
    rel.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS))
    rel.add_argument("--threads", type=int)
    rel.add_argument("--ops", type=int, dest="ops_per_thread", help="operations per thread")
    rel.add_argument("--users", type=int)
    rel.add_argument("--kills", type=int)
    rel.add_argument("--upload-mb", type=float)
    rel.add_argument("--seed", type=int)
    rel.add_argument("--data-dir", type=Path, help="where to build the stores (default: a temporary dir)")
    rel.add_argument("--out", type=Path)


def main(args: argparse.Namespace) -> int:
    """Run, print the JSON, write it to ``--out``; exit status 1 when an invariant did not hold."""
    options = options_for(
        args.quick,
        threads=args.threads,
        ops_per_thread=args.ops_per_thread,
        users=args.users,
        kills=args.kills,
        upload_mb=args.upload_mb,
        seed=args.seed,
    )
    result = run(options, parts=tuple(args.parts), data_dir=args.data_dir)
    text = json.dumps(result, indent=2, default=str)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
    return 1 if result["violations"] else 0
