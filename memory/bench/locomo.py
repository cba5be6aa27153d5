"""LoCoMo evidence recall@k: every turn is one episodic memory; questions of categories 1-4 search it."""

from __future__ import annotations

import json
import re
import time
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from tqdm import tqdm

from memory.bench.stats import percentile
from memory.config import MemoryConfig
from memory.errors import InvalidInputError
from memory.extraction.offline import proper_nouns
from memory.memory import Memory, MemoryInput
from memory.retrieval_graph import graph_lookup
from memory.stores.payload import INDEX_CONTEXT
from memory.types import MemoryType, Relation, Source, SourceKind

CATEGORIES = ("1", "2", "3", "4")


def parse_session_date(text: str | None) -> datetime | None:
    """'1:56 pm on 8 May, 2023' -> datetime; None when absent or unparseable."""
    if not text:
        return None
    try:
        return datetime.strptime(re.sub(r"\s+", " ", text.strip()), "%I:%M %p on %d %B, %Y")
    except ValueError:
        return None


def turns_of(
    conversation: dict[str, Any], triples: bool = False, context_turns: int = 2
) -> list[MemoryInput]:
    """One episodic memory per turn, keyword-indexed with up to ``context_turns`` earlier turns of its
    session (as the chat app stores a turn); with ``triples``, offline (speaker, mentions, name) relations."""
    conv = conversation["conversation"]
    out: list[MemoryInput] = []
    n = 1
    while f"session_{n}" in conv:
        at = parse_session_date(conv.get(f"session_{n}_date_time"))
        previous: list[str] = []
        for turn in conv[f"session_{n}"]:
            text = f"{turn['speaker']}: {turn['text']}"
            if turn.get("blip_caption"):
                text += f" [image: {turn['blip_caption']}]"
            context = "\n".join(previous[-context_turns:]) if context_turns else ""
            previous.append(text)
            names = proper_nouns(turn["text"]) if triples else []
            out.append(
                MemoryInput(
                    text=text,
                    entities=names,
                    relations=[
                        Relation(subject=turn["speaker"], relation="mentions", object=n)
                        for n in names
                        if n != turn["speaker"]
                    ],
                    type=MemoryType.EPISODIC,
                    session_id=f"session_{n}",
                    metadata={INDEX_CONTEXT: context} if context else {},
                    occurred_at=at,
                    source=Source(
                        kind=SourceKind.CHAT,
                        session_id=f"session_{n}",
                        turn_id=turn["dia_id"],
                        role=turn["speaker"],
                    ),
                )
            )
        n += 1
    return out


def evidence_of(question: dict[str, Any]) -> set[str]:
    """The turn ids a question's answer is in. One entry may hold several ids ("D8:6; D9:17", once in
    conv-26): each counts, where read whole it would match no turn."""
    return {
        part.strip()
        for entry in question.get("evidence", [])
        if isinstance(entry, str)
        for part in entry.split(";")
        if part.strip()
    }


def select(conversations: list[dict[str, Any]], only: list[str] | None) -> list[dict[str, Any]]:
    """The conversations named in ``only`` (all when None), in file order; an unknown name is an error."""
    if not only:
        return conversations
    known = [c["sample_id"] for c in conversations]
    unknown = sorted(set(only) - set(known))
    if unknown:
        raise InvalidInputError(
            f"No conversation {', '.join(unknown)} in the data; it has {', '.join(known)}."
        )
    return [c for c in conversations if c["sample_id"] in set(only)]


class System(Protocol):
    """What the benchmark drives: load one conversation's turns for a user, then search them."""

    name: str

    def load(self, user: str, turns: list[MemoryInput]) -> None: ...

    def search(self, user: str, question: str, k: int) -> list[str | None]:
        """The provenance turn ids of the top ``k`` hits, best first."""
        ...

    def close(self) -> None: ...


class MemorySystem:
    """This library, as configured (the app's default config unless told otherwise)."""

    def __init__(self, config: MemoryConfig, settings: str | None = None, name: str | None = None) -> None:
        self.mem = Memory(config)
        self.settings = settings
        self.name = name or f"memory ({settings or config.retrieval.preset})"

    def turns(self, conversation: dict[str, Any]) -> list[MemoryInput]:
        return turns_of(
            conversation,
            triples=self.mem.graph is not None,
            context_turns=self.mem.config.retrieval.context_turns,
        )

    def load(self, user: str, turns: list[MemoryInput]) -> None:
        self.mem.delete_all(user_id=user)
        self.mem.add_batch(turns, user_id=user)

    def search(self, user: str, question: str, k: int) -> list[str | None]:
        hits = self.mem.search(question, user_id=user, limit=k, settings=self.settings)
        return [h.memory.source.turn_id for h in hits]

    def graph_lookup(self, user: str, question: str, speakers: list[str], k: int) -> bool | None:
        """The graph part of a search alone, as the retriever runs it (None when the graph is off);
        whether the graph was asked (the question names an entity other than the speakers)."""
        graph, settings = self.mem.graph, self.mem.config.retrieval
        if graph is None or not settings.graph:
            return None
        names, _ = graph_lookup(graph, question, user, speakers, settings, k)
        return bool(names)

    def close(self) -> None:
        self.mem.close()


def run(
    data: Path,
    out: Path | None,
    k: int = 10,
    config: MemoryConfig | None = None,
    settings: str | None = None,
    system: str | None = None,
    only: list[str] | None = None,
) -> dict[str, Any]:
    conversations = select(json.loads(Path(data).read_text()), only)
    result = evaluate(MemorySystem(config or MemoryConfig(), settings, system), conversations, k)
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps(result, indent=2))
    return result


def evaluate(system: Any, conversations: list[dict[str, Any]], k: int = 10) -> dict[str, Any]:
    """Load every conversation into ``system``, ask its questions, score evidence recall@1/5/k.

    ``system.turns(conversation)`` (when it has one) builds the inputs, else ``turns_of``; the system
    is closed at the end."""
    ks = sorted({1, 5, k})
    per_cat: dict[str, dict[str, list[float]]] = {c: {f"recall@{x}": [] for x in ks} for c in CATEGORIES}
    search_ms: list[float] = []
    search_cpu_ms: list[float] = []
    add_ms: list[float] = []
    n_turns = 0
    ingest_s = 0.0
    try:
        _warm_up(system, conversations)
        for conv in tqdm(conversations, desc=f"loading ({system.name})"):
            inputs = system.turns(conv) if hasattr(system, "turns") else turns_of(conv)
            t0 = time.perf_counter()
            system.load(conv["sample_id"], inputs)
            took = time.perf_counter() - t0
            ingest_s += took
            add_ms.append(took * 1000 / max(1, len(inputs)))
            n_turns += len(inputs)
        questions = [
            (c["sample_id"], q)
            for c in conversations
            for q in c["qa"]
            if str(q.get("category")) in CATEGORIES
        ]
        for user, q in tqdm(questions, desc=f"questions ({system.name})"):
            evidence = evidence_of(q)
            if not evidence:
                continue
            t0, c0 = time.perf_counter(), time.process_time()
            found = system.search(user, q["question"], max(ks))
            search_ms.append((time.perf_counter() - t0) * 1000)
            search_cpu_ms.append((time.process_time() - c0) * 1000)
            for x in ks:
                per_cat[str(q["category"])][f"recall@{x}"].append(
                    len(evidence & set(found[:x])) / len(evidence)
                )
        graph_ms = _graph_lookups(system, conversations, questions, max(ks))
    finally:
        system.close()
    result: dict[str, Any] = {
        "system": system.name,
        "conversations": len(conversations),
        "conversation_ids": [c["sample_id"] for c in conversations],
        "turns": n_turns,
        "questions": sum(len(v[f"recall@{ks[0]}"]) for v in per_cat.values()),
    }
    for x in ks:
        scores = [s for v in per_cat.values() for s in v[f"recall@{x}"]]
        result[f"recall@{x}"] = round(sum(scores) / max(1, len(scores)), 4)
    result["per_category"] = {
        c: {
            **{key: round(sum(v) / max(1, len(v)), 4) for key, v in vals.items()},
            "n": len(vals[f"recall@{ks[0]}"]),
        }
        for c, vals in per_cat.items()
    }
    result["search_ms"] = {
        "p50": round(percentile(search_ms, 0.5), 2),
        "p95": round(percentile(search_ms, 0.95), 2),
    }
    # CPU time of this process per search (all its threads): less swayed than wall time by other
    # programs on a busy machine, though still by cache and thread contention.
    result["search_cpu_ms"] = {
        "p50": round(percentile(search_cpu_ms, 0.5), 2),
        "p95": round(percentile(search_cpu_ms, 0.95), 2),
    }
    if graph_ms is not None:
        result["graph_lookup_ms"] = graph_ms
    result["add_ms"] = {"mean": round(sum(add_ms) / max(1, len(add_ms)), 3)}
    result["ingest_s"] = round(ingest_s, 2)
    result["turns_per_s"] = round(n_turns / ingest_s, 1) if ingest_s else None
    return result


WARM_UP_USER = "bench-warm-up"
WARM_UP_TURNS = 8


def _warm_up(system: Any, conversations: list[dict[str, Any]]) -> None:
    """Load a few turns under a throwaway user, then delete them, untimed: the first writes of a
    process (model sessions, database files, caches) are not part of any system's ingest rate."""
    if not conversations:
        return
    conv = conversations[0]
    inputs = system.turns(conv) if hasattr(system, "turns") else turns_of(conv)
    system.load(WARM_UP_USER, inputs[:WARM_UP_TURNS])
    system.search(WARM_UP_USER, "warm up", 1)
    system.load(WARM_UP_USER, [])  # load starts by deleting the user's memories


def _graph_lookups(
    system: Any, conversations: list[dict[str, Any]], questions: list[tuple[str, dict]], k: int
) -> dict[str, Any] | None:
    """Time the graph part of each search on its own (entity names in the question, then the edges
    around them), after the searches, so that it is warm as in a running app."""
    if not hasattr(system, "graph_lookup"):
        return None
    speakers = {
        c["sample_id"]: [c["conversation"].get("speaker_a", ""), c["conversation"].get("speaker_b", "")]
        for c in conversations
    }
    took: list[float] = []
    asked = 0
    for user, q in questions:
        t0 = time.perf_counter()
        used = system.graph_lookup(user, q["question"], speakers[user], k)
        took.append((time.perf_counter() - t0) * 1000)
        if used is None:
            return None
        asked += used
    return {
        "p50": round(percentile(took, 0.5), 3),
        "p95": round(percentile(took, 0.95), 3),
        "questions_that_ask_the_graph": asked,
        "questions": len(took),
    }
