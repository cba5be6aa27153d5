"""Our LoCoMo result beside a peer system's, measured in the same invocation, with the ratios."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from memory.bench.locomo import evaluate, select
from memory.bench.peer import Mem0System, missing_reason, ratios


def with_peer(ours: dict[str, Any], data: Path, k: int, only: list[str] | None) -> tuple[dict[str, Any], int]:
    """``ours`` plus ``peer`` (Mem0's result, or why it could not run) and ``vs_peer`` ratios; the exit
    status is 1 when the peer could not run, and the reason is printed in words."""
    reason = missing_reason()
    if reason:
        print(f"No peer run: {reason}", file=sys.stderr)
        return {**ours, "peer": {"system": "mem0", "missing": reason}}, 1
    conversations = select(json.loads(Path(data).read_text()), only)
    peer = evaluate(Mem0System(), conversations, k)
    result = {**ours, "peer": peer, "vs_peer": ratios(ours, peer)}
    print(table(ours, peer, result["vs_peer"]), file=sys.stderr)
    return result, 0


def table(ours: dict[str, Any], peer: dict[str, Any], vs: dict[str, Any]) -> str:
    """A plain-text side-by-side of both systems and the ratios."""
    rows = [("", ours["system"], peer["system"], "ratio")]
    for key in ("recall@1", "recall@5", "recall@10"):
        rows.append((key, str(ours[key]), str(peer[key]), f"x{vs[key]}"))
    rows.append(
        (
            "search p50 ms",
            str(ours["search_ms"]["p50"]),
            str(peer["search_ms"]["p50"]),
            f"{vs['search_p50_speedup']}x faster",
        )
    )
    rows.append(
        (
            "search CPU p50 ms",
            str(ours["search_cpu_ms"]["p50"]),
            str(peer["search_cpu_ms"]["p50"]),
            f"{vs['search_cpu_p50_speedup']}x less",
        )
    )
    rows.append(("ingest s", str(ours["ingest_s"]), str(peer["ingest_s"]), f"{vs['ingest_speedup']}x faster"))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)
