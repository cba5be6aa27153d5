"""Background memory writes: each user's turns in order, a bounded queue shared by all users that
pushes back when full, and a deadline per turn after which the turn is kept without extraction."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field

from memory.errors import WriteQueueFullError
from memory.types import AddResult

Write = Callable[[bool], AddResult]  # write(late) -> result; ``late``: keep the turn, skip extraction


@dataclass
class _Job:
    write: Write
    deadline: float
    future: Future[AddResult] = field(default_factory=Future)


class TurnWriter:
    """A few worker threads; one user's writes never run at the same time or out of order, and a
    user with many turns waiting does not hold up the others (users take turns)."""

    def __init__(
        self,
        *,
        workers: int = 2,
        max_pending: int = 64,
        submit_wait_s: float = 10.0,
        deadline_s: float = 120.0,
    ) -> None:
        self.max_pending = max_pending
        self.submit_wait_s = submit_wait_s
        self.deadline_s = deadline_s
        self._cond = threading.Condition()
        self._queues: dict[str, deque[_Job]] = {}
        self._ready: deque[str] = deque()  # users with work waiting and no worker on it
        self._pending = 0
        self._closed = False
        self._threads = [
            threading.Thread(target=self._work, name=f"memory-write-{n}", daemon=True) for n in range(workers)
        ]
        for thread in self._threads:
            thread.start()

    @property
    def pending(self) -> int:
        """Writes queued or running."""
        with self._cond:
            return self._pending

    def submit(self, user_id: str, write: Write) -> Future[AddResult]:
        """Queue a write; blocks while the queue is full, up to ``submit_wait_s``, then refuses."""
        with self._cond:
            if not self._cond.wait_for(
                lambda: self._closed or self._pending < self.max_pending, timeout=self.submit_wait_s
            ):
                raise WriteQueueFullError(
                    f"{self._pending} turns are already waiting to be remembered; "
                    "try again in a moment (nothing of this turn was stored)"
                )
            if self._closed:
                raise RuntimeError("the memory writer is closed")
            job = _Job(write=write, deadline=time.monotonic() + self.deadline_s)
            queue = self._queues.get(user_id)
            if queue is None:
                self._queues[user_id] = queue = deque()
                self._ready.append(user_id)
            queue.append(job)
            self._pending += 1
            self._cond.notify_all()
            return job.future

    def close(self) -> None:
        """Finish what is queued, then stop the workers."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        for thread in self._threads:
            thread.join()

    def _work(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._ready or (self._closed and not self._pending))
                if not self._ready:
                    return
                user_id = self._ready.popleft()
                job = self._queues[user_id].popleft()
            if job.future.set_running_or_notify_cancel():
                try:
                    job.future.set_result(job.write(time.monotonic() > job.deadline))
                except BaseException as exc:  # the future carries it to whoever waits
                    job.future.set_exception(exc)
            with self._cond:
                self._pending -= 1
                if self._queues[user_id]:
                    self._ready.append(user_id)  # the user's next turn, after the other users'
                else:
                    del self._queues[user_id]
                self._cond.notify_all()
