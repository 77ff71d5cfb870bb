"""Extraction queues: configuration rows that the engine mirrors in memory."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from graphq.db.database import Database
from graphq.db.models import ExtractionQueue, Job
from graphq.errors import GraphqError
from graphq.queue.front import QueueFront
from graphq.queue.vocabulary import UNFINISHED
from graphq.services.lookup import fetch

DEFAULT_QUEUE = "default"


async def ensure_default_queue(db: Database, front: QueueFront) -> ExtractionQueue:
    """The ``default`` queue, made if missing. Nodes sharing one database may start at the
    same moment: the one whose insert loses the race reads the winner's row."""
    try:
        return await _default_queue(db, front)
    except IntegrityError:
        return await _default_queue(db, front)


async def _default_queue(db: Database, front: QueueFront) -> ExtractionQueue:
    async with db.write() as session:
        queue = (
            await session.execute(
                select(ExtractionQueue).where(ExtractionQueue.name == DEFAULT_QUEUE)
            )
        ).scalar_one_or_none()
        if queue is None:
            queue = ExtractionQueue(
                name=DEFAULT_QUEUE,
                description="The queue jobs go to when none is named.",
                max_concurrent_jobs=max(front.slots, 1),
            )
            session.add(queue)
    return queue


async def get_queue(db: Database, queue_id: str) -> ExtractionQueue:
    async with db.read() as session:
        return await fetch(session, ExtractionQueue, queue_id, "queue")


async def resolve_queue(db: Database, front: QueueFront, queue_id: str | None) -> ExtractionQueue:
    """The named queue, or ``default``; a stopped queue takes no new jobs."""
    if queue_id is None:
        async with db.read() as session:
            queue = (
                await session.execute(
                    select(ExtractionQueue).where(ExtractionQueue.name == DEFAULT_QUEUE)
                )
            ).scalar_one_or_none()
        if queue is None:
            queue = await ensure_default_queue(db, front)
    else:
        queue = await get_queue(db, queue_id)
    if queue.status == "stopped":
        raise GraphqError("QUEUE_STOPPED", f"queue {queue.name!r} is stopped")
    return queue


async def list_queues(db: Database) -> list[ExtractionQueue]:
    async with db.read() as session:
        return list(
            (
                await session.execute(select(ExtractionQueue).order_by(ExtractionQueue.name))
            ).scalars()
        )


async def create_queue(db: Database, front: QueueFront, fields: dict[str, Any]) -> ExtractionQueue:
    queue = ExtractionQueue(**fields)
    try:
        async with db.write() as session:
            session.add(queue)
    except IntegrityError:
        raise GraphqError("DUPLICATE_QUEUE", f"a queue named {fields['name']!r} exists") from None
    await front.queue_changed(queue.id)
    return queue


async def update_queue(
    db: Database, front: QueueFront, queue_id: str, changes: dict[str, Any]
) -> ExtractionQueue:
    try:
        async with db.write() as session:
            queue = await session.get(ExtractionQueue, queue_id)
            if queue is None:
                raise GraphqError("NOT_FOUND", f"no queue {queue_id}")
            if queue.name == DEFAULT_QUEUE and changes.get("name", DEFAULT_QUEUE) != DEFAULT_QUEUE:
                raise GraphqError("DEFAULT_QUEUE_FIXED", "the default queue cannot be renamed")
            settings = changes.pop("settings", None)
            if settings:
                queue.settings = {**(queue.settings or {}), **settings}
            for name, value in changes.items():
                setattr(queue, name, value)
    except IntegrityError:
        raise GraphqError("DUPLICATE_QUEUE", "another queue has that name") from None
    await front.queue_changed(queue_id)
    return queue


async def delete_queue(db: Database, front: QueueFront, queue_id: str) -> None:
    """Only an idle queue other than ``default`` can go; its finished jobs go with it."""
    queue = await get_queue(db, queue_id)
    if queue.name == DEFAULT_QUEUE:
        raise GraphqError("DEFAULT_QUEUE_FIXED", "the default queue cannot be deleted")
    async with db.write(long=True) as session:  # its jobs' rows go by cascade
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
            )
        row = await session.get(ExtractionQueue, queue_id)
        if row is not None:
            await session.delete(row)
    await front.queue_changed(queue_id)


async def dispatch(db: Database, front: QueueFront, queue_id: str, count: int) -> int:
    queue = await get_queue(db, queue_id)
    if queue.mode != "manual":
        raise GraphqError("QUEUE_NOT_MANUAL", "only a manual queue is dispatched by hand")
    return front.dispatch(queue_id, count)
