"""The in-memory index of waiting jobs: one priority heap per queue plus a timer heap.

The heap is an index of the database, rebuilt from it at start. Entries are removed lazily:
a popped entry counts only if it still matches the job's current key, so re-prioritising or
cancelling a job is O(log n) without searching the heap.
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass, field

PRIORITY_RANK = {"urgent": 0, "high": 1, "normal": 2, "low": 3}

Key = tuple[int, int]  # (priority rank, enqueued_ns)


@dataclass
class QueueHeap:
    by_priority: bool = True
    _heap: list[tuple[int, int, str]] = field(default_factory=list)
    _entries: dict[str, tuple[str, int]] = field(default_factory=dict)

    def _key(self, job_id: str) -> Key | None:
        entry = self._entries.get(job_id)
        if entry is None:
            return None
        priority, enqueued_ns = entry
        return (PRIORITY_RANK[priority] if self.by_priority else 0, enqueued_ns)

    def push(self, job_id: str, priority: str, enqueued_ns: int) -> None:
        self._entries[job_id] = (priority, enqueued_ns)
        heapq.heappush(self._heap, (*self._key(job_id), job_id))  # type: ignore[misc]

    def discard(self, job_id: str) -> None:
        self._entries.pop(job_id, None)

    def __contains__(self, job_id: str) -> bool:
        return job_id in self._entries

    def _drop_stale(self) -> None:
        while self._heap:
            rank, ns, job_id = self._heap[0]
            if self._key(job_id) == (rank, ns):
                return
            heapq.heappop(self._heap)

    def peek(self) -> tuple[Key, str] | None:
        self._drop_stale()
        if not self._heap:
            return None
        rank, ns, job_id = self._heap[0]
        return (rank, ns), job_id

    def pop(self) -> str | None:
        self._drop_stale()
        if not self._heap:
            return None
        _, _, job_id = heapq.heappop(self._heap)
        del self._entries[job_id]
        return job_id

    def position(self, job_id: str) -> int | None:
        """0-based place in line; O(n), for answering a client, not for scheduling."""
        key = self._key(job_id)
        if key is None:
            return None
        return sum(1 for other in self._entries if (k := self._key(other)) is not None and k < key)

    def set_policy(self, by_priority: bool) -> None:
        """Rebuild the order when a queue switches between ``priority`` and ``fifo``."""
        if by_priority == self.by_priority:
            return
        self.by_priority = by_priority
        entries = list(self._entries.items())
        self._heap.clear()
        self._entries.clear()
        for job_id, (priority, ns) in entries:
            self.push(job_id, priority, ns)

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
