"""TurnWriter: each user's writes in order, a bounded queue that pushes back, a deadline per turn."""

from __future__ import annotations

import threading

import pytest

from memory.errors import WriteQueueFullError
from memory.types import AddResult
from memory.writer import TurnWriter


def test_one_users_writes_keep_their_order_while_others_proceed() -> None:
    done: list[tuple[str, int]] = []
    held = threading.Event()
    writer = TurnWriter(workers=2, max_pending=16)

    def write(user: str, n: int, wait: threading.Event | None = None):  # noqa: ANN202
        def run(late: bool) -> AddResult:
            if wait is not None:
                assert wait.wait(30)
            done.append((user, n))
            return AddResult()

        return run

    first = writer.submit("ada", write("ada", 0, held))  # ada's first write is held up
    later = [writer.submit("ada", write("ada", n)) for n in range(1, 4)]
    grace = writer.submit("grace", write("grace", 0))
    grace.result(timeout=30)  # grace is not stuck behind ada
    assert done == [("grace", 0)] and not any(f.done() for f in later)
    held.set()
    for future in [first, *later]:
        future.result(timeout=30)
    writer.close()
    assert [n for user, n in done if user == "ada"] == [0, 1, 2, 3]


def test_a_full_queue_pushes_back_then_refuses_in_words() -> None:
    release = threading.Event()
    writer = TurnWriter(workers=1, max_pending=2, submit_wait_s=0.2)
    blocked = [writer.submit("ada", lambda late: release.wait(30) and AddResult()) for _ in range(2)]
    with pytest.raises(WriteQueueFullError, match="try again in a moment"):
        writer.submit("bo", lambda late: AddResult())
    release.set()
    for future in blocked:
        future.result(timeout=30)
    assert writer.submit("bo", lambda late: AddResult()).result(timeout=30) == AddResult()
    writer.close()
    assert writer.pending == 0


def test_a_turn_that_waited_past_its_deadline_is_told_it_is_late() -> None:
    release = threading.Event()
    seen: list[bool] = []
    writer = TurnWriter(workers=1, deadline_s=0.0)
    slow = writer.submit("ada", lambda late: release.wait(30) and AddResult())
    late = writer.submit("ada", lambda late: seen.append(late) or AddResult())
    release.set()
    slow.result(timeout=30)
    late.result(timeout=30)
    writer.close()
    assert seen == [True]
