"""The dead-letter queue: jobs that failed for good, kept with their error for a person."""

from __future__ import annotations

from sqlalchemy import func, select

from graphq.db.database import Database
from graphq.db.models import DeadLetter, Job
from graphq.errors import GraphqError
from graphq.queue.front import QueueFront
from graphq.queue.vocabulary import JobStatus, Priority
from graphq.services.jobs import requeue


async def list_dead_letters(
    db: Database, *, include_reprocessed: bool, limit: int, offset: int
) -> tuple[list[DeadLetter], int]:
    query = select(DeadLetter)
    if not include_reprocessed:
        query = query.where(DeadLetter.reprocessed_at.is_(None))
    async with db.read() as session:
        total = (
            await session.execute(select(func.count()).select_from(query.subquery()))
        ).scalar_one()
        rows = await session.execute(
            query.order_by(DeadLetter.created_at.desc()).limit(limit).offset(offset)
        )
        return list(rows.scalars()), int(total)


async def reprocess(
    db: Database, front: QueueFront, dead_letter_id: str, notes: str, priority: Priority | None
) -> tuple[DeadLetter, Job]:
    """Requeue the letter's job; :func:`requeue` marks the letter reprocessed as it does."""
    async with db.read() as session:
        letter = await session.get(DeadLetter, dead_letter_id)
        if letter is None:
            raise GraphqError("NOT_FOUND", f"no dead letter {dead_letter_id}")
        if letter.reprocessed_at is not None:
            raise GraphqError("ALREADY_REPROCESSED", "this dead letter was reprocessed already")
        job = await session.get(Job, letter.job_id)
    not_dead = GraphqError("JOB_NOT_DEAD", "the job is no longer in the dead-letter queue")
    if job is None or job.status != JobStatus.DEAD:
        raise not_dead
    # Checked again where the job is changed: of two reprocess calls racing, one requeues it.
    requeued = await requeue(db, front, [letter.job_id], priority=priority, notes=notes)
    if not requeued:
        raise not_dead
    async with db.read() as session:
        resolved = await session.get(DeadLetter, dead_letter_id)
    assert resolved is not None
    return resolved, requeued[0]
