"""Job state transitions in the database, the queue's source of truth.

Each transition is one conditional UPDATE (``WHERE status = … AND lease_owner = …``), so a
transition that lost a race changes nothing and the caller learns it from the row count.
Each runs as a single write transaction of Core statements (:meth:`Database.transact`): on
SQLite that is one hop to the writer thread, whatever the number of statements. The three that
every job runs, its insertion (:mod:`graphq.queue.new_rows`), its claim and its completion, run as
plain SQL on SQLite (:mod:`graphq.queue.sqlite_path`). Leases and the recovery of jobs whose
lease ran out are in :mod:`graphq.queue.leases`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, insert, update

from graphq.db.database import Database
from graphq.db.models import DeadLetter, utcnow
from graphq.queue import sqlite_path
from graphq.queue.leases import held_by
from graphq.queue.new_rows import JOBS
from graphq.queue.registry import HandlerRegistry, JobSnapshot
from graphq.queue.vocabulary import UNFINISHED, WAITING, JobStatus

log = logging.getLogger(__name__)

DEAD_LETTERS = cast(Table, DeadLetter.__table__)


_SNAPSHOT_COLUMNS = (
    JOBS.c.id,
    JOBS.c.kind,
    JOBS.c.queue_id,
    JOBS.c.product_id,
    JOBS.c.image_id,
    JOBS.c.priority,
    JOBS.c.attempts,
    JOBS.c.max_attempts,
    JOBS.c.extraction_method,
    JOBS.c.parameters,
)


_CLAIM = (
    update(JOBS)
    .where(JOBS.c.id.in_(bindparam("job_ids", expanding=True)), JOBS.c.status.in_(WAITING))
    .values(
        status=JobStatus.PROCESSING,
        attempts=JOBS.c.attempts + 1,
        lease_owner=bindparam("owner"),
        lease_expires_at=bindparam("lease_expires_at"),
        started_at=bindparam("now"),
        completed_at=None,
        next_attempt_at=None,
        progress=0.0,
        current_step="preparing",
    )
    .returning(*_SNAPSHOT_COLUMNS)
)

Claimed = tuple[datetime, dict[str, JobSnapshot]]


def claim_in(conn: Connection, job_ids: list[str], owner: str, lease_s: float) -> Claimed:
    """Move waiting jobs to ``processing`` under our lease, inside the caller's transaction.

    Returns the claim time and the jobs claimed; a job missing from the answer was no longer
    waiting (cancelled, say).
    """
    now = utcnow()
    lease_expires_at = now + timedelta(seconds=lease_s)
    raw = sqlite_path.pysqlite(conn)
    if raw is not None:
        rows: Sequence[Sequence[Any]] = sqlite_path.claim(
            raw, job_ids, owner, now, lease_expires_at
        )
    else:
        params = {
            "job_ids": job_ids,
            "owner": owner,
            "lease_expires_at": lease_expires_at,
            "now": now,
        }
        rows = conn.execute(_CLAIM, params).all()
    claimed = [_snapshot(row) for row in rows]
    return now, {job.id: job for job in claimed}


def _snapshot(row: Sequence[Any]) -> JobSnapshot:
    """A claimed row (:data:`_SNAPSHOT_COLUMNS`, the parameters last) as handlers see it."""
    *columns, parameters = row
    return JobSnapshot(*[*columns, dict(parameters or {})])


async def claim(db: Database, job_ids: list[str], owner: str, lease_s: float) -> Claimed:
    """:func:`claim_in` as a transaction of its own."""
    return await db.transact(lambda conn: claim_in(conn, job_ids, owner, lease_s))


_PROGRESS = (
    update(JOBS)
    .where(JOBS.c.id == bindparam("job_id"), *held_by(bindparam("owner")))
    .values(progress=bindparam("new_progress"), current_step=bindparam("new_step"))
)


async def record_progress(db: Database, owner: str, updates: list[tuple[str, float, str]]) -> None:
    """Write the latest (job id, progress, step) of several running jobs in one transaction."""
    if not updates:
        return
    params = [
        {"job_id": j, "owner": owner, "new_progress": p, "new_step": s} for j, p, s in updates
    ]
    await db.transact(lambda conn: conn.execute(_PROGRESS, params))


# A group's completions as one statement, on either database: ``{done}`` names each run's
# job id and run time, and the answer names the jobs that were still ours.
_COMPLETE_ALL = """
UPDATE jobs SET status = 'completed', progress = 100.0, current_step = 'completed',
    completed_at = {now}, actual_duration = done.duration_s, lease_owner = NULL,
    lease_expires_at = NULL, error_code = NULL, error_message = NULL, updated_at = {now}{more}
FROM {done}
WHERE jobs.id = done.id AND jobs.status = 'processing' AND jobs.lease_owner = {owner}
RETURNING jobs.id
"""
_PG_DONE = "unnest($1::text[], $2::float8[]{review}) AS done(id, duration_s{review_as})"
_COMPLETE_ALL_PG = _COMPLETE_ALL.format(
    done=_PG_DONE.format(review="", review_as=""), now="$3", owner="$4", more=""
)
# The same marking each job that needs review (``$5``, one flag a job), for
# :mod:`graphq.queue.row_completions`.
COMPLETE_ALL_PG_REVIEWED = _COMPLETE_ALL.format(
    done=_PG_DONE.format(review=", $5::boolean[]", review_as=", review"),
    now="$3",
    owner="$4",
    more=", needs_review = jobs.needs_review OR done.review",
)


@cache
def _complete_all_sqlite(count: int) -> str:
    rows = ", ".join(f"(?{3 + 2 * i}, ?{4 + 2 * i})" for i in range(count))
    done = f"(SELECT column1 AS id, column2 AS duration_s FROM (VALUES {rows})) AS done"
    return _COMPLETE_ALL.format(done=done, now="?1", owner="?2", more="")


def mark_all_completed(
    conn: Connection, owner: str, runs: Sequence[tuple[str, datetime | None]]
) -> list[bool]:
    """Complete each run, (job id, started at), of ``runs`` inside the caller's transaction,
    so that the result rows and the completions commit together. One statement, whatever the
    number of runs (on PostgreSQL each statement is a round trip). Answers, in the order of
    ``runs``, whether each job was still ours: False when its lease expired and another run
    took it over."""
    if not runs:
        return []
    now = utcnow()
    ids = [job_id for job_id, _ in runs]
    durations = [(now - started).total_seconds() if started else None for _, started in runs]
    raw = sqlite_path.pysqlite(conn)
    if raw is not None:
        sql = _complete_all_sqlite(len(ids))
        done = sqlite_path.completed(raw, sql, ids, durations, owner, now)
    else:
        done = {
            row[0] for row in conn.exec_driver_sql(_COMPLETE_ALL_PG, (ids, durations, now, owner))
        }
    return [job_id in done for job_id in ids]


def mark_needs_review(conn: Connection, job_ids: list[str]) -> None:
    """Inside the completing transaction: what these jobs stored needs a person's look. One
    statement for a group's jobs."""
    if job_ids:
        conn.execute(update(JOBS).where(JOBS.c.id.in_(job_ids)).values(needs_review=True))


async def schedule_retry(
    db: Database, job_id: str, owner: str, error: tuple[str, str], delay_s: float, enqueued_ns: int
) -> datetime | None:
    code, message = error
    not_before = utcnow() + timedelta(seconds=delay_s)
    statement = (
        update(JOBS)
        .where(JOBS.c.id == job_id, *held_by(owner))
        .values(
            status=JobStatus.PENDING,
            error_code=code,
            error_message=message,
            next_attempt_at=not_before,
            enqueued_ns=enqueued_ns,
            lease_owner=None,
            lease_expires_at=None,
            current_step=f"retry after {code}",
        )
    )
    changed = await db.transact(lambda conn: conn.execute(statement).rowcount)
    return not_before if changed else None


async def dead_letter(
    db: Database,
    registry: HandlerRegistry,
    job_id: str,
    owner: str | None,
    code: str,
    message: str,
) -> bool:
    """Move a job to the DLQ, with its handler's ``on_dead_in`` in the same transaction;
    ``owner`` None means its lease expired (crash recovery).

    A hook that raises does not keep the job out of the DLQ (its run would end in an engine
    error, and its lease's expiry would retry it or fail every recovery pass): the error is
    logged and the job dead-lettered without the hook.
    """
    now = utcnow()
    still_ours = JOBS.c.lease_owner == owner if owner is not None else JOBS.c.lease_expires_at < now
    statement = (
        update(JOBS)
        .where(JOBS.c.id == job_id, JOBS.c.status == JobStatus.PROCESSING, still_ours)
        .values(
            status=JobStatus.DEAD,
            error_code=code,
            error_message=message,
            completed_at=now,
            lease_owner=None,
            lease_expires_at=None,
            current_step=f"dead-lettered: {code}",
        )
        .returning(
            JOBS.c.attempts,
            JOBS.c.kind,
            JOBS.c.product_id,
            JOBS.c.image_id,
            JOBS.c.queue_id,
            JOBS.c.priority,
            JOBS.c.extraction_method,
            JOBS.c.parameters,
        )
    )

    def transition(conn: Connection, *, with_hook: bool = True) -> bool:
        rows = conn.execute(statement).all()
        if not rows:
            return False
        attempts, kind, product_id, image_id, queue_id, priority, method, parameters = rows[0]
        conn.execute(
            insert(DEAD_LETTERS).values(
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
        if with_hook and kind in registry:
            on_dead_in = getattr(registry.get(kind), "on_dead_in", None)
            if on_dead_in is not None:
                on_dead_in(conn, job_id)
        return True

    try:
        return await db.transact(transition)
    except Exception:
        log.exception("job %s: dead-lettering it with its on_dead_in failed; without it", job_id)
        return await db.transact(lambda conn: transition(conn, with_hook=False))


async def mark_cancelled(db: Database, job_id: str) -> bool:
    """Cancel a job that has not finished; True if this call changed it."""
    statement = (
        update(JOBS)
        .where(JOBS.c.id == job_id, JOBS.c.status.in_(UNFINISHED))
        .values(
            status=JobStatus.CANCELLED,
            completed_at=utcnow(),
            lease_owner=None,
            lease_expires_at=None,
            error_code="CANCELLED",
            error_message="cancelled by request",
            current_step="cancelled",
        )
    )
    return bool(await db.transact(lambda conn: conn.execute(statement).rowcount))
