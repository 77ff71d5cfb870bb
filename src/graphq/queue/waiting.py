"""The engine's line of waiting jobs: which queue each is in, and when it may start.

A waiting job is in its queue's heap (:class:`graphq.queue.heap.QueueHeap`), or, while it
waits for a retry's time, in the timer heap; it moves to its queue's heap when that time
comes, behind the jobs enqueued before it. The line is an index of the database, rebuilt at
start, and answers a job's place in line and a queue's depth without a query.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from graphq.queue.heap import DelayHeap
from graphq.queue.state import QueueState


@dataclass(frozen=True)
class Waiting:
    queue_id: str
    priority: str
    enqueued_ns: int


class WaitingLine:
    """Every queue's waiting jobs; ``queues`` is the engine's own map, read as it changes."""

    def __init__(self, queues: dict[str, QueueState]) -> None:
        self.queues = queues
        self._waiting: dict[str, Waiting] = {}
        self._delayed = DelayHeap()
        self._delayed_ns: dict[str, int] = {}

    def index(
        self, job_id: str, queue_id: str, priority: str, enqueued_ns: int, delay_s: float
    ) -> None:
        """Put a job in line, or move it there (a new priority); after ``delay_s`` if > 0.
        A job of a queue the engine does not know is left out."""
        state = self.queues.get(queue_id)
        if state is None:
            return
        self._waiting[job_id] = Waiting(queue_id, priority, enqueued_ns)
        if delay_s > 0:
            self._delayed.push(job_id, delay_s)
            state.heap.discard(job_id)
            self._delayed_ns[job_id] = enqueued_ns
        else:
            state.heap.push(job_id, priority, enqueued_ns)

    def take(self, job_id: str) -> Waiting:
        """Take out a job its queue's heap has just handed to a slot."""
        return self._waiting.pop(job_id)

    def forget(self, job_id: str) -> None:
        """A job no longer waits (cancelled, or claimed by another node)."""
        waiting = self._waiting.pop(job_id, None)
        if waiting and waiting.queue_id in self.queues:
            state = self.queues[waiting.queue_id]
            state.heap.discard(job_id)
            state.dispatch_credits = min(state.dispatch_credits, len(state.heap))

    def reprioritize(self, job_id: str, priority: str, enqueued_ns: int) -> bool:
        """Move a waiting job to its new place; False if it does not wait here."""
        waiting = self._waiting.get(job_id)
        if waiting is None:
            return False
        self.index(job_id, waiting.queue_id, priority, enqueued_ns, 0.0)
        return True

    def position(self, job_id: str) -> int | None:
        waiting = self._waiting.get(job_id)
        if waiting is None or waiting.queue_id not in self.queues:
            return None
        return self.queues[waiting.queue_id].heap.position(job_id)

    def depth(self, queue_id: str) -> int:
        state = self.queues.get(queue_id)
        return len(state.heap) if state else 0

    def release_due(self) -> None:
        """Move the jobs whose retry time came into their queues' heaps."""
        for job_id in self._delayed.pop_due():
            waiting = self._waiting.get(job_id)
            if waiting is not None and waiting.queue_id in self.queues:
                ns = self._delayed_ns.pop(job_id, time.time_ns())
                self.queues[waiting.queue_id].heap.push(job_id, waiting.priority, ns)

    def seconds_to_next(self) -> float | None:
        """Until the next retry time, if any job waits for one."""
        return self._delayed.seconds_to_next()
