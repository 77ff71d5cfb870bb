"""Job statistics, counted from the job table rather than kept in memory.

The database is the queue's source of truth, so numbers read here survive restarts and agree
with ``GET /api/jobs``. Duration figures use the latest :data:`DURATION_SAMPLE` completed jobs
so that a long history does not make every request slower; throughput is per the last hour.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import msgspec
import numpy as np
from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from graphq.db.models import DeadLetter, ExtractionQueue, GraphImage, Job, Product, utcnow
from graphq.runtime import Runtime
from graphq.schema_base import Struct
from graphq.services.queues import get_queue

STATUSES = ("pending", "queued", "processing", "completed", "failed", "cancelled", "dead")
PRIORITIES = ("urgent", "high", "normal", "low")
WAITING = ("queued", "pending")
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


async def _count_by(
    session: AsyncSession, column: Any, where: ColumnElement[bool], keys: tuple[str, ...]
) -> dict[str, int]:
    rows = await session.execute(select(column, func.count()).where(where).group_by(column))
    counts = dict.fromkeys(keys, 0)
    counts.update({key: int(count) for key, count in rows})
    return counts


async def _count(session: AsyncSession, query: Any) -> int:
    return int((await session.execute(query)).scalar_one())


async def recent_durations(
    session: AsyncSession, where: ColumnElement[bool], limit: int = DURATION_SAMPLE
) -> list[float]:
    rows = await session.execute(
        select(Job.actual_duration)
        .where(where, Job.status == "completed", Job.actual_duration.is_not(None))
        .order_by(Job.completed_at.desc())
        .limit(limit)
    )
    return [float(value) for value in rows.scalars()]


async def job_stats(session: AsyncSession, where: ColumnElement[bool]) -> JobStats:
    """Every figure of :class:`JobStats` for the jobs matching ``where``."""
    by_status = await _count_by(session, Job.status, where, STATUSES)
    by_priority = await _count_by(session, Job.priority, where, PRIORITIES)
    since = utcnow() - timedelta(hours=1)
    finished_recently = select(Job.status, func.count()).where(
        where, Job.completed_at >= since, Job.status.in_(("completed", "dead"))
    )
    last_hour = dict.fromkeys(("completed", "dead"), 0)
    last_hour.update(
        {
            status: int(n)
            for status, n in await session.execute(finished_recently.group_by(Job.status))
        }
    )
    dlq_size = await _count(
        session,
        select(func.count(DeadLetter.id))
        .join(Job, Job.id == DeadLetter.job_id)
        .where(where, DeadLetter.reprocessed_at.is_(None)),
    )
    ended = by_status["completed"] + by_status["dead"]
    return JobStats(
        total=sum(by_status.values()),
        by_status=by_status,
        by_priority=by_priority,
        waiting=sum(by_status[s] for s in WAITING),
        running=by_status["processing"],
        success_rate=round(by_status["completed"] / ended, 4) if ended else None,
        duration=duration_stats(await recent_durations(session, where)),
        completed_last_hour=last_hour["completed"],
        dead_last_hour=last_hour["dead"],
        throughput_per_minute=round(last_hour["completed"] / 60, 3),
        dlq_size=dlq_size,
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


async def queue_stats(rt: Runtime, queue_id: str) -> QueueStats:
    queue = await get_queue(rt, queue_id)
    async with rt.db.read() as session:
        stats = await job_stats(session, Job.queue_id == queue_id)
    return _queue_stats(queue, stats)


async def all_queue_stats(rt: Runtime) -> list[QueueStats]:
    async with rt.db.read() as session:
        queues = list(
            (
                await session.execute(select(ExtractionQueue).order_by(ExtractionQueue.name))
            ).scalars()
        )
        return [_queue_stats(q, await job_stats(session, Job.queue_id == q.id)) for q in queues]


async def global_stats(rt: Runtime) -> GlobalStats:
    async with rt.db.read() as session:
        stats = await job_stats(session, true())
        return GlobalStats(
            **msgspec.structs.asdict(stats),
            queues=await _count(session, select(func.count(ExtractionQueue.id))),
            products=await _count(session, select(func.count(Product.id))),
            images=await _count(session, select(func.count(GraphImage.id))),
            generated_at=utcnow(),
        )
