"""Batches: jobs created together; status and counts are derived from the jobs."""

from __future__ import annotations

from collections import Counter
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from graphq.db.database import Database
from graphq.db.models import Batch, Job, new_id
from graphq.errors import GraphqError
from graphq.queue.front import QueueFront
from graphq.queue.vocabulary import FINISHED, WAITING, JobStatus, Priority
from graphq.services.jobs import JobRequest, cancel_job, create_jobs, requeue
from graphq.services.queues import resolve_queue


class BatchStatus(StrEnum):
    """A batch's one word, derived from its jobs' statuses (it has no status of its own)."""

    QUEUED = "queued"  # nothing has started
    PROCESSING = "processing"  # something runs, or waits after others have ended
    COMPLETED = "completed"  # every job completed
    CANCELLED = "cancelled"  # every job was cancelled
    FAILED = "failed"  # all ended, none completed
    PARTIAL = "partial"  # all ended, some completed


def batch_status(counts: Counter[str]) -> BatchStatus:
    """One word for the batch: running while anything is unfinished, then how it ended."""
    total = sum(counts.values())
    completed = counts[JobStatus.COMPLETED]
    if counts[JobStatus.PROCESSING]:
        return BatchStatus.PROCESSING
    if any(counts[status] for status in WAITING):
        ended = completed + counts[JobStatus.DEAD] + counts[JobStatus.CANCELLED]
        return BatchStatus.QUEUED if ended == 0 else BatchStatus.PROCESSING
    if completed == total:
        return BatchStatus.COMPLETED
    if counts[JobStatus.CANCELLED] == total:
        return BatchStatus.CANCELLED
    if completed == 0:
        return BatchStatus.FAILED
    return BatchStatus.PARTIAL


async def create_batch(
    db: Database,
    front: QueueFront,
    name: str,
    queue_id: str | None,
    priority: Priority | None,
    requests: list[JobRequest],
) -> tuple[Batch, list[Job]]:
    queue = await resolve_queue(db, front, queue_id)
    for request in requests:
        request.queue_id = request.queue_id or queue.id
        if priority is not None:
            request.priority = priority
    batch = Batch(id=new_id(), name=name, queue_id=queue.id)

    async def add_batch(session: AsyncSession) -> None:
        session.add(batch)
        await session.flush()  # the jobs refer to it

    # One transaction: the batch and all its jobs commit together, or nothing does.
    jobs = await create_jobs(db, front, requests, batch_id=batch.id, alongside=add_batch)
    return batch, jobs


async def get_batch(db: Database, batch_id: str) -> tuple[Batch, list[Job]]:
    async with db.read() as session:
        batch = await session.get(Batch, batch_id)
        if batch is None:
            raise GraphqError("NOT_FOUND", f"no batch {batch_id}")
        jobs = list(
            (
                await session.execute(
                    select(Job).where(Job.batch_id == batch_id).order_by(Job.enqueued_ns)
                )
            ).scalars()
        )
    return batch, jobs


async def cancel_batch(db: Database, front: QueueFront, batch_id: str) -> tuple[Batch, list[Job]]:
    """Cancel waiting jobs before running ones, so a freed slot never starts a batch job."""
    _, jobs = await get_batch(db, batch_id)
    for job in sorted(jobs, key=lambda j: j.status == JobStatus.PROCESSING):
        if job.status not in FINISHED:
            try:
                await cancel_job(db, front, job.id)
            except GraphqError as exc:
                if exc.code != "JOB_FINISHED":
                    raise
    return await get_batch(db, batch_id)


async def retry_failed(db: Database, front: QueueFront, batch_id: str) -> tuple[Batch, list[Job]]:
    _, jobs = await get_batch(db, batch_id)
    failed = [job.id for job in jobs if job.status in (JobStatus.DEAD, JobStatus.FAILED)]
    await requeue(db, front, failed, notes=f"retried with batch {batch_id}")
    return await get_batch(db, batch_id)
