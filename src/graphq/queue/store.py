"""Job state transitions in the database, the queue's source of truth.

Each transition is one conditional UPDATE (``WHERE status = … AND lease_owner = …``), so a
transition that lost a race changes nothing and the caller learns it from the row count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from graphq.db.database import Database
from graphq.db.models import DeadLetter, Job, utcnow
from graphq.queue.registry import JobSnapshot

WAITING = ("queued", "pending")


@dataclass(frozen=True, slots=True)
class ReadyJob:
    """What the in-memory heap needs to know of a job that waits to run."""

    id: str
    queue_id: str
    priority: str
    enqueued_ns: int
    not_before: datetime | None


def _snapshot(job: Job) -> JobSnapshot:
    return JobSnapshot(
        id=job.id,
        kind=job.kind,
        queue_id=job.queue_id,
        product_id=job.product_id,
        image_id=job.image_id,
        priority=job.priority,
        attempts=job.attempts,
        max_attempts=job.max_attempts,
        extraction_method=job.extraction_method,
        parameters=dict(job.parameters or {}),
    )


def _rowcount(result: Any) -> int:
    assert isinstance(result, CursorResult)
    return result.rowcount


async def load_waiting(db: Database) -> list[ReadyJob]:
    async with db.read() as session:
        rows = await session.execute(
            select(Job.id, Job.queue_id, Job.priority, Job.enqueued_ns, Job.next_attempt_at).where(
                Job.status.in_(WAITING)
            )
        )
        return [ReadyJob(*row) for row in rows]


async def claim(db: Database, job_id: str, owner: str, lease_s: float) -> JobSnapshot | None:
    """Move a waiting job to ``processing`` under our lease; None if it is no longer waiting."""
    now = utcnow()
    async with db.write() as session:
        result = await session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status.in_(WAITING))
            .values(
                status="processing",
                attempts=Job.attempts + 1,
                lease_owner=owner,
                lease_expires_at=now + timedelta(seconds=lease_s),
                started_at=now,
                completed_at=None,
                next_attempt_at=None,
                progress=0.0,
                current_step="starting",
            )
        )
        if _rowcount(result) == 0:
            return None
        job = await session.get(Job, job_id)
        assert job is not None
        return _snapshot(job)


async def renew_leases(db: Database, owner: str, job_ids: list[str], lease_s: float) -> None:
    if not job_ids:
        return
    async with db.write() as session:
        await session.execute(
            update(Job)
            .where(Job.id.in_(job_ids), Job.lease_owner == owner, Job.status == "processing")
            .values(lease_expires_at=utcnow() + timedelta(seconds=lease_s))
        )


async def record_progress(
    db: Database, job_id: str, owner: str, progress: float, step: str
) -> None:
    async with db.write() as session:
        await session.execute(
            update(Job)
            .where(Job.id == job_id, Job.lease_owner == owner, Job.status == "processing")
            .values(progress=progress, current_step=step)
        )


async def mark_completed(session: AsyncSession, job_id: str, owner: str) -> bool:
    """Inside the caller's transaction, so the result rows and the completion commit together."""
    job = await session.get(Job, job_id)
    if job is None or job.status != "processing" or job.lease_owner != owner:
        return False
    now = utcnow()
    job.status = "completed"
    job.progress = 100.0
    job.current_step = "completed"
    job.completed_at = now
    job.actual_duration = (now - job.started_at).total_seconds() if job.started_at else None
    job.lease_owner = None
    job.lease_expires_at = None
    job.error_code = None
    job.error_message = None
    return True


async def schedule_retry(
    db: Database, job_id: str, owner: str, error: tuple[str, str], delay_s: float, enqueued_ns: int
) -> datetime | None:
    code, message = error
    not_before = utcnow() + timedelta(seconds=delay_s)
    async with db.write() as session:
        result = await session.execute(
            update(Job)
            .where(Job.id == job_id, Job.lease_owner == owner, Job.status == "processing")
            .values(
                status="pending",
                error_code=code,
                error_message=message,
                next_attempt_at=not_before,
                enqueued_ns=enqueued_ns,
                lease_owner=None,
                lease_expires_at=None,
                current_step=f"retry after {code}",
            )
        )
        return not_before if _rowcount(result) else None


async def dead_letter(
    db: Database, job_id: str, owner: str | None, code: str, message: str
) -> bool:
    """Move a job to the DLQ; ``owner`` None means the job is not running (recovery)."""
    async with db.write() as session:
        job = await session.get(Job, job_id)
        if job is None or (owner is not None and job.lease_owner != owner):
            return False
        job.status = "dead"
        job.error_code = code
        job.error_message = message
        job.completed_at = utcnow()
        job.lease_owner = None
        job.lease_expires_at = None
        job.current_step = f"dead-lettered: {code}"
        session.add(
            DeadLetter(
                job_id=job.id,
                error_code=code,
                error_message=message,
                attempts=job.attempts,
                payload={
                    "kind": job.kind,
                    "productId": job.product_id,
                    "imageId": job.image_id,
                    "queueId": job.queue_id,
                    "priority": job.priority,
                    "extractionMethod": job.extraction_method,
                    "parameters": job.parameters,
                },
            )
        )
        return True


async def mark_cancelled(db: Database, job_id: str) -> bool:
    """Cancel a job that has not finished; True if this call changed it."""
    async with db.write() as session:
        result = await session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status.in_((*WAITING, "processing")))
            .values(
                status="cancelled",
                completed_at=utcnow(),
                lease_owner=None,
                lease_expires_at=None,
                error_code="CANCELLED",
                error_message="cancelled by request",
                current_step="cancelled",
            )
        )
        return _rowcount(result) > 0


async def release(db: Database, job_ids: list[str], owner: str) -> None:
    """Hand running jobs back to the queue at shutdown; the interrupted attempt doesn't count."""
    if not job_ids:
        return
    async with db.write() as session:
        await session.execute(
            update(Job)
            .where(Job.id.in_(job_ids), Job.lease_owner == owner, Job.status == "processing")
            .values(
                status="queued",
                attempts=Job.attempts - 1,
                lease_owner=None,
                lease_expires_at=None,
                progress=0.0,
                current_step="released at shutdown",
            )
        )


async def expired_leases(db: Database) -> list[tuple[str, int, int]]:
    """Jobs left ``processing`` by a server that died: (id, attempts, max_attempts)."""
    async with db.read() as session:
        rows = await session.execute(
            select(Job.id, Job.attempts, Job.max_attempts).where(
                Job.status == "processing", Job.lease_expires_at < utcnow()
            )
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def requeue_expired(db: Database, job_id: str) -> ReadyJob | None:
    async with db.write() as session:
        result = await session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "processing", Job.lease_expires_at < utcnow())
            .values(
                status="queued",
                lease_owner=None,
                lease_expires_at=None,
                progress=0.0,
                current_step="recovered after lease expiry",
            )
        )
        if _rowcount(result) == 0:
            return None
        job = await session.get(Job, job_id)
        assert job is not None
        return ReadyJob(job.id, job.queue_id, job.priority, job.enqueued_ns, None)
