"""Job state transitions in the database, the queue's source of truth.

Each transition is one conditional UPDATE (``WHERE status = … AND lease_owner = …``), so a
transition that lost a race changes nothing and the caller learns it from the row count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update
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


_SNAPSHOT_COLUMNS = (
    Job.id,
    Job.kind,
    Job.queue_id,
    Job.product_id,
    Job.image_id,
    Job.priority,
    Job.attempts,
    Job.max_attempts,
    Job.extraction_method,
    Job.parameters,
)


async def claim(
    db: Database, job_ids: list[str], owner: str, lease_s: float
) -> tuple[datetime, dict[str, JobSnapshot]]:
    """Move waiting jobs to ``processing`` under our lease in one statement.

    Returns the claim time and the jobs claimed; a job missing from the answer was no longer
    waiting (cancelled, say).
    """
    now = utcnow()
    async with db.write() as session:
        rows = await session.execute(
            update(Job)
            .where(Job.id.in_(job_ids), Job.status.in_(WAITING))
            .values(
                status="processing",
                attempts=Job.attempts + 1,
                lease_owner=owner,
                lease_expires_at=now + timedelta(seconds=lease_s),
                started_at=now,
                completed_at=None,
                next_attempt_at=None,
                progress=0.0,
                current_step="preparing",
            )
            .returning(*_SNAPSHOT_COLUMNS),
            execution_options={"synchronize_session": False},
        )
        claimed = [JobSnapshot(*row[:-1], parameters=dict(row[-1] or {})) for row in rows]
    return now, {job.id: job for job in claimed}


async def renew_leases(db: Database, owner: str, job_ids: list[str], lease_s: float) -> None:
    if not job_ids:
        return
    async with db.write() as session:
        await session.execute(
            update(Job)
            .where(Job.id.in_(job_ids), Job.lease_owner == owner, Job.status == "processing")
            .values(lease_expires_at=utcnow() + timedelta(seconds=lease_s))
        )


async def record_progress(db: Database, owner: str, updates: list[tuple[str, float, str]]) -> None:
    """Write the latest (job id, progress, step) of several running jobs in one transaction."""
    if not updates:
        return
    jobs = Job.__table__
    statement = (
        update(jobs)
        .where(
            jobs.c.id == bindparam("job_id"),
            jobs.c.lease_owner == owner,
            jobs.c.status == "processing",
        )
        .values(progress=bindparam("new_progress"), current_step=bindparam("new_step"))
    )
    async with db.write() as session:
        await session.execute(
            statement,
            [{"job_id": j, "new_progress": p, "new_step": s} for j, p, s in updates],
        )


async def mark_completed(
    session: AsyncSession, job_id: str, owner: str, started_at: datetime | None
) -> bool:
    """Inside the caller's transaction, so the result rows and the completion commit together.

    False when the job is no longer ours (its lease expired and another run took it over).
    """
    now = utcnow()
    result = await session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "processing", Job.lease_owner == owner)
        .values(
            status="completed",
            progress=100.0,
            current_step="completed",
            completed_at=now,
            actual_duration=(now - started_at).total_seconds() if started_at else None,
            lease_owner=None,
            lease_expires_at=None,
            error_code=None,
            error_message=None,
        ),
        execution_options={"synchronize_session": False},
    )
    return _rowcount(result) == 1


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
    """Move a job to the DLQ; ``owner`` None means its lease expired (crash recovery)."""
    now = utcnow()
    still_ours = Job.lease_owner == owner if owner is not None else Job.lease_expires_at < now
    async with db.write() as session:
        rows = await session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "processing", still_ours)
            .values(
                status="dead",
                error_code=code,
                error_message=message,
                completed_at=now,
                lease_owner=None,
                lease_expires_at=None,
                current_step=f"dead-lettered: {code}",
            )
            .returning(
                Job.attempts,
                Job.kind,
                Job.product_id,
                Job.image_id,
                Job.queue_id,
                Job.priority,
                Job.extraction_method,
                Job.parameters,
            ),
            execution_options={"synchronize_session": False},
        )
        row = rows.first()
        if row is None:
            return False
        attempts, kind, product_id, image_id, queue_id, priority, method, parameters = row
        session.add(
            DeadLetter(
                job_id=job_id,
                error_code=code,
                error_message=message,
                attempts=attempts,
                payload={
                    "kind": kind,
                    "productId": product_id,
                    "imageId": image_id,
                    "queueId": queue_id,
                    "priority": priority,
                    "extractionMethod": method,
                    "parameters": parameters,
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
