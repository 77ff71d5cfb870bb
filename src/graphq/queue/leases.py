"""Leases in the database: renewing ours, handing jobs back, and recovering the jobs of
servers that stopped.

A running job's row names its lease holder and when the lease ends. The holder renews it
while the job runs; a job whose lease ran out (its server died or stalled) is put back in
line by any server, or dead-lettered once its attempts are spent. At start a server reads
what waits into its index (:func:`load_waiting`) and ends at once the leases of earlier
servers on its own machine that no longer run.
"""

from __future__ import annotations

import hashlib
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Update, select, update

from graphq.db.database import Database
from graphq.db.models import Job, utcnow
from graphq.queue.new_rows import JOBS
from graphq.queue.vocabulary import WAITING, JobStatus

# A lease owner is "<host>:<pid>:<8 hex>", held in 64-character columns (``jobs.lease_owner``,
# and ``queue_events.node`` on a cluster): the host's name must leave room for the longest
# Linux pid (7 digits), or a long container or pod name makes every claim fail.
OWNER_COLUMN_CHARS = 64
OWNER_HOST_CHARS = OWNER_COLUMN_CHARS - len(":4194304:") - 8
# A longer name keeps its start and ends in a digest of the whole (``~`` and 8 hex), so two
# machines whose names share a long start stay apart: a restarting server ends at once the
# leases of stopped servers on its own machine, judged by their pids, never another's.
_DIGEST_CHARS = 8


def owner_host() -> str:
    """This machine's name as the lease owners of its servers carry it."""
    host = socket.gethostname()
    if len(host) <= OWNER_HOST_CHARS:
        return host
    digest = hashlib.sha256(host.encode()).hexdigest()[:_DIGEST_CHARS]
    return f"{host[: OWNER_HOST_CHARS - _DIGEST_CHARS - 1]}~{digest}"


def new_owner() -> str:
    """A lease owner for this process start: host, pid and a random part (a restarted
    container may get its old pid back)."""
    return f"{owner_host()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True, slots=True)
class ReadyJob:
    """What the in-memory heap needs to know of a job that waits to run."""

    id: str
    queue_id: str
    priority: str
    enqueued_ns: int
    not_before: datetime | None


async def load_waiting(db: Database) -> list[ReadyJob]:
    async with db.read() as session:
        rows = await session.execute(
            select(Job.id, Job.queue_id, Job.priority, Job.enqueued_ns, Job.next_attempt_at).where(
                Job.status.in_(WAITING)
            )
        )
        return [ReadyJob(*row) for row in rows]


def held_by(owner: Any) -> tuple[ColumnElement[bool], ...]:
    """The conditions on a job row that ``owner`` (a value or a bind parameter) still runs
    it under its lease: what every write of a running job's row checks first."""
    return (JOBS.c.lease_owner == owner, JOBS.c.status == JobStatus.PROCESSING)


def _running_under(owner: str, job_ids: list[str]) -> Update:
    """An update of those of ``job_ids`` still running under ``owner``'s lease."""
    return update(JOBS).where(JOBS.c.id.in_(job_ids), *held_by(owner))


async def renew_leases(db: Database, owner: str, job_ids: list[str], lease_s: float) -> None:
    if not job_ids:
        return
    statement = _running_under(owner, job_ids).values(
        lease_expires_at=utcnow() + timedelta(seconds=lease_s)
    )
    await db.transact(lambda conn: conn.execute(statement))


async def release(db: Database, job_ids: list[str], owner: str) -> None:
    """Hand running jobs back to the queue at shutdown; the interrupted attempt doesn't count."""
    if not job_ids:
        return
    statement = _running_under(owner, job_ids).values(
        status=JobStatus.QUEUED,
        attempts=JOBS.c.attempts - 1,
        lease_owner=None,
        lease_expires_at=None,
        progress=0.0,
        current_step="released at shutdown",
    )
    await db.transact(lambda conn: conn.execute(statement))


async def expire_leases_of_dead_local_servers(
    db: Database, host: str, is_dead: Callable[[str], bool]
) -> int:
    """End now the leases that servers on ``host`` held and that ``is_dead(owner)`` says
    nobody runs any more.

    A server restarted on the same machine need not wait out its predecessor's leases.
    Returns how many leases were ended; :func:`expired_leases` then finds their jobs.
    """
    async with db.read() as session:
        rows = await session.execute(
            select(Job.id, Job.lease_owner).where(
                Job.status == JobStatus.PROCESSING, Job.lease_owner.like(f"{host}:%")
            )
        )
        held = [(job_id, owner) for job_id, owner in rows]
    dead = [job_id for job_id, owner in held if owner is not None and is_dead(owner)]
    if not dead:
        return 0
    statement = (
        update(JOBS)
        .where(JOBS.c.id.in_(dead), JOBS.c.status == JobStatus.PROCESSING)
        .values(lease_expires_at=utcnow() - timedelta(microseconds=1))
    )
    await db.transact(lambda conn: conn.execute(statement))
    return len(dead)


async def expired_leases(db: Database) -> list[tuple[str, int, int]]:
    """Jobs left ``processing`` by a server that died: (id, attempts, max_attempts)."""
    async with db.read() as session:
        rows = await session.execute(
            select(Job.id, Job.attempts, Job.max_attempts).where(
                Job.status == JobStatus.PROCESSING, Job.lease_expires_at < utcnow()
            )
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def requeue_expired(db: Database, job_id: str) -> ReadyJob | None:
    statement = (
        update(JOBS)
        .where(
            JOBS.c.id == job_id,
            JOBS.c.status == JobStatus.PROCESSING,
            JOBS.c.lease_expires_at < utcnow(),
        )
        .values(
            status=JobStatus.QUEUED,
            lease_owner=None,
            lease_expires_at=None,
            progress=0.0,
            current_step="recovered after lease expiry",
        )
        .returning(JOBS.c.id, JOBS.c.queue_id, JOBS.c.priority, JOBS.c.enqueued_ns)
    )
    rows = await db.transact(lambda conn: conn.execute(statement).all())
    if not rows:
        return None
    job_id, queue_id, priority, enqueued_ns = rows[0]
    return ReadyJob(job_id, queue_id, priority, enqueued_ns, None)
