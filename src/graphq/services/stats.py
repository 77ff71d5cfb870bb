"""Job statistics, counted from the job table rather than kept in memory.

The database is the queue's source of truth, so numbers read here survive restarts and agree
with ``GET /api/jobs``. Every figure is an aggregate the database answers from an index, never
rows loaded into Python: counts per status and priority from ``ix_jobs_queue_status`` (a range
of it for one queue, the whole of it, which is small, for all), the last hour from
``ix_jobs_completed``, durations from the latest :data:`DURATION_SAMPLE` completed jobs so that
a long history does not make every request slower; throughput is per the last hour.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import msgspec
import numpy as np
from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from graphq.db.database import Database
from graphq.db.models import DeadLetter, ExtractionQueue, GraphImage, Job, Product, utcnow
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


async def _count(session: AsyncSession, query: Any) -> int:
    return int((await session.execute(query)).scalar_one())


async def recent_durations(
    session: AsyncSession, where: ColumnElement[bool], limit: int = DURATION_SAMPLE
) -> list[float]:
    rows = await session.execute(
        select(Job.actual_duration)
        .where(where, Job.status == JobStatus.COMPLETED, Job.actual_duration.is_not(None))
        .order_by(Job.completed_at.desc())
        .limit(limit)
    )
    return [float(value) for value in rows.scalars() if value is not None]


async def job_stats(session: AsyncSession, queue_id: str | None) -> JobStats:
    """Every figure of :class:`JobStats` for one queue's jobs, or for all (``None``)."""
    where: ColumnElement[bool] = Job.queue_id == queue_id if queue_id is not None else true()
    by_status: dict[str, int] = dict.fromkeys(JobStatus, 0)
    by_priority: dict[str, int] = dict.fromkeys(PRIORITIES, 0)
    # Grouped in the index's own order, so the database streams it without sorting.
    grouping = (Job.queue_id, Job.status, Job.priority)
    counts = select(*grouping, func.count()).where(where).group_by(*grouping)
    for _queue, status, priority, n in await session.execute(counts):
        by_status[status] = by_status.get(status, 0) + n
        by_priority[priority] = by_priority.get(priority, 0) + n
    since = utcnow() - timedelta(hours=1)
    finished_recently = select(Job.status, func.count()).where(
        where, Job.completed_at >= since, Job.status.in_(OUTCOMES)
    )
    last_hour: dict[str, int] = dict.fromkeys(OUTCOMES, 0)
    last_hour.update(
        {
            status: int(n)
            for status, n in await session.execute(finished_recently.group_by(Job.status))
        }
    )
    waiting_letters = select(func.count(DeadLetter.id)).where(DeadLetter.reprocessed_at.is_(None))
    if queue_id is not None:
        # Driven from the few waiting letters, each checked against its job by primary key.
        of_queue = select(Job.id).where(Job.id == DeadLetter.job_id, Job.queue_id == queue_id)
        waiting_letters = waiting_letters.where(of_queue.exists())
    ended = by_status[JobStatus.COMPLETED] + by_status[JobStatus.DEAD]
    return JobStats(
        total=sum(by_status.values()),
        by_status=by_status,
        by_priority=by_priority,
        waiting=sum(by_status[s] for s in WAITING),
        running=by_status[JobStatus.PROCESSING],
        success_rate=round(by_status[JobStatus.COMPLETED] / ended, 4) if ended else None,
        duration=duration_stats(await recent_durations(session, where)),
        completed_last_hour=last_hour[JobStatus.COMPLETED],
        dead_last_hour=last_hour[JobStatus.DEAD],
        throughput_per_minute=round(last_hour[JobStatus.COMPLETED] / 60, 3),
        dlq_size=await _count(session, waiting_letters),
    )


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


async def all_queue_stats(db: Database) -> list[QueueStats]:
    async with db.read() as session:
        queues = list(
            (
                await session.execute(select(ExtractionQueue).order_by(ExtractionQueue.name))
            ).scalars()
        )
        return [_queue_stats(q, await job_stats(session, q.id)) for q in queues]


async def global_stats(db: Database) -> GlobalStats:
    async with db.read() as session:
        stats = await job_stats(session, None)
        return GlobalStats(
            **msgspec.structs.asdict(stats),
            queues=await _count(session, select(func.count(ExtractionQueue.id))),
            products=await _count(session, select(func.count(Product.id))),
            images=await _count(session, select(func.count(GraphImage.id))),
            generated_at=utcnow(),
        )
