"""Monitoring views over the job table: health, performance, errors, DLQ and hourly history.

Health compares four measures with the ``[monitor]`` thresholds: the deepest queue's waiting
jobs (``max_queue_depth``), the unprocessed dead letters (``max_dlq_size``), and, over jobs
that ended in the last hour, the success rate (``min_success_rate``) and the average duration
(``max_avg_duration_s``). No breached check is ``healthy``, one is ``degraded``, two or more —
or an unreachable database — is ``unhealthy``. A measure with nothing to measure (no job ended
in the last hour) passes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, or_, select, true

from graphq.db.models import DeadLetter, ExtractionQueue, Job, utcnow
from graphq.runtime import Runtime
from graphq.schema_base import Struct
from graphq.services.stats import WAITING, DurationStats, duration_stats, recent_durations

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


async def health(rt: Runtime) -> Health:
    if not await rt.db.ping():
        return Health(status="unhealthy", database="unreachable", checks=[], checked_at=utcnow())
    limits = rt.settings.monitor
    since = utcnow() - timedelta(hours=1)
    async with rt.db.read() as session:
        depths = await session.execute(
            select(ExtractionQueue.name, func.count(Job.id))
            .join(Job, Job.queue_id == ExtractionQueue.id)
            .where(Job.status.in_(WAITING))
            .group_by(ExtractionQueue.name)
        )
        deepest_name, deepest = max(depths, key=lambda row: row[1], default=(None, 0))
        dlq = (
            await session.execute(
                select(func.count(DeadLetter.id)).where(DeadLetter.reprocessed_at.is_(None))
            )
        ).scalar_one()
        ended = dict(
            (
                await session.execute(
                    select(Job.status, func.count())
                    .where(Job.completed_at >= since, Job.status.in_(("completed", "dead")))
                    .group_by(Job.status)
                )
            ).all()
        )
        average = (
            await session.execute(
                select(func.avg(Job.actual_duration)).where(
                    Job.status == "completed", Job.completed_at >= since
                )
            )
        ).scalar_one()
    completed, dead = ended.get("completed", 0), ended.get("dead", 0)
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
            value=round(float(average), 3) if average is not None else None,
            threshold=limits.max_avg_duration_s,
            detail="average seconds of the jobs completed in the last hour",
        ),
    ]
    return Health(
        status=health_status(checks, True), database="ok", checks=checks, checked_at=utcnow()
    )


async def performance(rt: Runtime) -> Performance:
    since = utcnow() - timedelta(hours=1)
    async with rt.db.read() as session:
        overall = duration_stats(await recent_durations(session, true()))
        kinds = (await session.execute(select(Job.kind).distinct().order_by(Job.kind))).scalars()
        by_kind = {
            kind: duration_stats(await recent_durations(session, Job.kind == kind))
            for kind in list(kinds)
        }
        queues = (await session.execute(select(ExtractionQueue.id, ExtractionQueue.name))).all()
        by_queue = {
            name: duration_stats(await recent_durations(session, Job.queue_id == queue_id))
            for queue_id, name in queues
        }
        completed = (
            await session.execute(
                select(func.count(Job.id)).where(
                    Job.status == "completed", Job.completed_at >= since
                )
            )
        ).scalar_one()
        running = (
            await session.execute(select(func.count(Job.id)).where(Job.status == "processing"))
        ).scalar_one()
    return Performance(
        overall=overall,
        by_kind=by_kind,
        by_queue=by_queue,
        completed_last_hour=int(completed),
        throughput_per_minute=round(completed / 60, 3),
        worker_slots=rt.settings.queue.worker_slots,
        running=int(running),
    )


async def errors(rt: Runtime, window_hours: int = 24) -> ErrorReport:
    """Jobs whose latest attempt failed, changed within the window, grouped by error code."""
    since = utcnow() - timedelta(hours=window_hours)
    failing = (Job.error_code.is_not(None), Job.updated_at >= since)
    async with rt.db.read() as session:
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
    rt: Runtime, limit: int = RECENT_ERRORS
) -> tuple[int, dict[str, int], datetime | None, list[DeadLetter]]:
    """Size, counts per error code, the oldest entry's time and the newest entries."""
    waiting = DeadLetter.reprocessed_at.is_(None)
    async with rt.db.read() as session:
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


async def jobs_needing_review(rt: Runtime) -> int:
    """Completed jobs whose result a person should look at (``GET /api/jobs?needsReview=true``
    lists them)."""
    async with rt.db.read() as session:
        count = await session.execute(select(func.count(Job.id)).where(Job.needs_review.is_(True)))
        return int(count.scalar_one())


async def recent_jobs(rt: Runtime, limit: int) -> list[Job]:
    async with rt.db.read() as session:
        rows = await session.execute(select(Job).order_by(Job.updated_at.desc()).limit(limit))
        return list(rows.scalars())


@dataclass
class _Bucket:
    created: int = 0
    completed: int = 0
    dead: int = 0
    cancelled: int = 0
    durations: list[float] = field(default_factory=list)

    def ended(self, status: str, duration: float | None) -> None:
        if status == "completed":
            self.completed += 1
            if duration is not None:
                self.durations.append(duration)
        elif status == "dead":
            self.dead += 1
        elif status == "cancelled":
            self.cancelled += 1


def _hour(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


async def hourly_stats(rt: Runtime, hours: int = 24) -> list[HourStats]:
    """One bucket per clock hour, oldest first, the current hour last; empty hours are zeros."""
    current = _hour(utcnow())
    first = current - timedelta(hours=hours - 1)
    async with rt.db.read() as session:
        rows = (
            await session.execute(
                select(Job.created_at, Job.completed_at, Job.status, Job.actual_duration).where(
                    or_(Job.created_at >= first, Job.completed_at >= first)
                )
            )
        ).all()
    buckets = {first + timedelta(hours=i): _Bucket() for i in range(hours)}
    for created_at, completed_at, status, duration in rows:
        if (bucket := buckets.get(_hour(created_at))) is not None:
            bucket.created += 1
        if completed_at is not None and (bucket := buckets.get(_hour(completed_at))) is not None:
            bucket.ended(status, duration)
    return [
        HourStats(
            hour=hour,
            created=bucket.created,
            completed=bucket.completed,
            dead=bucket.dead,
            cancelled=bucket.cancelled,
            average_duration_s=(
                round(sum(bucket.durations) / len(bucket.durations), 3)
                if bucket.durations
                else None
            ),
        )
        for hour, bucket in buckets.items()
    ]
