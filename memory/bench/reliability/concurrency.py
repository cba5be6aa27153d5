"""Writer threads doing mixed add/update/delete/search/foreign-id calls across users on one Memory.

Memories are shared between threads, so updates race deletes. Invariants, checked during the run
and on the final state: no acknowledged write lost (an id never deleted is there, with history, and
its text is one that could have been written last), no read or write of another user's memory, and
no memory seen again after its delete was acknowledged.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from memory import Memory, MemoryConfig
from memory.bench.reliability.corpus import note
from memory.errors import MemoryLayerError, NotFoundError

_OPS = ("add", "update", "delete", "search", "foreign")
_WEIGHTS = (35, 20, 15, 20, 10)


@dataclass
class Ledger:
    """What every thread was told by the library, with times, guarded by one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    owner: dict[str, str] = field(default_factory=dict)
    added_text: dict[str, str] = field(default_factory=dict)
    updates: dict[str, list[tuple[float, float, str]]] = field(default_factory=dict)
    delete_tried: set[str] = field(default_factory=set)
    deleted_at: dict[str, float] = field(default_factory=dict)  # id -> when its delete returned
    pool: dict[str, list[str]] = field(default_factory=dict)  # user -> ids to pick targets from
    outcomes: Counter = field(default_factory=Counter)
    foreign: list[str] = field(default_factory=list)  # exceptions outside MemoryLayerError
    cross_user: list[str] = field(default_factory=list)
    resurrected: dict[str, str] = field(default_factory=dict)  # id -> how it was seen again


def run(data_dir: Path, options: Any) -> dict[str, Any]:
    users = [f"writer-user-{i:02d}" for i in range(options.users)]
    ledger = Ledger(pool={u: [] for u in users})
    started = time.perf_counter()
    with Memory(MemoryConfig(data_dir=data_dir)) as memory:
        threads = [
            threading.Thread(target=_writer, args=(memory, ledger, users, options, i), daemon=True)
            for i in range(options.threads)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        ops_s = time.perf_counter() - started
        final = _check_final(memory, ledger, users)
        raced = race_update_delete(memory, options.races)
    result = {
        "threads": options.threads,
        "ops": options.threads * options.ops_per_thread,
        "users": len(users),
        "ops_per_s": round(options.threads * options.ops_per_thread / ops_s, 1),
        "outcomes": dict(sorted(ledger.outcomes.items())),
        "memories_acknowledged": len(ledger.owner),
        "deletes_acknowledged": len(ledger.deleted_at),
        "lost_writes": final["lost"],
        "missing_history": final["missing_history"],
        "cross_user_reads": len(ledger.cross_user) + final["cross_user"],
        "update_delete_races": options.races,
        "resurrections": len(set(ledger.resurrected) | final["resurrected"]) + raced["resurrected"],
        "resurrected_at_end": len(final["resurrected"]),
        "resurrected_in_races": raced["resurrected"],
        "foreign_exceptions": len(ledger.foreign) + raced["foreign"],
        "examples": (
            ledger.foreign
            + ledger.cross_user
            + list(ledger.resurrected.values())
            + final["examples"]
            + raced["examples"]
        )[:8],
    }
    result["violations"] = [
        f"concurrency: {result[key]} {key.replace('_', ' ')}"
        for key in (
            "lost_writes",
            "missing_history",
            "cross_user_reads",
            "resurrections",
            "foreign_exceptions",
        )
        if result[key]
    ]
    return result


def _writer(memory: Memory, ledger: Ledger, users: list[str], options: Any, index: int) -> None:
    rng = random.Random(options.seed * 1000 + index)
    for n in range(options.ops_per_thread):
        user = rng.choice(users)
        op = rng.choices(_OPS, _WEIGHTS)[0]
        try:
            done = _one(memory, ledger, rng, users, user, op, f"{user} t{index} n{n}")
            ledger.outcomes[f"{op} {done}"] += 1
        except NotFoundError:
            ledger.outcomes[f"{op} NotFoundError"] += 1  # its target was deleted by another thread
        except MemoryLayerError as exc:
            ledger.outcomes[f"{op} {type(exc).__name__}"] += 1
        except Exception as exc:  # the invariant: nothing outside the library's own errors
            ledger.outcomes[f"{op} FOREIGN {type(exc).__name__}"] += 1
            ledger.foreign.append(f"{op}: {type(exc).__name__}: {exc}"[:300])


def _pick(ledger: Ledger, rng: random.Random, user: str) -> str | None:
    with ledger.lock:
        ids = ledger.pool[user]
        return rng.choice(ids) if ids else None


def _one(
    memory: Memory, ledger: Ledger, rng: random.Random, users: list[str], user: str, op: str, label: str
) -> str:
    if op == "add" or (op in ("update", "delete", "search") and not ledger.pool[user]):
        text = note(rng, label)
        result = memory.add(text, user_id=user, infer=False)
        with ledger.lock:
            for o in result.operations:
                ledger.owner[o.memory_id] = user
                ledger.added_text[o.memory_id] = text
                ledger.pool[user].append(o.memory_id)
        return "ok"
    if op == "update":
        target = _pick(ledger, rng, user)
        text = note(rng, label + " edited")
        begun = time.monotonic()
        memory.update(target, text, user_id=user)
        with ledger.lock:
            ledger.updates.setdefault(target, []).append((begun, time.monotonic(), text))
        return "ok"
    if op == "delete":
        target = _pick(ledger, rng, user)
        with ledger.lock:
            ledger.delete_tried.add(target)
        memory.delete(target, user_id=user)
        with ledger.lock:
            ledger.deleted_at.setdefault(target, time.monotonic())
            if target in ledger.pool[user]:
                ledger.pool[user].remove(target)
        return "ok"
    if op == "search":
        target = _pick(ledger, rng, user)
        query = " ".join(ledger.added_text.get(target, "garden").split()[-4:-1])
        begun = time.monotonic()
        for hit in memory.search(query, user_id=user, limit=10):
            _check_seen(ledger, user, hit.id, hit.memory.user_id, begun, "search")
        return "ok"
    other = rng.choice([u for u in users if u != user])
    target = _pick(ledger, rng, other)
    if target is None:
        return "skipped (the other user has no memory yet)"
    kind = rng.choice(("get", "update", "delete", "history"))
    if kind == "get":
        item = memory.get(target, user_id=user)
    elif kind == "update":
        item = memory.update(target, "overwritten by another user", user_id=user)
    elif kind == "history":
        item = memory.history(target, user_id=user)
    else:
        memory.delete(target, user_id=user)
        item = "deleted"
    with ledger.lock:  # reaching here means another user's memory was served or changed
        ledger.cross_user.append(f"{user} could {kind} {target} of {other}: {str(item)[:80]}")
    return "ok"


def _check_seen(ledger: Ledger, user: str, memory_id: str, payload_user: str, begun: float, how: str) -> None:
    with ledger.lock:
        owner = ledger.owner.get(memory_id, user)
        if owner != user or payload_user != user:
            ledger.cross_user.append(f"{how} for {user} returned {memory_id} of {owner}")
        deleted = ledger.deleted_at.get(memory_id)
        if deleted is not None and deleted < begun:
            ledger.resurrected.setdefault(
                memory_id, f"{how} for {user} returned {memory_id}, deleted before it began"
            )


def _check_final(memory: Memory, ledger: Ledger, users: list[str]) -> dict[str, Any]:
    lost = missing_history = cross = 0
    resurrected: set[str] = set()
    examples: list[str] = []
    for memory_id, user in ledger.owner.items():
        if memory_id in ledger.delete_tried:
            continue
        try:
            item = memory.get(memory_id, user_id=user)
        except NotFoundError:
            lost += 1
            examples.append(f"acknowledged {memory_id} of {user} is gone")
            continue
        if item.text not in _texts_that_could_be_last(ledger, memory_id):
            lost += 1
            examples.append(f"{memory_id} holds {item.text!r}, not its last acknowledged text")
        try:
            memory.history(memory_id, user_id=user)
        except NotFoundError:
            missing_history += 1
            examples.append(f"{memory_id} has no history")
    for memory_id in ledger.deleted_at:
        try:
            memory.get(memory_id, user_id=ledger.owner[memory_id])
            resurrected.add(memory_id)
            examples.append(f"{memory_id} is back after its delete was acknowledged")
        except NotFoundError:
            pass
    for user in users:
        for item in memory.get_all(user_id=user):
            if item.user_id != user or ledger.owner.get(item.id, user) != user:
                cross += 1
                examples.append(f"get_all for {user} listed {item.id} of {ledger.owner.get(item.id)}")
    return {
        "lost": lost,
        "missing_history": missing_history,
        "cross_user": cross,
        "resurrected": resurrected,
        "examples": examples,
    }


def _texts_that_could_be_last(ledger: Ledger, memory_id: str) -> set[str]:
    """The add's text when never updated; else the text of every update that ended after the last
    one began (any of them may have been applied last)."""
    updates = ledger.updates.get(memory_id)
    if not updates:
        return {ledger.added_text[memory_id]}
    last_start = max(start for start, _, _ in updates)
    return {text for _, end, text in updates if end >= last_start}


def race_update_delete(memory: Memory, rounds: int) -> dict[str, Any]:
    """An update reads a memory, a delete of it is acknowledged, then the update writes: ``rounds`` times.

    A third user's large batch holds the writers back so that both calls have read the memory
    before either writes; the delete starts first. Once the delete is acknowledged the memory must
    stay gone, whatever the update then does.
    """
    resurrected = foreign = 0
    examples: list[str] = []
    for n in range(rounds):
        memory_id = memory.add(f"race note {n}", user_id="race-user", infer=False).operations[0].memory_id
        outcome: dict[str, str] = {}
        batch = [{"role": "user", "content": f"filler {n}.{k} about the garden"} for k in range(300)]
        steps = [
            ("batch", lambda b=batch: memory.add(b, user_id="race-holder", infer=False)),
            ("delete", lambda i=memory_id: memory.delete(i, user_id="race-user")),
            ("update", lambda i=memory_id: memory.update(i, "edited after its delete", user_id="race-user")),
        ]
        threads = []
        for name, call in steps:
            threads.append(threading.Thread(target=_outcome, args=(name, call, outcome)))
            threads[-1].start()
            time.sleep(0.05)
        for t in threads:
            t.join()
        foreign += sum(1 for v in outcome.values() if v.startswith("FOREIGN"))
        examples += [v for v in outcome.values() if v.startswith("FOREIGN")]
        if outcome.get("delete") != "ok":
            continue
        try:
            memory.get(memory_id, user_id="race-user")
            resurrected += 1
            examples.append(
                f"{memory_id} is back after its delete was acknowledged (update: {outcome['update']})"
            )
        except NotFoundError:
            pass
    return {"resurrected": resurrected, "foreign": foreign, "examples": examples}


def _outcome(name: str, call: Any, outcome: dict[str, str]) -> None:
    try:
        call()
        outcome[name] = "ok"
    except MemoryLayerError as exc:
        outcome[name] = type(exc).__name__
    except Exception as exc:  # counted as a failure of the invariant
        outcome[name] = f"FOREIGN {type(exc).__name__}: {exc}"[:300]
