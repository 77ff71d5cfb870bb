"""What ``/metrics`` reports about the queue, read fresh at each scrape.

Counts by state and of the dead-letter queue come from the queue's counters (kept with the job
table, :mod:`graphq.queue.counts`), review flags and job durations from the job table, so they
survive a restart and agree with ``/api/monitor``; queue depth and busy slots come from the
engine, which is what is scheduling right now. Durations are bucketed by the database (one
aggregate query), not by rows fetched here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, func, select

from graphq.db.database import Database
from graphq.db.models import Job
from graphq.queue import counts
from graphq.queue.front import QueueFront
from graphq.queue.vocabulary import JobStatus


@dataclass(frozen=True)
class Durations:
    """Completed jobs of one kind: cumulative counts at each bucket's upper bound."""

    cumulative: list[int]
    count: int
    total_s: float


@dataclass(frozen=True)
class QueueLoad:
    name: str
    waiting: int
    running: int


@dataclass(frozen=True)
class Snapshot:
    jobs_by_status: dict[str, int]
    needs_review_by_kind: dict[str, int]
    dead_letters: int
    durations_by_kind: dict[str, Durations]
    queues: list[QueueLoad]
    slots: int
    slots_busy: int


async def snapshot(db: Database, front: QueueFront, bounds_s: Sequence[float]) -> Snapshot:
    """The figures now; ``bounds_s`` are the duration histogram's bucket bounds."""
    buckets = [func.sum(case((Job.actual_duration <= bound, 1), else_=0)) for bound in bounds_s]
    async with db.read() as session:
        counted = await counts.job_counts(session)
        review = await session.execute(
            select(Job.kind, func.count()).where(Job.needs_review.is_(True)).group_by(Job.kind)
        )
        durations = await session.execute(
            select(Job.kind, func.count(), func.sum(Job.actual_duration), *buckets)
            .where(Job.status == JobStatus.COMPLETED, Job.actual_duration.is_not(None))
            .group_by(Job.kind)
        )
        jobs_by_status: dict[str, int] = defaultdict(int)
        for count in counted:
            if not counts.is_letters(count):
                jobs_by_status[count.status] += count.n
        needs_review = {kind: int(n) for kind, n in review.all()}
        dead_letters = sum(count.n for count in counted if counts.is_letters(count))
        durations_by_kind = {
            kind: Durations([int(c) for c in cumulative], int(count), float(total))
            for kind, count, total, *cumulative in durations.all()
        }
    queues = [
        QueueLoad(name, front.depth(queue_id), front.running(queue_id))
        for queue_id, name in front.queue_names().items()
    ]
    return Snapshot(
        jobs_by_status=dict(jobs_by_status),
        needs_review_by_kind=needs_review,
        dead_letters=dead_letters,
        durations_by_kind=durations_by_kind,
        queues=queues,
        slots=front.slots,
        slots_busy=front.slots_busy,
    )
