"""Claims straight from PostgreSQL: order, per-queue limits, credits, locked rows skipped."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest

from graphq.db.database import Database
from graphq.db.models import ExtractionQueue, Job, Product, QueueDispatchCredits, utcnow
from graphq.queue.cluster_claims import add_credits, claim_next
from graphq.queue.event_relay import asyncpg_dsn
from graphq.queue.store import mark_cancelled

OWNER = "host:1:claims"


@pytest.fixture
async def db(postgres_database: str) -> AsyncIterator[Database]:
    database = Database(postgres_database)
    yield database
    await database.dispose()


async def make_queue(db: Database, name: str, **fields: Any) -> str:
    async with db.write() as session:
        queue = ExtractionQueue(name=name, **fields)
        session.add(queue)
        await session.flush()
        return queue.id


async def add_jobs(db: Database, queue_id: str, *priorities: str, **fields: Any) -> list[str]:
    """Jobs in the order given, each enqueued after the one before."""
    async with db.write() as session:
        product = Product(name="p", part_number=f"P-{time.time_ns()}")
        session.add(product)
        await session.flush()
        jobs = [
            Job(
                product_id=product.id,
                queue_id=queue_id,
                kind="noop",
                priority=priority,
                enqueued_ns=time.time_ns() + n,
                **fields,
            )
            for n, priority in enumerate(priorities)
        ]
        session.add_all(jobs)
        await session.flush()
        return [job.id for job in jobs]


@pytest.fixture
async def conn(postgres_database: str) -> AsyncIterator[asyncpg.Connection]:
    """A node's connection for claims."""
    connection = await asyncpg.connect(asyncpg_dsn(postgres_database))
    yield connection
    await connection.close()


async def claim(
    conn: asyncpg.Connection, free_slots: int, running_here: tuple[str, ...] = ()
) -> list[str]:
    """The ids claimed, in the order they were chosen; each is now ``processing`` as ours."""
    (_, snapshots), places = await claim_next(conn, OWNER, 30.0, free_slots, running_here)
    assert set(snapshots) == set(places)
    if places:
        rows = await conn.fetch(
            "SELECT status, lease_owner, attempts FROM jobs WHERE id = any($1::text[])",
            list(places),
        )
        assert {tuple(row) for row in rows} == {("processing", OWNER, 1)}
    return list(places)


async def test_claims_take_the_most_urgent_jobs_first_then_the_oldest(
    db: Database, conn: asyncpg.Connection
) -> None:
    queue_id = await make_queue(db, "ranked", max_concurrent_jobs=10)
    low, normal1, urgent, normal2, high = await add_jobs(
        db, queue_id, "low", "normal", "urgent", "normal", "high"
    )
    assert await claim(conn, 3) == [urgent, high, normal1]
    assert await claim(conn, 3) == [normal2, low]
    assert await claim(conn, 3) == []


async def test_a_fifo_queue_ignores_priority(db: Database, conn: asyncpg.Connection) -> None:
    queue_id = await make_queue(db, "fifo", priority_policy="fifo")
    jobs = await add_jobs(db, queue_id, "low", "urgent", "normal")
    assert await claim(conn, 3) == jobs


async def test_a_queue_at_its_limit_gives_no_job_whatever_the_free_slots(
    db: Database, conn: asyncpg.Connection
) -> None:
    narrow = await make_queue(db, "narrow", max_concurrent_jobs=2)
    wide = await make_queue(db, "wide", max_concurrent_jobs=10)
    narrow_jobs = await add_jobs(db, narrow, "urgent", "urgent", "urgent")
    wide_jobs = await add_jobs(db, wide, "low", "low")
    assert await claim(conn, 2) == narrow_jobs[:2]
    # The narrow queue's third job waits for one of the two to end; the wide queue runs.
    assert await claim(conn, 4) == wide_jobs


async def test_paused_and_stopped_queues_give_nothing(
    db: Database, conn: asyncpg.Connection
) -> None:
    for status in ("paused", "stopped"):
        queue_id = await make_queue(db, status, status=status)
        await add_jobs(db, queue_id, "urgent")
    assert await claim(conn, 4) == []


async def test_a_retry_waits_for_its_time(db: Database, conn: asyncpg.Connection) -> None:
    queue_id = await make_queue(db, "retrying")
    later = await add_jobs(db, queue_id, "urgent", status="pending", next_attempt_at=None)
    await add_jobs(
        db, queue_id, "urgent", status="pending", next_attempt_at=utcnow().replace(year=2100)
    )
    assert await claim(conn, 4) == later


async def test_a_manual_queue_starts_only_as_many_jobs_as_it_has_credits(
    db: Database, conn: asyncpg.Connection
) -> None:
    queue_id = await make_queue(db, "manual", mode="manual")
    jobs = await add_jobs(db, queue_id, "normal", "normal", "normal")
    assert await claim(conn, 4) == []
    assert await db.transact(lambda conn: add_credits(conn, queue_id, 2)) == 3
    assert await claim(conn, 4) == jobs[:2]
    assert await claim(conn, 4) == []
    async with db.read() as session:
        credits = await session.get(QueueDispatchCredits, queue_id)
    assert credits is not None and credits.credits == 0


async def test_credits_never_exceed_the_jobs_waiting(
    db: Database, conn: asyncpg.Connection
) -> None:
    queue_id = await make_queue(db, "manual", mode="manual")
    await add_jobs(db, queue_id, "normal")
    assert await db.transact(lambda conn: add_credits(conn, queue_id, 5)) == 1
    await add_jobs(db, queue_id, "normal")  # came after the dispatch: nobody dispatched it
    assert len(await claim(conn, 4)) == 1
    assert await claim(conn, 4) == []


async def test_the_credit_of_a_job_cancelled_while_waiting_goes_with_it(
    db: Database, conn: asyncpg.Connection
) -> None:
    queue_id = await make_queue(db, "manual", mode="manual")
    cancelled, dispatched = await add_jobs(db, queue_id, "normal", "normal")
    assert await db.transact(lambda conn: add_credits(conn, queue_id, 2)) == 2
    assert await mark_cancelled(db, cancelled)
    await add_jobs(db, queue_id, "normal")  # came after the dispatch: nobody dispatched it
    assert await claim(conn, 4) == [dispatched]
    assert await claim(conn, 4) == []


async def test_a_job_the_node_still_runs_after_its_lease_lapsed_is_left_to_other_nodes(
    db: Database, conn: asyncpg.Connection
) -> None:
    queue_id = await make_queue(db, "lapsed")
    lapsed, other = await add_jobs(db, queue_id, "urgent", "low")
    assert await claim(conn, 2, running_here=(lapsed,)) == [other]
    assert await claim(conn, 2) == [lapsed]


async def test_a_job_another_transaction_holds_is_skipped_not_waited_for(
    db: Database, conn: asyncpg.Connection, postgres_database: str
) -> None:
    queue_id = await make_queue(db, "contended")
    held, free = await add_jobs(db, queue_id, "urgent", "low")
    other = await asyncpg.connect(asyncpg_dsn(postgres_database))
    try:
        async with other.transaction():
            await other.execute("SELECT id FROM jobs WHERE id = $1 FOR UPDATE", held)
            assert await claim(conn, 2) == [free]
    finally:
        await other.close()
    assert await claim(conn, 2) == [held]
