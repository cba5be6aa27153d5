"""Extraction quality of the offline rules: ADD/UPDATE/DELETE precision and recall on labelled turns.

Each case of ``tests/data/extraction/turns.jsonl`` runs on a real Memory (embedded stores in a
temporary directory, one user per case, offline extractor): its prior turns are added first, then the
judged turn, and the operations the reconciler applied (episodic turns and NONE left out) are matched
to the case's gold operations.

Matching, one to one: an applied operation matches a gold one when the event is the same and each
gold key phrase is contained in the corresponding text once both are normalised (lower case, every
run of characters other than letters, digits and "&" becomes one space): ``new`` in the new memory's
text, ``old`` in the changed or removed memory's text. A key word may take up to three more letters
in the text ("coach" in "User coaches…", "vap" in "User vapes."): authors wrote stems. An unmatched
applied operation is a false positive, an unmatched gold one a false negative.

A plan memory ("User plans to move to Denver.") is no fact: the extractor makes one from a plan turn,
as the product asks, while some authors labelled plan turns as changing nothing. Plans are therefore
scored apart from the facts: the plan memories made on plan turns and elsewhere are counted, and a
plan turn's gold ADDs are left out of the ADD figures. "Destructive operations from non-assertive turns"
counts every UPDATE or DELETE applied on a turn whose mood is a question, request, hypothetical,
possibility, plan, quote, third party, idiom or small talk.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from memory.bench.stats import percentile
from memory.config import MemoryConfig
from memory.memory import Memory
from memory.types import Event, MemoryType, Operation

DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "extraction"
CORPUS = DATA / "turns.jsonl"
# Written blind to the rules after the first round of tuning; reported once, tuned on since (its README).
HOLDOUT = DATA / "holdout.jsonl"
# A second tuning set: other topics and casual phrasings, for the generic rules (its README).
DEV2 = DATA / "dev2.jsonl"
# The second blind set, written while the first was being tuned on; the reported split from then on.
HOLDOUT2 = DATA / "holdout2.jsonl"
# The third blind set, written while the parser was added by an author who saw neither the rules nor
# the parser; committed before either extractor ran on it.
HOLDOUT3 = DATA / "holdout3.jsonl"
# The fourth, written while holdout3's errors were read; committed before any extractor ran on it.
HOLDOUT4 = DATA / "holdout4.jsonl"
# The fifth, written while holdout4's errors were read; committed before any extractor ran on it.
HOLDOUT5 = DATA / "holdout5.jsonl"
# The sixth, written while holdout5 was measured (never read); committed before any extractor ran on it.
HOLDOUT6 = DATA / "holdout6.jsonl"
FILES = {
    "holdout": HOLDOUT,
    "dev2": DEV2,
    "holdout2": HOLDOUT2,
    "holdout3": HOLDOUT3,
    "holdout4": HOLDOUT4,
    "holdout5": HOLDOUT5,
    "holdout6": HOLDOUT6,
}
NON_ASSERTIVE = {
    "question",
    "request",
    "hypothetical",
    "possibility",
    "plan",
    "quote",
    "third_party",
    "idiom",
    "chitchat",
}
EVENTS = (Event.ADD, Event.UPDATE, Event.DELETE)


class GoldOp(BaseModel):
    event: Event
    new: str | None = None
    old: str | None = None


class Case(BaseModel):
    id: str
    split: str
    mood: str
    prior: list[str] = Field(default_factory=list)
    turn: str
    gold: list[GoldOp] = Field(default_factory=list)


def load(path: Path = CORPUS, split: str = "all") -> list[Case]:
    cases = [Case.model_validate_json(line) for line in path.read_text().splitlines() if line.strip()]
    return [c for c in cases if split == "all" or c.split == split]


def _norm(text: str | None) -> str:
    return " ".join(re.sub(r"[^a-z0-9&]+", " ", (text or "").lower()).split())


def _contains(phrase: str | None, text: str | None) -> bool:
    if phrase is None:
        return True
    words = [re.escape(w) + ("[a-z]{0,3}" if w[-1].isalpha() else "") for w in _norm(phrase).split()]
    return bool(words) and re.search(rf"(?<!\S){' '.join(words)}(?!\S)", _norm(text)) is not None


def matches(op: Operation, gold: GoldOp) -> bool:
    return op.event == gold.event and _contains(gold.new, op.new_text) and _contains(gold.old, op.old_text)


def score(applied: list[Operation], gold: list[GoldOp]) -> tuple[list[Operation], list[GoldOp]]:
    """Greedy one-to-one matching: the applied operations and gold operations left unmatched."""
    left = list(gold)
    extra: list[Operation] = []
    for op in applied:
        hit = next((g for g in left if matches(op, g)), None)
        if hit is None:
            extra.append(op)
        else:
            left.remove(hit)
    return extra, left


def _is_plan(op: Operation, memory: Memory, user: str) -> bool:
    """A plan memory added ("User plans to …"): its slot says so."""
    if op.event != Event.ADD or op.memory_id is None:
        return False
    slot = memory.get(op.memory_id, user_id=user).slot
    return bool(slot and slot.startswith("plan:"))


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 3) if den else None


def run_cases(cases: list[Case], memory: Memory) -> dict[str, Any]:
    counts = {e: {"tp": 0, "fp": 0, "fn": 0} for e in EVENTS}
    destructive = 0
    errors: list[dict[str, Any]] = []
    timings: list[float] = []
    plans = {"plan_turns": sum(c.mood == "plan" for c in cases), "on_plan_turns": 0, "elsewhere": 0}
    for case in cases:
        user = f"bench-{case.id}"
        for prior in case.prior:
            memory.add(prior, user_id=user)
        start = time.perf_counter()
        result = memory.add(case.turn, user_id=user)
        timings.append((time.perf_counter() - start) * 1000)
        applied = [op for op in result.changed() if op.type != MemoryType.EPISODIC]
        made = [op for op in applied if _is_plan(op, memory, user)]
        plans["on_plan_turns" if case.mood == "plan" else "elsewhere"] += len(made)
        applied = [op for op in applied if op not in made]
        gold = [g for g in case.gold if case.mood != "plan" or g.event != Event.ADD]
        extra, missed = score(applied, gold)
        for op in applied:
            if op not in extra:
                counts[op.event]["tp"] += 1
        for op in extra:
            counts[op.event]["fp"] += 1
        for gold in missed:
            counts[gold.event]["fn"] += 1
        if case.mood in NON_ASSERTIVE:
            destructive += sum(op.event in (Event.UPDATE, Event.DELETE) for op in applied)
        if extra or missed:
            errors.append(
                {
                    "id": case.id,
                    "turn": case.turn,
                    "unexpected": [f"{op.event.value}: {op.old_text!r} -> {op.new_text!r}" for op in extra],
                    "missed": [g.model_dump(exclude_none=True) for g in missed],
                }
            )
    return {
        "cases": len(cases),
        "must_change_nothing": sum(not c.gold for c in cases),
        **{
            e.value: {
                **counts[e],
                "precision": _ratio(counts[e]["tp"], counts[e]["tp"] + counts[e]["fp"]),
                "recall": _ratio(counts[e]["tp"], counts[e]["tp"] + counts[e]["fn"]),
            }
            for e in EVENTS
        },
        "destructive_from_non_assertive": destructive,
        "plan_memories": plans,
        "add_ms_p50": round(percentile(timings, 0.5), 1) if timings else None,
        "errors": errors,
    }


def run(split: str = "holdout", path: Path | None = None, data_dir: Path | None = None) -> dict[str, Any]:
    """Score the offline extractor on one split: ``dev``, ``test`` or ``all`` of the tuning corpus,
    ``dev2``, the second tuning set, or ``holdout``, the blind set."""
    from memory.extraction.offline import OfflineExtractor

    path = path or FILES.get(split, CORPUS)
    cases = load(path, split)
    with tempfile.TemporaryDirectory(prefix="memory-extraction-") as tmp:
        config = MemoryConfig(data_dir=data_dir or Path(tmp), graph_store={"enabled": False})
        with Memory(config, extractor=OfflineExtractor()) as memory:
            result = run_cases(cases, memory)
    return {"split": split, "corpus": path.name, **result}


def main(split: str, out: Path | None) -> dict[str, Any]:
    result = run(split)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2))
    return {k: v for k, v in result.items() if k != "errors"} | {"errors": len(result["errors"])}
