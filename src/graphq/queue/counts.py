"""The queue's counters: jobs per queue, status and priority, and waiting dead letters.

Triggers keep :class:`graphq.db.models.QueueCount` in the transaction of every change of a job
or a dead letter (migration 0014 says why they are sharded on PostgreSQL), so a count costs the
same at 1,000 jobs as at 100,000: the readers here sum a few rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from graphq.db.database import Database
from graphq.db.models import WAITING_LETTERS, QueueCount

# Held by the node folding shards, so two nodes never fold at once (their upserts of shard 0
# could otherwise wait on each other); a node that does not get it leaves the fold to the other.
FOLD_LOCK = 1735549298

_FOLD = text(
    "WITH taken AS ("
    " DELETE FROM queue_counts WHERE ctid = ANY(ARRAY("
    "  SELECT ctid FROM queue_counts WHERE shard <> 0 FOR UPDATE SKIP LOCKED))"
    " RETURNING queue_id, status, priority, n) "
    "INSERT INTO queue_counts (queue_id, status, priority, shard, n) "
    "SELECT queue_id, status, priority, 0, sum(n) FROM taken "
    "GROUP BY queue_id, status, priority "
    "ON CONFLICT (queue_id, status, priority, shard) DO UPDATE SET n = queue_counts.n + excluded.n"
)


@dataclass(frozen=True)
class Count:
    queue_id: str
    status: str
    priority: str
    n: int


async def job_counts(session: AsyncSession, queue_id: str | None = None) -> list[Count]:
    """Each queue's jobs per status and priority (of ``queue_id`` alone if given), and its
    waiting dead letters under status :data:`WAITING_LETTERS`; keys counted to zero are left
    out."""
    counted = select(
        QueueCount.queue_id, QueueCount.status, QueueCount.priority, func.sum(QueueCount.n)
    ).group_by(QueueCount.queue_id, QueueCount.status, QueueCount.priority)
    if queue_id is not None:
        counted = counted.where(QueueCount.queue_id == queue_id)
    return [
        Count(queue, status, priority, int(n))
        for queue, status, priority, n in await session.execute(counted)
        if n
    ]


def is_letters(count: Count) -> bool:
    return count.status == WAITING_LETTERS


async def fold(db: Database) -> None:
    """On PostgreSQL, fold every connection's shard into shard 0, so the readers sum few rows.

    A shard row a transaction holds (it is moving a job) is skipped, never waited for: it is
    folded the next time. A connection whose row was folded makes it again on its next change.
    """
    if db.is_sqlite:
        return

    def run(connection: Connection) -> None:
        if connection.execute(select(func.pg_try_advisory_xact_lock(FOLD_LOCK))).scalar_one():
            connection.execute(_FOLD)

    await db.transact(run)
