"""Claiming jobs straight from PostgreSQL, so that several nodes share one queue.

A claim is one call of the function ``graphq_claim_jobs`` (migration 0007), in one round
trip on the node's own connection, committing on its own. Inside, it locks the rows of the
queues that may start jobs (``FOR NO KEY UPDATE``, in id order: new jobs, whose foreign key
needs only a key-share lock, still go in; two claims never deadlock), counts each queue's
running jobs under that lock, takes the queue's dispatch credits into account, picks the best
waiting jobs (priority rank, then enqueue time, then id) with ``FOR UPDATE SKIP LOCKED`` and
moves them to ``processing`` under the node's lease, as :func:`graphq.queue.store.claim_in`
does on one node. Holding the queue locks for one statement rather than across round trips
is what lets claims from several nodes follow each other quickly.

A trigger of the same migration keeps a queue's credits within its waiting jobs whichever
node cancels one, as the engine's index does on one node.

So ``maxConcurrentJobs`` and manual dispatch credits hold across the cluster, and priorities
and FIFO order hold across nodes: one queue's claims are serialised, each takes the head of
the line. The worker cap stays per node: a node claims at most its free worker slots.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import asyncpg
import msgspec
from sqlalchemy import Connection, Table, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from graphq.db.models import Job, QueueDispatchCredits
from graphq.queue import store
from graphq.queue.registry import JobSnapshot
from graphq.queue.vocabulary import PRIORITY_RANK, WAITING

JOBS = cast(Table, Job.__table__)
CREDITS = cast(Table, QueueDispatchCredits.__table__)

# The priorities in the order they start, as the claim function ranks them.
RANKS = sorted(PRIORITY_RANK, key=PRIORITY_RANK.__getitem__)
_CLAIM = "SELECT * FROM graphq_claim_jobs($1, $2, $3, $4::text[], $5::text[])"


@dataclass(frozen=True, slots=True)
class ClaimedJob:
    """What the engine keeps of a claimed job besides its snapshot: its place in line."""

    queue_id: str
    priority: str
    enqueued_ns: int


async def claim_next(
    conn: asyncpg.Connection,
    owner: str,
    lease_s: float,
    free_slots: int,
    running_here: Collection[str],
) -> tuple[store.Claimed, dict[str, ClaimedJob]]:
    """Claim up to ``free_slots`` of the best startable jobs of all queues; returns the
    claim (its time, the jobs' snapshots) and each claimed job's place in line, best first.

    ``running_here``: the jobs the node still runs. One whose lease lapsed (the node stalled)
    is back in line for another node, never for this one: its run here goes on until its
    completion is refused, and the same job must not run twice on one node.
    """
    rows = await conn.fetch(_CLAIM, owner, lease_s, free_slots, RANKS, list(running_here))
    return _claimed(rows)


def _claimed(rows: Sequence[Sequence[Any]]) -> tuple[store.Claimed, dict[str, ClaimedJob]]:
    rows = sorted(rows, key=lambda r: (r[11], r[10], r[0]))  # rank, enqueued_ns, id
    claimed_at: datetime = rows[0][12] if rows else store.utcnow()
    snapshots, places = {}, {}
    for job_id, kind, queue_id, product_id, image_id, priority, *rest in rows:
        attempts, max_attempts, method, parameters, enqueued_ns, _rank, _at = rest
        snapshots[job_id] = JobSnapshot(
            job_id,
            kind,
            queue_id,
            product_id,
            image_id,
            priority,
            attempts,
            max_attempts,
            method,
            dict(msgspec.json.decode(parameters or "{}")),
        )
        places[job_id] = ClaimedJob(queue_id, priority, enqueued_ns)
    return (claimed_at, snapshots), places


def add_credits(conn: Connection, queue_id: str, count: int) -> int:
    """Let a manual queue start ``count`` more jobs on whichever node; returns how many wait.

    As on one node, credits never exceed the jobs waiting: a dispatch into an empty queue
    must not start a job that arrives later without anyone dispatching it.
    """
    waiting = conn.execute(
        select(func.count()).where(JOBS.c.queue_id == queue_id, JOBS.c.status.in_(WAITING))
    ).scalar_one()
    conn.execute(pg_insert(CREDITS).values(queue_id=queue_id, credits=0).on_conflict_do_nothing())
    conn.execute(
        update(CREDITS)
        .where(CREDITS.c.queue_id == queue_id)
        .values(credits=func.least(CREDITS.c.credits + count, waiting))
    )
    return int(waiting)
