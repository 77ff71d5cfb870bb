"""Jobs: creating, finding, cancelling, re-prioritising and retrying them.

A job is committed to the database before the engine hears of it, so an accepted job
survives any crash; the engine's index is rebuilt from the table at start.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from graphq.db.database import Database
from graphq.db.models import DeadLetter, ExtractionQueue, GraphImage, Job, Product, utcnow
from graphq.errors import GraphqError
from graphq.queue import new_rows
from graphq.queue.front import QueueFront
from graphq.queue.registry import HandlerRegistry
from graphq.queue.vocabulary import FINISHED, RETRYABLE, WAITING, JobStatus, Priority
from graphq.services.lookup import fetch_now
from graphq.services.pages import Keyset
from graphq.services.queues import DEFAULT_QUEUE, ensure_default_queue


@dataclass
class JobRequest:
    product_id: str
    kind: str = "digitize"
    image_id: str | None = None
    queue_id: str | None = None
    priority: Priority = Priority.NORMAL
    extraction_method: str = "standard"
    parameters: dict[str, Any] = field(default_factory=dict)
    datasheet_id: str | None = None


# Adds rows the new jobs refer to (a datasheet) inside the transaction that inserts them.
AddAlongside = Callable[[AsyncSession], Awaitable[None]]


def _check_request(registry: HandlerRegistry, request: JobRequest) -> None:
    if request.kind not in registry:
        raise GraphqError("INVALID_PARAMETERS", f"unknown job kind {request.kind!r}")
    if request.kind == "digitize" and request.image_id is None:
        raise GraphqError("INVALID_PARAMETERS", "a digitize job needs an imageId")
    if request.kind == "datasheet" and request.datasheet_id is None:
        raise GraphqError(
            "INVALID_PARAMETERS",
            "a datasheet job reads an uploaded datasheet; upload it to "
            "POST /api/product/{id}/datasheets",
        )
    registry.check_parameters(request.kind, request.parameters)


PRODUCTS = cast(Table, Product.__table__)
IMAGES = cast(Table, GraphImage.__table__)
QUEUES = cast(Table, ExtractionQueue.__table__)
JOBS = cast(Table, Job.__table__)

# Built once: creating a job runs these on every request.
_PRODUCT_ID = select(PRODUCTS.c.id).where(PRODUCTS.c.id == bindparam("product_id"))
_IMAGE_PRODUCT = select(IMAGES.c.product_id).where(IMAGES.c.id == bindparam("image_id"))
_QUEUE = select(QUEUES.c.id, QUEUES.c.name, QUEUES.c.status, QUEUES.c.settings)
_QUEUE_BY_ID = _QUEUE.where(QUEUES.c.id == bindparam("queue_id"))
_QUEUE_BY_NAME = _QUEUE.where(QUEUES.c.name == bindparam("name"))
_RECENT_DURATIONS = (
    select(JOBS.c.actual_duration)
    .where(
        JOBS.c.kind == bindparam("kind"),
        JOBS.c.status == JobStatus.COMPLETED,
        JOBS.c.actual_duration.is_not(None),
        # Every completed job has its end time; naming it lets the read use
        # ix_jobs_kind_completed, which holds only jobs that ended (migration 0011).
        JOBS.c.completed_at.is_not(None),
    )
    .order_by(JOBS.c.completed_at.desc())
    .limit(50)
    .subquery()
)
_AVERAGE_DURATION = select(func.avg(_RECENT_DURATIONS.c.actual_duration))


async def _check_target(session: AsyncSession, request: JobRequest) -> None:
    found = await session.execute(_PRODUCT_ID, {"product_id": request.product_id})
    if found.first() is None:
        raise GraphqError("NOT_FOUND", f"no product {request.product_id}")
    if request.image_id is not None:
        owner = (await session.execute(_IMAGE_PRODUCT, {"image_id": request.image_id})).first()
        if owner is None or owner.product_id != request.product_id:
            raise GraphqError(
                "NOT_FOUND",
                f"no image {request.image_id} in product {request.product_id}",
            )


async def _admit(registry: HandlerRegistry, session: AsyncSession, request: JobRequest) -> None:
    """The kind's own check (its handler's optional ``admit``) that the job can succeed at
    all: a fit of a product with no graphs is refused now, not dead-lettered later."""
    admit = getattr(registry.get(request.kind), "admit", None)
    if admit is not None:
        await admit(session, request.product_id)


async def _queue_for(session: AsyncSession, queue_id: str | None) -> Row[Any, Any, Any, Any]:
    """The named queue, or ``default``; a stopped queue takes no new jobs."""
    if queue_id is None:
        found = await session.execute(_QUEUE_BY_NAME, {"name": DEFAULT_QUEUE})
    else:
        found = await session.execute(_QUEUE_BY_ID, {"queue_id": queue_id})
    queue = found.first()
    if queue is None:
        raise GraphqError("NOT_FOUND", f"no queue {queue_id}")
    if queue.status == "stopped":
        raise GraphqError("QUEUE_STOPPED", f"queue {queue.name!r} is stopped")
    return queue


async def average_duration_s(session: AsyncSession, kind: str) -> float | None:
    """Mean run time of the kind's last 50 completed jobs (index ``ix_jobs_kind_completed``)."""
    average = (await session.execute(_AVERAGE_DURATION, {"kind": kind})).scalar_one()
    return float(average) if average is not None else None


async def create_jobs(
    db: Database,
    front: QueueFront,
    requests: list[JobRequest],
    *,
    batch_id: str | None = None,
    alongside: AddAlongside | None = None,
) -> list[Job]:
    """Validate every request, then commit all jobs (all or none).

    The checks that need the database (product, image, queue, the wait estimate) run in the
    transaction that inserts the jobs, so creating a job is one write transaction in all, and
    N jobs one INSERT of N rows (no unit of work: the jobs handed back are the rows stored).
    ``alongside`` runs first in that transaction, so what it adds commits with the jobs or
    not at all.
    """
    for request in requests:
        _check_request(front.registry, request)
    if any(r.queue_id is None for r in requests) and not any(
        name == DEFAULT_QUEUE for name in front.queue_names().values()
    ):
        await ensure_default_queue(db, front)

    async def insert(session: AsyncSession) -> list[Job]:
        if alongside is not None:
            await alongside(session)
        queues: dict[str | None, Row[Any, Any, Any, Any]] = {}
        checked: set[tuple[str, str | None]] = set()
        admitted: set[tuple[str, str]] = set()
        for request in requests:
            if (request.product_id, request.image_id) not in checked:
                await _check_target(session, request)
                checked.add((request.product_id, request.image_id))
            if (request.kind, request.product_id) not in admitted:
                await _admit(front.registry, session, request)
                admitted.add((request.kind, request.product_id))
            if request.queue_id not in queues:
                queues[request.queue_id] = await _queue_for(session, request.queue_id)
        kinds = {r.kind for r in requests}
        estimates = {kind: await average_duration_s(session, kind) for kind in kinds}
        base_ns = time.time_ns()
        rows = []
        for offset, request in enumerate(requests):
            queue = queues[request.queue_id]
            max_attempts = int((queue.settings or {}).get("maxAttempts", front.max_attempts))
            rows.append(
                new_rows.job_row(
                    {
                        "product_id": request.product_id,
                        "image_id": request.image_id,
                        "datasheet_id": request.datasheet_id,
                        "queue_id": queue.id,
                        "batch_id": batch_id,
                        "kind": request.kind,
                        "status": JobStatus.QUEUED,
                        "priority": request.priority,
                        "enqueued_ns": base_ns + offset,
                        "max_attempts": max_attempts,
                        "extraction_method": request.extraction_method,
                        "parameters": request.parameters,
                        "estimated_duration": estimates[request.kind],
                        "current_step": "queued",
                    }
                )
            )
        await session.flush()  # what ``alongside`` added first: the jobs refer to it
        await session.run_sync(lambda sync: new_rows.insert_jobs(sync.connection(), rows))
        return [Job(**row) for row in rows]

    jobs = await db.transact_session(insert)
    for job in jobs:
        front.enqueue(job.id, job.queue_id, job.priority, job.enqueued_ns)
    return jobs


async def get_job(db: Database, job_id: str) -> Row[Any]:
    """The job's row as last committed: a poll's whole database work (:func:`fetch_now`)."""
    return await fetch_now(db, JOBS, job_id, "job")


def estimated_wait_s(front: QueueFront, job: Job) -> tuple[int | None, float | None]:
    """Place in line and a rough wait: jobs ahead × average duration ÷ parallel slots."""
    position = front.position(job.id)
    if position is None or job.estimated_duration is None:
        return position, None
    parallel = front.parallelism(job.queue_id)
    return position, round((position / parallel + 1) * job.estimated_duration, 2)


@dataclass
class JobFilter:
    status: JobStatus | None = None
    queue_id: str | None = None
    product_id: str | None = None
    batch_id: str | None = None
    kind: str | None = None
    needs_review: bool | None = None


# Newest first; the id breaks ties, so the order is total and a cursor names one place in it.
JOB_ORDER = Keyset((Job.created_at, Job.enqueued_ns, Job.id), (datetime, int, str), descending=True)


async def list_jobs(
    db: Database, filters: JobFilter, *, limit: int, offset: int = 0, cursor: str | None = None
) -> tuple[list[Job], int | None]:
    """A page of jobs, newest first, and how many match (``None`` on a page reached by
    ``cursor``: only the first page pays for the count).

    Each filter and the order have an index (``ix_jobs_created``, ``ix_jobs_status_created``,
    ``ix_jobs_queue_created``, the product's and the batch's), so a page by cursor costs the
    same at any depth.
    """
    query = select(Job)
    for column, value in (
        (Job.status, filters.status),
        (Job.queue_id, filters.queue_id),
        (Job.product_id, filters.product_id),
        (Job.batch_id, filters.batch_id),
        (Job.kind, filters.kind),
        (Job.needs_review, filters.needs_review),
    ):
        if value is not None:
            query = query.where(column == value)
    async with db.read() as session:
        total = None
        if cursor is None:
            counted = select(func.count()).select_from(query.with_only_columns(Job.id).subquery())
            total = int((await session.execute(counted)).scalar_one())
        else:
            query = query.where(JOB_ORDER.after(cursor))
        rows = await session.execute(
            query.order_by(*JOB_ORDER.order_by()).limit(limit).offset(offset)
        )
        return list(rows.scalars()), total


async def cancel_job(db: Database, front: QueueFront, job_id: str) -> Row[Any]:
    job = await get_job(db, job_id)
    if job.status in FINISHED:
        raise GraphqError("JOB_FINISHED", f"job is already {job.status}")
    await front.cancel(job_id)
    return await get_job(db, job_id)


async def cancel_product_jobs(db: Database, front: QueueFront, product_id: str) -> None:
    async with db.read() as session:
        ids = (
            await session.execute(
                select(Job.id).where(Job.product_id == product_id, Job.status.not_in(FINISHED))
            )
        ).scalars()
        job_ids = list(ids)
    for job_id in job_ids:
        await front.cancel(job_id)


async def set_priority(db: Database, front: QueueFront, job_id: str, priority: Priority) -> Job:
    async with db.write() as session:
        job = await session.get(Job, job_id)
        if job is None:
            raise GraphqError("NOT_FOUND", f"no job {job_id}")
        if job.status not in WAITING:
            raise GraphqError(
                "JOB_NOT_WAITING",
                f"only a waiting job can be re-prioritised; it is {job.status}",
            )
        job.priority = priority
    front.reprioritize(job.id, priority, job.enqueued_ns)
    return job


async def requeue(
    db: Database,
    front: QueueFront,
    job_ids: list[str],
    *,
    priority: Priority | None = None,
    notes: str,
) -> list[Job]:
    """Put finished-but-unsuccessful jobs back in line with a fresh attempt budget.

    Their dead letters are marked reprocessed (with ``notes``) in the same transaction: a
    job back in line is no longer the dead-letter queue's, however it got there.
    """
    requeued = []
    async with db.write() as session:
        for job_id in job_ids:
            job = await session.get(Job, job_id)
            if job is None or job.status not in RETRYABLE:
                continue
            job.status = JobStatus.QUEUED
            job.attempts = 0
            job.error_code = None
            job.error_message = None
            job.progress = 0.0
            job.current_step = "queued for retry"
            job.next_attempt_at = None
            job.completed_at = None
            job.enqueued_ns = time.time_ns()
            if priority is not None:
                job.priority = priority
            requeued.append(job)
        if requeued:
            await session.execute(
                update(DeadLetter)
                .where(
                    DeadLetter.job_id.in_([job.id for job in requeued]),
                    DeadLetter.reprocessed_at.is_(None),
                )
                .values(reprocessed_at=utcnow(), reprocess_notes=notes)
            )
    for job in requeued:
        front.enqueue(job.id, job.queue_id, job.priority, job.enqueued_ns)
    return requeued


async def retry_job(db: Database, front: QueueFront, job_id: str) -> Row[Any]:
    job = await get_job(db, job_id)
    if job.status not in RETRYABLE:
        raise GraphqError(
            "JOB_NOT_RETRYABLE",
            f"only a dead, failed or cancelled job can be retried; it is {job.status}",
        )
    await requeue(db, front, [job_id], notes="retried: POST /api/job/{id}/retry")
    return await get_job(db, job_id)
