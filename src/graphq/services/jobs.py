"""Jobs: creating, finding, cancelling, re-prioritising and retrying them.

A job is committed to the database before the engine hears of it, so an accepted job
survives any crash; the engine's index is rebuilt from the table at start.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from graphq.db.models import GraphImage, Job, Product
from graphq.errors import GraphqError
from graphq.runtime import Runtime
from graphq.services.queues import resolve_queue

FINISHED = ("completed", "cancelled", "dead", "failed")
RETRYABLE_STATES = ("dead", "cancelled", "failed")


@dataclass
class JobRequest:
    product_id: str
    kind: str = "digitize"
    image_id: str | None = None
    queue_id: str | None = None
    priority: str = "normal"
    extraction_method: str = "standard"
    parameters: dict[str, Any] = field(default_factory=dict)


async def _validate_target(rt: Runtime, request: JobRequest) -> None:
    if request.kind not in rt.registry:
        raise GraphqError("INVALID_PARAMETERS", f"unknown job kind {request.kind!r}", status=422)
    if request.kind == "digitize" and request.image_id is None:
        raise GraphqError("INVALID_PARAMETERS", "a digitize job needs an imageId", status=422)
    async with rt.db.read() as session:
        if await session.get(Product, request.product_id) is None:
            raise GraphqError("NOT_FOUND", f"no product {request.product_id}", status=404)
        if request.image_id is not None:
            image = await session.get(GraphImage, request.image_id)
            if image is None or image.product_id != request.product_id:
                raise GraphqError(
                    "NOT_FOUND",
                    f"no image {request.image_id} in product {request.product_id}",
                    status=404,
                )


async def _average_duration_s(rt: Runtime, kind: str) -> float | None:
    async with rt.db.read() as session:
        recent = (
            select(Job.actual_duration)
            .where(Job.kind == kind, Job.status == "completed", Job.actual_duration.is_not(None))
            .order_by(Job.completed_at.desc())
            .limit(50)
            .subquery()
        )
        average = (await session.execute(select(func.avg(recent.c.actual_duration)))).scalar_one()
    return float(average) if average is not None else None


async def create_jobs(
    rt: Runtime, requests: list[JobRequest], *, batch_id: str | None = None
) -> list[Job]:
    """Validate every request first, then commit all jobs in one transaction (all or none)."""
    queues = {}
    for request in requests:
        await _validate_target(rt, request)
        queue = await resolve_queue(rt, request.queue_id)
        queues[queue.id] = queue
        request.queue_id = queue.id
    estimates = {kind: await _average_duration_s(rt, kind) for kind in {r.kind for r in requests}}
    base_ns = time.time_ns()
    jobs = []
    for offset, request in enumerate(requests):
        queue = queues[request.queue_id]  # type: ignore[index]
        jobs.append(
            Job(
                product_id=request.product_id,
                image_id=request.image_id,
                queue_id=queue.id,
                batch_id=batch_id,
                kind=request.kind,
                status="queued",
                priority=request.priority,
                enqueued_ns=base_ns + offset,
                max_attempts=int(
                    (queue.settings or {}).get("maxAttempts", rt.settings.queue.max_attempts)
                ),
                extraction_method=request.extraction_method,
                parameters=request.parameters,
                estimated_duration=estimates[request.kind],
                current_step="queued",
            )
        )
    async with rt.db.write() as session:
        session.add_all(jobs)
    for job in jobs:
        rt.engine.enqueued(job.id, job.queue_id, job.priority, job.enqueued_ns)
    return jobs


async def get_job(rt: Runtime, job_id: str) -> Job:
    async with rt.db.read() as session:
        job = await session.get(Job, job_id)
    if job is None:
        raise GraphqError("NOT_FOUND", f"no job {job_id}", status=404)
    return job


def estimated_wait_s(rt: Runtime, job: Job) -> tuple[int | None, float | None]:
    """Place in line and a rough wait: jobs ahead × average duration ÷ parallel slots."""
    position = rt.engine.position(job.id)
    if position is None or job.estimated_duration is None:
        return position, None
    state = rt.engine.queues.get(job.queue_id)
    parallel = max(min(state.max_concurrent if state else 1, rt.settings.queue.worker_slots), 1)
    return position, round((position / parallel + 1) * job.estimated_duration, 2)


@dataclass
class JobFilter:
    status: str | None = None
    queue_id: str | None = None
    product_id: str | None = None
    batch_id: str | None = None
    kind: str | None = None


async def list_jobs(
    rt: Runtime, filters: JobFilter, *, limit: int, offset: int
) -> tuple[list[Job], int]:
    query = select(Job)
    for column, value in (
        (Job.status, filters.status),
        (Job.queue_id, filters.queue_id),
        (Job.product_id, filters.product_id),
        (Job.batch_id, filters.batch_id),
        (Job.kind, filters.kind),
    ):
        if value is not None:
            query = query.where(column == value)
    async with rt.db.read() as session:
        total = (
            await session.execute(select(func.count()).select_from(query.subquery()))
        ).scalar_one()
        rows = await session.execute(
            query.order_by(Job.created_at.desc(), Job.enqueued_ns.desc())
            .limit(limit)
            .offset(offset)
        )
        return list(rows.scalars()), int(total)


async def cancel_job(rt: Runtime, job_id: str) -> Job:
    job = await get_job(rt, job_id)
    if job.status in FINISHED:
        raise GraphqError("JOB_FINISHED", f"job is already {job.status}", status=409)
    await rt.engine.cancel(job_id)
    return await get_job(rt, job_id)


async def cancel_product_jobs(rt: Runtime, product_id: str) -> None:
    async with rt.db.read() as session:
        ids = (
            await session.execute(
                select(Job.id).where(Job.product_id == product_id, Job.status.not_in(FINISHED))
            )
        ).scalars()
        job_ids = list(ids)
    for job_id in job_ids:
        await rt.engine.cancel(job_id)


async def set_priority(rt: Runtime, job_id: str, priority: str) -> Job:
    async with rt.db.write() as session:
        job = await session.get(Job, job_id)
        if job is None:
            raise GraphqError("NOT_FOUND", f"no job {job_id}", status=404)
        if job.status not in ("queued", "pending"):
            raise GraphqError(
                "JOB_NOT_WAITING",
                f"only a waiting job can be re-prioritised; it is {job.status}",
                status=409,
            )
        job.priority = priority
    rt.engine.reprioritized(job.id, priority, job.enqueued_ns)
    return job


async def requeue(rt: Runtime, job_ids: list[str], *, priority: str | None = None) -> list[Job]:
    """Put finished-but-unsuccessful jobs back in line with a fresh attempt budget."""
    requeued = []
    async with rt.db.write() as session:
        for job_id in job_ids:
            job = await session.get(Job, job_id)
            if job is None or job.status not in RETRYABLE_STATES:
                continue
            job.status = "queued"
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
    for job in requeued:
        rt.engine.enqueued(job.id, job.queue_id, job.priority, job.enqueued_ns)
    return requeued


async def retry_job(rt: Runtime, job_id: str) -> Job:
    job = await get_job(rt, job_id)
    if job.status not in RETRYABLE_STATES:
        raise GraphqError(
            "JOB_NOT_RETRYABLE",
            f"only a dead, failed or cancelled job can be retried; it is {job.status}",
            status=409,
        )
    await requeue(rt, [job_id])
    return await get_job(rt, job_id)
