"""Job statistics, counted from the job table rather than kept in memory.

The database is the queue's source of truth, so numbers read here survive restarts and agree
with ``GET /api/jobs``. Every figure is an aggregate the database answers from an index, never
rows loaded into Python: counts per status and priority, and of waiting dead letters, from the
queue's counters (:mod:`graphq.queue.counts`, a few rows however many jobs), the last hour from
``ix_jobs_completed``, durations from the latest :data:`DURATION_SAMPLE` completed jobs so that
a long history does not make every request slower; throughput is per the last hour. Each count
is grouped by queue as well, so every queue's figures cost what the whole table's do.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import msgspec
import numpy as np
from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from graphq.db.database import Database
from graphq.db.models import ExtractionQueue, GraphImage, Job, Product, utcnow
from graphq.queue import counts
from graphq.queue.vocabulary import OUTCOMES, WAITING, JobStatus, Priority
from graphq.schema_base import Struct
from graphq.services.queues import get_queue

PRIORITIES = sorted(Priority, key=lambda priority: priority.rank)
DURATION_SAMPLE = 1000


class DurationStats(Struct):
    """Seconds from start to completion of completed jobs (``None`` when there are none)."""

    sample: int
    average_s: float | None
    p50_s: float | None
    p95_s: float | None
    max_s: float | None


class JobStats(Struct):
    total: int
    by_status: dict[str, int]
    by_priority: dict[str, int]
    waiting: int
    running: int
    # completed ÷ (completed + dead); cancelled jobs count for neither. None before any ended.
    success_rate: float | None
    duration: DurationStats
    completed_last_hour: int
    dead_last_hour: int
    throughput_per_minute: float
    dlq_size: int


class QueueStats(JobStats):
    queue_id: str
    name: str
    status: str
    mode: str
    max_concurrent_jobs: int


class GlobalStats(JobStats):
    queues: int
    products: int
    images: int
    generated_at: datetime


def duration_stats(seconds: list[float]) -> DurationStats:
    if not seconds:
        return DurationStats(sample=0, average_s=None, p50_s=None, p95_s=None, max_s=None)
    values = np.asarray(seconds, dtype=np.float64)
    return DurationStats(
        sample=len(seconds),
        average_s=round(float(values.mean()), 3),
        p50_s=round(float(np.percentile(values, 50)), 3),
        p95_s=round(float(np.percentile(values, 95)), 3),
        max_s=round(float(values.max()), 3),
    )


async def recent_durations(
    session: AsyncSession, where: ColumnElement[bool], limit: int = DURATION_SAMPLE
) -> list[float]:
    rows = await session.execute(
        select(Job.actual_duration)
        .where(where, Job.status == JobStatus.COMPLETED, Job.actual_duration.is_not(None))
        # Every completed job has its end time; naming it lets the read use ix_jobs_completed,
        # which holds only jobs that ended (migration 0010).
        .where(Job.completed_at.is_not(None))
        .order_by(Job.completed_at.desc())
        .limit(limit)
    )
    return [float(value) for value in rows.scalars() if value is not None]


@dataclass
class _Tally:
    """The counted figures of one scope's jobs, added up from grouped rows."""

    by_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(JobStatus, 0))
    by_priority: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PRIORITIES, 0))
    last_hour: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    dlq_size: int = 0

    def stats(self, durations: list[float]) -> JobStats:
        by_status = self.by_status
        ended = by_status[JobStatus.COMPLETED] + by_status[JobStatus.DEAD]
        return JobStats(
            total=sum(by_status.values()),
            by_status=by_status,
            by_priority=self.by_priority,
            waiting=sum(by_status[s] for s in WAITING),
            running=by_status[JobStatus.PROCESSING],
            success_rate=round(by_status[JobStatus.COMPLETED] / ended, 4) if ended else None,
            duration=duration_stats(durations),
            completed_last_hour=self.last_hour[JobStatus.COMPLETED],
            dead_last_hour=self.last_hour[JobStatus.DEAD],
            throughput_per_minute=round(self.last_hour[JobStatus.COMPLETED] / 60, 3),
            dlq_size=self.dlq_size,
        )


async def _tallies(session: AsyncSession, queue_id: str | None) -> dict[str | None, _Tally]:
    """The counted figures of each queue's jobs (by queue id) and, under ``None``, of all
    jobs, or of the one queue ``queue_id``: the counts from the queue's counters (a few rows
    however many jobs), the last hour's ends grouped over a range of an index."""
    where: ColumnElement[bool] = Job.queue_id == queue_id if queue_id is not None else true()
    tallies: defaultdict[str | None, _Tally] = defaultdict(_Tally)
    # The queue's counters: a few rows, however many jobs.
    for count in await counts.job_counts(session, queue_id):
        if counts.is_letters(count):
            tallies[count.queue_id].dlq_size = count.n
            tallies[None].dlq_size += count.n
            continue
        for tally in (tallies[count.queue_id], tallies[None]):
            tally.by_status[count.status] = tally.by_status.get(count.status, 0) + count.n
            tally.by_priority[count.priority] = tally.by_priority.get(count.priority, 0) + count.n
    since = utcnow() - timedelta(hours=1)
    # A range of ``ix_jobs_completed``: only the last hour's jobs are read.
    finished_recently = (
        select(Job.queue_id, Job.status, func.count())
        .where(where, Job.completed_at >= since, Job.status.in_(OUTCOMES))
        .group_by(Job.queue_id, Job.status)
    )
    for queue, status, n in await session.execute(finished_recently):
        for tally in (tallies[queue], tallies[None]):
            tally.last_hour[status] += int(n)
    return tallies


async def job_stats(session: AsyncSession, queue_id: str | None) -> JobStats:
    """Every figure of :class:`JobStats` for one queue's jobs, or for all (``None``)."""
    tallies = await _tallies(session, queue_id)
    tally = tallies[queue_id]
    where = Job.queue_id == queue_id if queue_id is not None else true()
    return tally.stats(await recent_durations(session, where))


def _queue_stats(queue: ExtractionQueue, stats: JobStats) -> QueueStats:
    return QueueStats(
        **msgspec.structs.asdict(stats),
        queue_id=queue.id,
        name=queue.name,
        status=queue.status,
        mode=queue.mode,
        max_concurrent_jobs=queue.max_concurrent_jobs,
    )


async def queue_stats(db: Database, queue_id: str) -> QueueStats:
    queue = await get_queue(db, queue_id)
    async with db.read() as session:
        stats = await job_stats(session, queue_id)
    return _queue_stats(queue, stats)


async def _queues(session: AsyncSession) -> list[ExtractionQueue]:
    return list(
        (await session.execute(select(ExtractionQueue).order_by(ExtractionQueue.name))).scalars()
    )


async def _each_queue(
    session: AsyncSession, queues: list[ExtractionQueue], tallies: dict[str | None, _Tally]
) -> list[QueueStats]:
    empty = _Tally()
    return [
        _queue_stats(
            queue,
            tallies.get(queue.id, empty).stats(
                await recent_durations(session, Job.queue_id == queue.id)
            ),
        )
        for queue in queues
    ]


async def _global(session: AsyncSession, tally: _Tally) -> GlobalStats:
    stats = tally.stats(await recent_durations(session, true()))
    # One statement for the three counts: each statement through the session costs about a
    # millisecond of CPU, more than these small counts.
    counted = select(*(select(func.count(table.id)).scalar_subquery() for table in _COUNTED))
    queues, products, images = (await session.execute(counted)).one()
    return GlobalStats(
        **msgspec.structs.asdict(stats),
        queues=int(queues),
        products=int(products),
        images=int(images),
        generated_at=utcnow(),
    )


_COUNTED = (ExtractionQueue, Product, GraphImage)


async def all_queue_stats(db: Database) -> list[QueueStats]:
    async with db.read() as session:
        return await _each_queue(session, await _queues(session), await _tallies(session, None))


async def global_stats(db: Database) -> GlobalStats:
    async with db.read() as session:
        tallies = await _tallies(session, None)
        return await _global(session, tallies[None])


async def overview(db: Database) -> tuple[GlobalStats, list[QueueStats]]:
    """:func:`global_stats` and :func:`all_queue_stats` from one set of grouped queries."""
    async with db.read() as session:
        tallies = await _tallies(session, None)
        queues = await _each_queue(session, await _queues(session), tallies)
        return await _global(session, tallies[None]), queues
