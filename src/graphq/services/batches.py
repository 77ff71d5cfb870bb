"""Batches: jobs created together; status and counts are derived from the jobs."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from graphq.db.models import Batch, Job, new_id
from graphq.errors import GraphqError
from graphq.runtime import Runtime
from graphq.services.jobs import FINISHED, JobRequest, cancel_job, create_jobs, requeue
from graphq.services.queues import resolve_queue


def batch_status(counts: Counter[str]) -> str:
    """One word for the batch: running while anything is unfinished, then how it ended."""
    total = sum(counts.values())
    if counts["processing"]:
        return "processing"
    if counts["queued"] or counts["pending"]:
        return (
            "queued"
            if counts["completed"] + counts["dead"] + counts["cancelled"] == 0
            else "processing"
        )
    if counts["completed"] == total:
        return "completed"
    if counts["cancelled"] == total:
        return "cancelled"
    if counts["completed"] == 0:
        return "failed"
    return "partial"


async def create_batch(
    rt: Runtime, name: str, queue_id: str | None, priority: str | None, requests: list[JobRequest]
) -> tuple[Batch, list[Job]]:
    queue = await resolve_queue(rt, queue_id)
    for request in requests:
        request.queue_id = request.queue_id or queue.id
        if priority is not None:
            request.priority = priority
    batch = Batch(id=new_id(), name=name, queue_id=queue.id)

    async def add_batch(session: AsyncSession) -> None:
        session.add(batch)
        await session.flush()  # the jobs refer to it

    # One transaction: the batch and all its jobs commit together, or nothing does.
    jobs = await create_jobs(rt, requests, batch_id=batch.id, alongside=add_batch)
    return batch, jobs


async def get_batch(rt: Runtime, batch_id: str) -> tuple[Batch, list[Job]]:
    async with rt.db.read() as session:
        batch = await session.get(Batch, batch_id)
        if batch is None:
            raise GraphqError("NOT_FOUND", f"no batch {batch_id}", status=404)
        jobs = list(
            (
                await session.execute(
                    select(Job).where(Job.batch_id == batch_id).order_by(Job.enqueued_ns)
                )
            ).scalars()
        )
    return batch, jobs


async def cancel_batch(rt: Runtime, batch_id: str) -> tuple[Batch, list[Job]]:
    """Cancel waiting jobs before running ones, so a freed slot never starts a batch job."""
    _, jobs = await get_batch(rt, batch_id)
    for job in sorted(jobs, key=lambda j: j.status == "processing"):
        if job.status not in FINISHED:
            try:
                await cancel_job(rt, job.id)
            except GraphqError as exc:
                if exc.code != "JOB_FINISHED":
                    raise
    return await get_batch(rt, batch_id)


async def retry_failed(rt: Runtime, batch_id: str) -> tuple[Batch, list[Job]]:
    _, jobs = await get_batch(rt, batch_id)
    failed = [job.id for job in jobs if job.status in ("dead", "failed")]
    await requeue(rt, failed, notes=f"retried with batch {batch_id}")
    return await get_batch(rt, batch_id)
