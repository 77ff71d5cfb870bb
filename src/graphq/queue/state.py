"""What the engine holds in memory about queues and running jobs (the database holds the rest)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import anyio

from graphq.config import QueueSettings
from graphq.db.models import ExtractionQueue
from graphq.queue.heap import QueueHeap
from graphq.queue.registry import JobSnapshot


@dataclass
class QueueState:
    """A queue's settings as last read from its row, its waiting index and its running jobs.

    Only an ``active`` queue starts jobs. ``paused`` and ``stopped`` both let running jobs
    finish and start nothing new; a stopped queue also refuses new jobs (409 QUEUE_STOPPED).
    """

    id: str
    name: str
    mode: str
    status: str
    max_concurrent: int
    max_attempts: int
    retry_base_s: float
    retry_cap_s: float
    job_timeout_s: float
    heap: QueueHeap
    running: set[str] = field(default_factory=set)
    dispatch_credits: int = 0
    over_backpressure: bool = False

    def can_start(self) -> bool:
        if self.status != "active" or len(self.running) >= self.max_concurrent:
            return False
        return self.mode == "automatic" or self.dispatch_credits > 0


def apply_queue_row(
    queues: dict[str, QueueState], row: ExtractionQueue, defaults: QueueSettings
) -> None:
    """Bring ``queues[row.id]`` up to its row (creating it), its settings over ``defaults``;
    its waiting and running jobs stay."""
    settings: dict[str, Any] = row.settings or {}
    state = queues.get(row.id)
    by_priority = row.priority_policy == "priority"
    if state is None:
        state = QueueState(
            id=row.id,
            name=row.name,
            mode=row.mode,
            status=row.status,
            max_concurrent=row.max_concurrent_jobs,
            max_attempts=0,
            retry_base_s=0.0,
            retry_cap_s=0.0,
            job_timeout_s=0.0,
            heap=QueueHeap(by_priority=by_priority),
        )
        queues[row.id] = state
    state.name, state.mode, state.status = row.name, row.mode, row.status
    state.max_concurrent = row.max_concurrent_jobs
    state.max_attempts = int(settings.get("maxAttempts", defaults.max_attempts))
    state.retry_base_s = float(settings.get("retryBaseS", defaults.retry_base_s))
    state.retry_cap_s = float(settings.get("retryCapS", defaults.retry_cap_s))
    state.job_timeout_s = float(settings.get("jobTimeoutS", defaults.job_timeout_s))
    state.heap.set_policy(by_priority)


@dataclass
class RunningJob:
    """A job holding a worker slot, from the moment it is picked until its run has ended.

    ``progress``/``step`` are published at once; ``dirty`` marks a value not yet written to
    the database, which the engine's progress flusher writes for all jobs in one transaction.
    ``successor`` is the job (claimed at this run's completion) that this run's task runs next.
    """

    job_id: str
    queue_id: str
    priority: str
    enqueued_ns: int
    scope: anyio.CancelScope | None = None
    stop_reason: str | None = None
    done: anyio.Event = field(default_factory=anyio.Event)
    started_at: datetime | None = None
    progress: float = 0.0
    step: str = ""
    dirty: bool = False
    successor: tuple[JobSnapshot, RunningJob] | None = None
