"""Monitoring views over the queue: health, performance, errors, DLQ and hourly history.

Health compares four measures with the ``[monitor]`` thresholds: the deepest queue's waiting
jobs (``max_queue_depth``), the unprocessed dead letters (``max_dlq_size``), and, over jobs
that ended in the last hour, the success rate (``min_success_rate``) and the average duration
(``max_avg_duration_s``). No breached check is ``healthy``, one is ``degraded``, two or more —
or an unreachable database — is ``unhealthy``. A measure with nothing to measure (no job ended
in the last hour) passes.

Jobs per queue and status and the waiting dead letters come from the queue's counters
(graphq.queue.counts); every other figure from an index (see migration 0005): averages are
grouped by the database over an index range, lists read the first rows of an index in order,
so no view grows slower with the job table's history.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select, true, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from graphq.config import MonitorSettings
from graphq.db.database import Database
from graphq.db.models import JOB_AT_REST_CHANGED, DeadLetter, ExtractionQueue, Job, utcnow
from graphq.queue import counts
from graphq.queue.front import QueueFront
from graphq.queue.vocabulary import OUTCOMES, WAITING, JobStatus
from graphq.schema_base import Struct
from graphq.services.stats import (
    DurationStats,
    GlobalStats,
    QueueStats,
    duration_stats,
    recent_durations,
)

RECENT_ERRORS = 20


class HealthCheck(Struct):
    name: str
    ok: bool
    value: float | None
    threshold: float
    detail: str


class Health(Struct):
    status: str
    database: str
    checks: list[HealthCheck]
    checked_at: datetime


class Performance(Struct):
    overall: DurationStats
    by_kind: dict[str, DurationStats]
    by_queue: dict[str, DurationStats]
    completed_last_hour: int
    throughput_per_minute: float
    worker_slots: int
    running: int


class RecentError(Struct):
    job_id: str
    kind: str
    status: str
    code: str
    message: str
    at: datetime


class ErrorReport(Struct):
    window_hours: int
    total: int
    by_code: dict[str, int]
    recent: list[RecentError]


class HourStats(Struct):
    hour: datetime
    created: int
    completed: int
    dead: int
    cancelled: int
    average_duration_s: float | None


def health_status(checks: list[HealthCheck], database_ok: bool) -> str:
    breached = sum(not check.ok for check in checks)
    if not database_ok or breached >= 2:
        return "unhealthy"
    return "degraded" if breached else "healthy"


async def health(db: Database, limits: MonitorSettings) -> Health:
    if not await db.ping():
        return Health(status="unhealthy", database="unreachable", checks=[], checked_at=utcnow())
    since = utcnow() - timedelta(hours=1)
    async with db.read() as session:
        # From the queue's counters: a few rows however many jobs.
        depth: defaultdict[str, int] = defaultdict(int)
        dlq = 0
        for count in await counts.job_counts(session):
            if counts.is_letters(count):
                dlq += count.n
            elif count.status in WAITING:
                depth[count.queue_id] += count.n
        names = dict(
            (await session.execute(select(ExtractionQueue.id, ExtractionQueue.name))).all()
        )
        ended = dict(
            (
                await session.execute(
                    select(Job.status, func.count())
                    .where(Job.completed_at >= since, Job.status.in_(OUTCOMES))
                    .group_by(Job.status)
                )
            ).all()
        )
        average = await _average_duration(session, since)
    depths = [(names[queue], n) for queue, n in depth.items() if queue in names]
    completed, dead = ended.get(JobStatus.COMPLETED, 0), ended.get(JobStatus.DEAD, 0)
    return _health(limits, depths, dlq, completed, dead, average)


async def health_of(
    db: Database, limits: MonitorSettings, overall: GlobalStats, queues: list[QueueStats]
) -> Health:
    """:func:`health` from the figures of :func:`graphq.services.stats.overview`, which the
    dashboard reads anyway (their reads showed the database reachable): only the last hour's
    average duration is read here."""
    async with db.read() as session:
        average = await _average_duration(session, utcnow() - timedelta(hours=1))
    return _health(
        limits,
        [(queue.name, queue.waiting) for queue in queues],
        overall.dlq_size,
        overall.completed_last_hour,
        overall.dead_last_hour,
        average,
    )


async def _average_duration(session: AsyncSession, since: datetime) -> float | None:
    average = (
        await session.execute(
            select(func.avg(Job.actual_duration)).where(
                Job.status == JobStatus.COMPLETED, Job.completed_at >= since
            )
        )
    ).scalar_one()
    return float(average) if average is not None else None


def _health(
    limits: MonitorSettings,
    depths: list[tuple[str, int]],
    dlq: int,
    completed: int,
    dead: int,
    average: float | None,
) -> Health:
    """The checks of the measures: ``depths`` is each queue's name and waiting jobs."""
    busy = [(name, n) for name, n in depths if n]
    deepest_name, deepest = max(busy, key=lambda row: row[1], default=(None, 0))
    rate = completed / (completed + dead) if completed + dead else None
    checks = [
        HealthCheck(
            name="queueDepth",
            ok=deepest <= limits.max_queue_depth,
            value=float(deepest),
            threshold=float(limits.max_queue_depth),
            detail=(
                f"deepest queue {deepest_name!r} has {deepest} waiting jobs"
                if deepest_name
                else "no job is waiting"
            ),
        ),
        HealthCheck(
            name="dlqSize",
            ok=dlq <= limits.max_dlq_size,
            value=float(dlq),
            threshold=float(limits.max_dlq_size),
            detail=f"{dlq} dead letters await reprocessing",
        ),
        HealthCheck(
            name="successRate",
            ok=rate is None or rate >= limits.min_success_rate,
            value=round(rate, 4) if rate is not None else None,
            threshold=limits.min_success_rate,
            detail=f"{completed} completed and {dead} dead in the last hour",
        ),
        HealthCheck(
            name="averageDuration",
            ok=average is None or average <= limits.max_avg_duration_s,
            value=round(average, 3) if average is not None else None,
            threshold=limits.max_avg_duration_s,
            detail="average seconds of the jobs completed in the last hour",
        ),
    ]
    return Health(
        status=health_status(checks, True), database="ok", checks=checks, checked_at=utcnow()
    )


async def performance(db: Database, front: QueueFront) -> Performance:
    since = utcnow() - timedelta(hours=1)
    async with db.read() as session:
        overall = duration_stats(await recent_durations(session, true()))
        # The kinds this server runs that have completed jobs: a DISTINCT over the job table
        # would read all of it.
        by_kind = {
            kind: duration_stats(durations)
            for kind in front.registry.kinds()
            if (durations := await recent_durations(session, Job.kind == kind))
        }
        queues = (await session.execute(select(ExtractionQueue.id, ExtractionQueue.name))).all()
        by_queue = {
            name: duration_stats(await recent_durations(session, Job.queue_id == queue_id))
            for queue_id, name in queues
        }
        completed = (
            await session.execute(
                select(func.count(Job.id)).where(
                    Job.status == JobStatus.COMPLETED, Job.completed_at >= since
                )
            )
        ).scalar_one()
        running = (
            await session.execute(
                select(func.count(Job.id)).where(Job.status == JobStatus.PROCESSING)
            )
        ).scalar_one()
    return Performance(
        overall=overall,
        by_kind=by_kind,
        by_queue=by_queue,
        completed_last_hour=int(completed),
        throughput_per_minute=round(completed / 60, 3),
        worker_slots=front.slots,
        running=int(running),
    )


async def errors(db: Database, window_hours: int = 24) -> ErrorReport:
    """Jobs whose latest attempt failed, changed within the window, grouped by error code."""
    since = utcnow() - timedelta(hours=window_hours)
    failing = (Job.error_code.is_not(None), Job.updated_at >= since)
    async with db.read() as session:
        by_code = dict(
            (
                await session.execute(
                    select(Job.error_code, func.count(Job.id))
                    .where(*failing)
                    .group_by(Job.error_code)
                    .order_by(func.count(Job.id).desc())
                )
            ).all()
        )
        rows = await session.execute(
            select(Job).where(*failing).order_by(Job.updated_at.desc()).limit(RECENT_ERRORS)
        )
        recent = [
            RecentError(
                job_id=job.id,
                kind=job.kind,
                status=job.status,
                code=job.error_code or "",
                message=job.error_message or "",
                at=job.updated_at,
            )
            for job in rows.scalars()
        ]
    return ErrorReport(
        window_hours=window_hours,
        total=sum(by_code.values()),
        by_code={str(code): int(count) for code, count in by_code.items()},
        recent=recent,
    )


async def dead_letter_summary(
    db: Database, limit: int = RECENT_ERRORS
) -> tuple[int, dict[str, int], datetime | None, list[DeadLetter]]:
    """Size, counts per error code, the oldest entry's time and the newest entries."""
    waiting = DeadLetter.reprocessed_at.is_(None)
    async with db.read() as session:
        by_code = dict(
            (
                await session.execute(
                    select(DeadLetter.error_code, func.count(DeadLetter.id))
                    .where(waiting)
                    .group_by(DeadLetter.error_code)
                )
            ).all()
        )
        oldest = (
            await session.execute(select(func.min(DeadLetter.created_at)).where(waiting))
        ).scalar_one()
        rows = await session.execute(
            select(DeadLetter).where(waiting).order_by(DeadLetter.created_at.desc()).limit(limit)
        )
        letters = list(rows.scalars())
    return sum(by_code.values()), {str(k): int(v) for k, v in by_code.items()}, oldest, letters


async def jobs_needing_review(db: Database) -> int:
    """Completed jobs whose result a person should look at (``GET /api/jobs?needsReview=true``
    lists them)."""
    async with db.read() as session:
        count = await session.execute(select(func.count()).where(Job.needs_review.is_(True)))
        return int(count.scalar_one())


async def recent_jobs(db: Database, limit: int) -> list[Job]:
    """The ``limit`` jobs changed last, newest first.

    ``ix_jobs_updated`` leaves out running jobs and those still queued as inserted (migration
    0012). The running are few (one per worker slot), sorted as read; the queued as inserted
    have ``updated_at = created_at``, so their newest come from the status index. The three
    sets part the table, so the newest of their newest are the answer the whole index gave;
    one statement reads all three in one snapshot, so a job claimed or ended meanwhile is
    listed once, neither twice nor never.
    """
    parts = [
        select(Job).where(JOB_AT_REST_CHANGED).order_by(Job.updated_at.desc()),
        select(Job).where(Job.status == JobStatus.PROCESSING).order_by(Job.updated_at.desc()),
        select(Job)
        .where(Job.status == JobStatus.QUEUED, Job.updated_at == Job.created_at)
        .order_by(Job.created_at.desc()),
    ]
    # Each part's LIMIT in a subquery of its own: SQLite takes none on a compound's member.
    newest = union_all(*(select(part.limit(limit).subquery()) for part in parts)).subquery()
    latest = aliased(Job, newest)
    async with db.read() as session:
        rows = await session.execute(select(latest).order_by(latest.updated_at.desc()).limit(limit))
        return list(rows.scalars())


def _hour(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _hour_of(column: Any, is_sqlite: bool) -> ColumnElement[str]:
    """The clock hour (UTC) of a timestamp column as ``YYYY-MM-DD HH``, computed in SQL.

    SQLite keeps timestamps as ISO text in UTC, so the hour is the first 13 characters.
    """
    if is_sqlite:
        return func.substr(column, 1, 13)
    return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD HH24")


async def hourly_stats(db: Database, hours: int = 24) -> list[HourStats]:
    """One bucket per clock hour, oldest first, the current hour last; empty hours are zeros.

    Grouped by the database over the window's range of ``ix_jobs_created`` and
    ``ix_jobs_completed``; no job row comes into Python.
    """
    current = _hour(utcnow())
    first = current - timedelta(hours=hours - 1)
    created_hour = _hour_of(Job.created_at, db.is_sqlite).label("hour")
    ended_hour = _hour_of(Job.completed_at, db.is_sqlite).label("hour")
    async with db.read() as session:
        created = await session.execute(
            select(created_hour, func.count()).where(Job.created_at >= first).group_by("hour")
        )
        ended = await session.execute(
            select(ended_hour, Job.status, func.count(), func.avg(Job.actual_duration))
            .where(Job.completed_at >= first, Job.status.in_((*OUTCOMES, JobStatus.CANCELLED)))
            .group_by("hour", Job.status)
        )
        buckets = {
            first + timedelta(hours=i): dict.fromkeys(_BUCKET_FIELDS, 0) for i in range(hours)
        }
        averages: dict[datetime, float | None] = {}
        for key, n in created:
            if (bucket := buckets.get(_parse_hour(key))) is not None:
                bucket["created"] = int(n)
        for key, status, n, average in ended:
            hour = _parse_hour(key)
            if (bucket := buckets.get(hour)) is not None:
                bucket[status] = int(n)
                if status == JobStatus.COMPLETED and average is not None:
                    averages[hour] = round(float(average), 3)
    return [
        HourStats(hour=hour, **counts, average_duration_s=averages.get(hour))
        for hour, counts in buckets.items()
    ]


_BUCKET_FIELDS = ("created", "completed", "dead", "cancelled")


def _parse_hour(key: str) -> datetime:
    return datetime.strptime(key, "%Y-%m-%d %H").replace(tzinfo=UTC)
