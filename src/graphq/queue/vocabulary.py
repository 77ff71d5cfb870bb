"""The queue's words for a job's state and urgency, and what each one means to the queue.

String enums, so the values stored in the ``jobs`` table and sent in the API are the plain
words themselves (``"queued"``, ``"urgent"``): a ``JobStatus`` compares equal to, hashes like
and serialises as its string, and a status read back from the database needs no conversion.
"""

from __future__ import annotations

from enum import StrEnum


class JobStatus(StrEnum):
    """Where a job is in its life; the queue moves it from one to the next."""

    PENDING = "pending"  # put back after a failed attempt, waiting for its retry time
    QUEUED = "queued"  # in line for a worker slot
    PROCESSING = "processing"  # holding a slot, leased by one process
    COMPLETED = "completed"  # ran and stored its result
    FAILED = "failed"  # an attempt failed: said in events; the job goes on pending or dead
    CANCELLED = "cancelled"  # stopped by a user before it ended
    DEAD = "dead"  # out of attempts, or failed for good: it has a dead letter

    @property
    def is_waiting(self) -> bool:
        return self in WAITING

    @property
    def is_finished(self) -> bool:
        return self in FINISHED


class Priority(StrEnum):
    """How soon a waiting job starts in a queue whose policy is ``priority``."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        """The place of this priority in line: 0 starts first."""
        return PRIORITY_RANK[self]


# Waiting for a slot: in a queue's index, counted in its depth, re-prioritisable.
WAITING = (JobStatus.QUEUED, JobStatus.PENDING)
# Not ended yet: a queue with such jobs cannot be deleted.
UNFINISHED = (*WAITING, JobStatus.PROCESSING)
# Ended: cannot be cancelled; a completed job is never run again.
FINISHED = (JobStatus.COMPLETED, JobStatus.CANCELLED, JobStatus.DEAD, JobStatus.FAILED)
# Ended without a result: a retry puts them back in line with a fresh attempt budget.
RETRYABLE = (JobStatus.DEAD, JobStatus.CANCELLED, JobStatus.FAILED)
# The two ways a run ends for good, which success rates and throughput count.
OUTCOMES = (JobStatus.COMPLETED, JobStatus.DEAD)

# Keyed by the enum, and so also by the plain strings the database hands back.
PRIORITY_RANK: dict[str, int] = {
    Priority.URGENT: 0,
    Priority.HIGH: 1,
    Priority.NORMAL: 2,
    Priority.LOW: 3,
}
