"""What the engine holds in memory about queues and running jobs (the database holds the rest)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import anyio

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
