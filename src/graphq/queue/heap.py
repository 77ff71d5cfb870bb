"""The in-memory index of waiting jobs: one ordered index per queue plus a timer heap.

The index is of the database, rebuilt from it at start. Each queue keeps its waiting jobs in
one sorted list keyed by (priority rank, enqueued_ns, id), so taking the next job, removing a
cancelled or re-prioritised one and a job's place in line are all O(log n): job creation
answers with the new job's place in line, and that must not cost more as the queue grows.
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass, field

from sortedcontainers import SortedList

from graphq.queue.vocabulary import PRIORITY_RANK

Key = tuple[int, int]  # (priority rank, enqueued_ns)


@dataclass
class QueueHeap:
    """A queue's waiting jobs in the order they start: priority, then first come."""

    by_priority: bool = True
    _order: SortedList = field(default_factory=SortedList)  # (rank, enqueued_ns, job_id)
    _entries: dict[str, tuple[str, int]] = field(default_factory=dict)

    def _sort_key(self, job_id: str, priority: str, enqueued_ns: int) -> tuple[int, int, str]:
        return (PRIORITY_RANK[priority] if self.by_priority else 0, enqueued_ns, job_id)

    def push(self, job_id: str, priority: str, enqueued_ns: int) -> None:
        """Add a job, or move it if it is already waiting (a new priority, say)."""
        self.discard(job_id)
        self._entries[job_id] = (priority, enqueued_ns)
        self._order.add(self._sort_key(job_id, priority, enqueued_ns))

    def discard(self, job_id: str) -> None:
        entry = self._entries.pop(job_id, None)
        if entry is not None:
            self._order.remove(self._sort_key(job_id, *entry))

    def __contains__(self, job_id: str) -> bool:
        return job_id in self._entries

    def peek(self) -> tuple[Key, str] | None:
        if not self._order:
            return None
        rank, ns, job_id = self._order[0]
        return (rank, ns), job_id

    def pop(self) -> str | None:
        if not self._order:
            return None
        _, _, job_id = self._order.pop(0)
        del self._entries[job_id]
        return job_id

    def position(self, job_id: str) -> int | None:
        """0-based place in line, O(log n)."""
        entry = self._entries.get(job_id)
        if entry is None:
            return None
        return int(self._order.bisect_left(self._sort_key(job_id, *entry)))

    def set_policy(self, by_priority: bool) -> None:
        """Rebuild the order when a queue switches between ``priority`` and ``fifo``."""
        if by_priority == self.by_priority:
            return
        self.by_priority = by_priority
        self._order = SortedList(
            self._sort_key(job_id, priority, ns) for job_id, (priority, ns) in self._entries.items()
        )

    def __len__(self) -> int:
        return len(self._entries)


@dataclass(order=True)
class _Timer:
    due_monotonic: float
    job_id: str = field(compare=False)


@dataclass
class DelayHeap:
    """Jobs waiting for their retry time; they move to their queue heap when due."""

    _heap: list[_Timer] = field(default_factory=list)

    def push(self, job_id: str, delay_s: float) -> None:
        heapq.heappush(self._heap, _Timer(time.monotonic() + max(delay_s, 0.0), job_id))

    def pop_due(self) -> list[str]:
        now = time.monotonic()
        due = []
        while self._heap and self._heap[0].due_monotonic <= now:
            due.append(heapq.heappop(self._heap).job_id)
        return due

    def seconds_to_next(self) -> float | None:
        if not self._heap:
            return None
        return max(self._heap[0].due_monotonic - time.monotonic(), 0.0)
