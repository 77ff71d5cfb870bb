"""A group's completions with their result rows as one statement, on a real PostgreSQL
(whatever ``--backend`` says: the statement exists on PostgreSQL only)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any, cast

import pytest
from sqlalchemy import Table, insert, select, text

from graphq.db.database import Database
from graphq.db.models import ExtractionResult, Job, Product, new_id
from graphq.errors import GraphqError
from graphq.queue import new_rows, row_completions, row_updates, store

OWNER = "host:1:abcd"
OTHER = "host:2:ef01"
RESULTS = cast(Table, ExtractionResult.__table__)
PRODUCTS = cast(Table, Product.__table__)


@pytest.fixture
async def db(postgres_database: str) -> AsyncIterator[Database]:
    """A migrated database of its own on the session's PostgreSQL."""
    database = Database(postgres_database)
    try:
        yield database
    finally:
        await database.dispose()


async def _claimed_jobs(db: Database, owners: list[str]) -> list[str]:
    """One claimed job per owner, of product ``p`` in queue ``q``."""
    async with db.write() as session:
        await session.execute(
            text(
                "INSERT INTO products (id, name, manufacturer, part_number, device_type, "
                "package, description, status, created_at, updated_at) VALUES ('p', 'p', "
                "'', 'P', 'Si-MOSFET', '', '', 'active', now(), now())"
            )
        )
        await session.execute(
            text(
                "INSERT INTO extraction_queues (id, name, mode, status, max_concurrent_jobs, "
                "priority_policy, description, settings, created_at, updated_at) VALUES "
                "('q', 'q', 'automatic', 'active', 8, 'priority', '', '{}', now(), now())"
            )
        )
    ids = [new_id() for _ in owners]
    given = {"product_id": "p", "queue_id": "q", "kind": "noop", "status": "queued"}
    await new_rows.enqueue(db, [{"id": i, "enqueued_ns": time.time_ns(), **given} for i in ids])
    for job_id, owner in zip(ids, owners, strict=True):
        await store.claim(db, [job_id], owner, 30.0)
    return ids


def _result(job_id: str, confidence: float) -> dict[str, Any]:
    given = {
        "job_id": job_id,
        "product_id": "p",
        "metadata": {"curves": [{"name": "Vgs=4V", "points": 3}]},
        "review_reasons": [{"code": "FAINT", "message": "faint trace"}],
        "confidence": confidence,
    }
    return new_rows.table_row(RESULTS, given)


async def test_a_group_completes_with_the_rows_of_its_own_jobs_only(db: Database) -> None:
    ours, theirs, reviewed = await _claimed_jobs(db, [OWNER, OTHER, OWNER])
    runs = [(ours, store.utcnow()), (theirs, None), (reviewed, None)]

    def complete(conn: Any) -> list[bool]:
        with row_completions.gathering(conn) as gathered:
            for job_id, _ in runs:
                gathered.job_id = job_id
                rows = [_result(job_id, 0.5)] if job_id != reviewed else []
                new_rows.insert_rows(conn, RESULTS, rows)
            gathered.job_id = reviewed
            new_rows.insert_rows(conn, RESULTS, [_result(reviewed, 0.25), _result(reviewed, 1)])
        return row_completions.complete_with_rows(conn, OWNER, runs, {reviewed}, gathered)

    assert await db.statement(complete) == [True, False, True]
    async with db.read() as session:
        jobs = {
            job_id: (status, owner, review, duration)
            for job_id, status, owner, review, duration in await session.execute(
                select(Job.id, Job.status, Job.lease_owner, Job.needs_review, Job.actual_duration)
            )
        }
        results = (await session.execute(select(ExtractionResult))).scalars().all()
    assert jobs[theirs] == ("processing", OTHER, False, None)
    assert jobs[ours][:3] == ("completed", None, False) and jobs[ours][3] is not None
    assert jobs[reviewed] == ("completed", None, True, None)
    assert sorted((r.job_id, r.confidence) for r in results) == sorted(
        [(ours, 0.5), (reviewed, 0.25), (reviewed, 1.0)]
    )
    stored = next(r for r in results if r.job_id == ours)
    assert stored.result_metadata == {"curves": [{"name": "Vgs=4V", "points": 3}]}
    assert stored.review_reasons == [{"code": "FAINT", "message": "faint trace"}]
    assert stored.created_at.tzinfo is not None and stored.accepted_at is None


async def test_a_statement_of_its_own_while_rows_are_gathered_is_refused(db: Database) -> None:
    (job_id,) = await _claimed_jobs(db, [OWNER])

    def store_itself(conn: Any) -> None:
        with row_completions.gathering(conn):
            conn.execute(insert(RESULTS), _result(job_id, 0.5))

    with pytest.raises(GraphqError, match="statement of its own"):
        await db.statement(store_itself)
    async with db.read() as session:
        assert (await session.execute(select(ExtractionResult))).first() is None


async def test_rows_a_group_changes_change_only_for_the_jobs_still_ours(db: Database) -> None:
    ours, theirs = await _claimed_jobs(db, [OWNER, OTHER])
    async with db.write() as session:
        session.add(Product(id="other", name="o", part_number="O"))
    runs = [(ours, None), (theirs, None)]

    def complete(conn: Any) -> list[bool]:
        with row_completions.gathering(conn) as gathered:
            gathered.job_id = ours
            row_updates.update_rows(conn, PRODUCTS, [{"id": "p", "description": "ours"}])
            gathered.job_id = theirs
            changed = {"id": "other", "description": "theirs", "status": "archived"}
            row_updates.update_rows(conn, PRODUCTS, [changed])
        return row_completions.complete_with_rows(conn, OWNER, runs, set(), gathered)

    assert await db.statement(complete) == [True, False]
    async with db.read() as session:
        products = {
            product.id: (product.description, product.status, product.updated_at)
            for product in (await session.execute(select(Product))).scalars()
        }
    assert products["p"][:2] == ("ours", "active")
    assert products["other"][:2] == ("", "active")
    assert products["p"][2] > products["other"][2]
