"""Extraction queues: configuration rows that the engine mirrors in memory."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from graphq.db.models import ExtractionQueue, Job
from graphq.errors import GraphqError
from graphq.runtime import Runtime
from graphq.services.lookup import fetch

DEFAULT_QUEUE = "default"
UNFINISHED = ("pending", "queued", "processing")


async def ensure_default_queue(rt: Runtime) -> ExtractionQueue:
    async with rt.db.write() as session:
        queue = (
            await session.execute(
                select(ExtractionQueue).where(ExtractionQueue.name == DEFAULT_QUEUE)
            )
        ).scalar_one_or_none()
        if queue is None:
            queue = ExtractionQueue(
                name=DEFAULT_QUEUE,
                description="The queue jobs go to when none is named.",
                max_concurrent_jobs=max(rt.settings.queue.worker_slots, 1),
            )
            session.add(queue)
    return queue


async def get_queue(rt: Runtime, queue_id: str) -> ExtractionQueue:
    async with rt.db.read() as session:
        return await fetch(session, ExtractionQueue, queue_id, "queue")


async def resolve_queue(rt: Runtime, queue_id: str | None) -> ExtractionQueue:
    """The named queue, or ``default``; a stopped queue takes no new jobs."""
    if queue_id is None:
        async with rt.db.read() as session:
            queue = (
                await session.execute(
                    select(ExtractionQueue).where(ExtractionQueue.name == DEFAULT_QUEUE)
                )
            ).scalar_one_or_none()
        if queue is None:
            queue = await ensure_default_queue(rt)
    else:
        queue = await get_queue(rt, queue_id)
    if queue.status == "stopped":
        raise GraphqError("QUEUE_STOPPED", f"queue {queue.name!r} is stopped", status=409)
    return queue


async def list_queues(rt: Runtime) -> list[ExtractionQueue]:
    async with rt.db.read() as session:
        return list(
            (
                await session.execute(select(ExtractionQueue).order_by(ExtractionQueue.name))
            ).scalars()
        )


async def create_queue(rt: Runtime, fields: dict[str, Any]) -> ExtractionQueue:
    queue = ExtractionQueue(**fields)
    try:
        async with rt.db.write() as session:
            session.add(queue)
    except IntegrityError:
        raise GraphqError(
            "DUPLICATE_QUEUE", f"a queue named {fields['name']!r} exists", status=409
        ) from None
    await rt.engine.queue_changed(queue.id)
    return queue


async def update_queue(rt: Runtime, queue_id: str, changes: dict[str, Any]) -> ExtractionQueue:
    try:
        async with rt.db.write() as session:
            queue = await session.get(ExtractionQueue, queue_id)
            if queue is None:
                raise GraphqError("NOT_FOUND", f"no queue {queue_id}", status=404)
            if queue.name == DEFAULT_QUEUE and changes.get("name", DEFAULT_QUEUE) != DEFAULT_QUEUE:
                raise GraphqError(
                    "INVALID_PARAMETERS", "the default queue cannot be renamed", status=409
                )
            settings = changes.pop("settings", None)
            if settings:
                queue.settings = {**(queue.settings or {}), **settings}
            for name, value in changes.items():
                setattr(queue, name, value)
    except IntegrityError:
        raise GraphqError("DUPLICATE_QUEUE", "another queue has that name", status=409) from None
    await rt.engine.queue_changed(queue_id)
    return queue


async def delete_queue(rt: Runtime, queue_id: str) -> None:
    """Only an idle queue other than ``default`` can go; its finished jobs go with it."""
    queue = await get_queue(rt, queue_id)
    if queue.name == DEFAULT_QUEUE:
        raise GraphqError("INVALID_PARAMETERS", "the default queue cannot be deleted", status=409)
    async with rt.db.write() as session:
        unfinished = (
            await session.execute(
                select(func.count(Job.id)).where(
                    Job.queue_id == queue_id, Job.status.in_(UNFINISHED)
                )
            )
        ).scalar_one()
        if unfinished:
            raise GraphqError(
                "QUEUE_NOT_EMPTY",
                f"queue has {unfinished} unfinished jobs; cancel them first",
                status=409,
            )
        row = await session.get(ExtractionQueue, queue_id)
        if row is not None:
            await session.delete(row)
    await rt.engine.queue_changed(queue_id)


async def dispatch(rt: Runtime, queue_id: str, count: int) -> int:
    queue = await get_queue(rt, queue_id)
    if queue.mode != "manual":
        raise GraphqError(
            "INVALID_PARAMETERS", "only a manual queue is dispatched by hand", status=409
        )
    return rt.engine.dispatch(queue_id, count)
