"""The rows inserted and the claim written as plain SQL on pysqlite read back exactly as the
same written by SQLAlchemy's Core statements; a group's completion stores its times alike."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import anyio
import pytest
from sqlalchemy import JSON, Connection, Table, text
from sqlalchemy.dialects import sqlite

from graphq.config import Settings
from graphq.db.database import Database
from graphq.db.migrate import upgrade
from graphq.db.models import ExtractionResult, Job, UtcDateTime, new_id
from graphq.queue import new_rows, sqlite_path, store

pytestmark = pytest.mark.sqlite_only("the queue's plain-SQL path on pysqlite")

OWNER = "host:1:abcd"
PARAMETERS = {"seconds": 0.5, "steps": [1, 2]}
# Each transition's columns as stored: plain values, then times (compared by their text form).
CLAIMED = ("status", "attempts", "lease_owner", "progress", "current_step", "next_attempt_at")
CLAIMED_TIMES = ("started_at", "lease_expires_at", "updated_at")
COMPLETED = ("status", "progress", "current_step", "lease_owner", "lease_expires_at")
COMPLETED_TIMES = ("completed_at", "updated_at")


async def _two_waiting_jobs(db: Database) -> tuple[str, str]:
    async with db.write() as session:
        await session.execute(
            text(
                "INSERT INTO products (id, name, manufacturer, part_number, device_type, "
                "package, description, status, created_at, updated_at) VALUES "
                "('p', 'p', '', 'P', 'Si-MOSFET', '', '', 'active', '2026-01-01', '2026-01-01')"
            )
        )
        await session.execute(
            text(
                "INSERT INTO extraction_queues (id, name, mode, status, max_concurrent_jobs, "
                "priority_policy, description, settings, created_at, updated_at) VALUES "
                "('q', 'q', 'automatic', 'active', 2, 'priority', '', '{}', "
                "'2026-01-01', '2026-01-01')"
            )
        )
    ids = new_id(), new_id()
    rows = [
        {
            "id": job_id,
            "product_id": "p",
            "queue_id": "q",
            "kind": "noop",
            "status": "queued",
            "enqueued_ns": time.time_ns(),
            "parameters": PARAMETERS,
        }
        for job_id in ids
    ]
    await new_rows.enqueue(db, rows)
    return ids


async def _through_core(db: Database, fn: Callable[[Connection], Any]) -> Any:
    """``fn`` on a connection that is not pysqlite's (aiosqlite's): the Core statements run."""
    async with db.engine.begin() as connection:
        return await connection.run_sync(fn)


async def _stored(db: Database, job_id: str, columns: tuple[str, ...]) -> tuple[Any, ...]:
    async with db.read() as session:
        sql = f"SELECT {', '.join(columns)} FROM jobs WHERE id = :id"
        return tuple((await session.execute(text(sql), {"id": job_id})).one())


def _same_form(raw: tuple[Any, ...], core: tuple[Any, ...]) -> bool:
    """Times stored as the same kind of text: SQLite orders and compares them alike."""
    return all(isinstance(a, str) and len(a) == len(b) for a, b in zip(raw, core, strict=True))


def test_claim_on_pysqlite_stores_what_the_core_claim_stores_and_a_group_completes_each_job(
    settings: Settings,
) -> None:
    upgrade(settings)

    async def scenario() -> None:
        db = Database(settings.database_url)
        try:
            assert db.writer is not None
            with db.writer.engine.connect() as connection:
                assert sqlite_path.pysqlite(connection) is not None
            raw_id, core_id = await _two_waiting_jobs(db)

            _, raw = await db.transact(lambda c: store.claim_in(c, [raw_id], OWNER, 30))
            _, core = await _through_core(db, lambda c: store.claim_in(c, [core_id], OWNER, 30))
            assert raw[raw_id].parameters == core[core_id].parameters == PARAMETERS
            assert raw[raw_id].attempts == core[core_id].attempts == 1
            assert await _stored(db, raw_id, CLAIMED) == await _stored(db, core_id, CLAIMED)
            raw_times = await _stored(db, raw_id, CLAIMED_TIMES)
            assert _same_form(raw_times, await _stored(db, core_id, CLAIMED_TIMES))
            started_at, _, updated_at = raw_times
            assert updated_at >= started_at  # the claim counts as a change of the row

            started = store.utcnow()
            assert await db.transact(
                lambda c: store.mark_all_completed(c, OWNER, [(raw_id, started)])
            ) == [True]
            both = [(raw_id, started), (core_id, started)]  # the first is no longer processing
            assert await db.transact(lambda c: store.mark_all_completed(c, OWNER, both)) == [
                False,
                True,
            ]
            stored = await _stored(db, raw_id, COMPLETED)
            assert stored == await _stored(db, core_id, COMPLETED)
            assert stored == ("completed", 100.0, "completed", None, None)
            raw_times = await _stored(db, raw_id, COMPLETED_TIMES)
            claimed_times = await _stored(db, core_id, ("started_at", "updated_at"))
            assert _same_form(raw_times, claimed_times)  # as the Core claim wrote times
            completed_at, updated_at = raw_times
            assert updated_at >= completed_at
            async with db.read() as session:
                job = await session.get(Job, raw_id)
            assert job is not None and job.completed_at is not None and job.started_at is not None
            assert job.completed_at.tzinfo is not None and job.started_at <= job.completed_at
            assert job.actual_duration is not None and job.actual_duration >= 0
        finally:
            await db.dispose()

    anyio.run(scenario)


def test_jobs_inserted_on_pysqlite_store_what_the_core_insert_stores(settings: Settings) -> None:
    upgrade(settings)
    given = {
        "product_id": "p",
        "queue_id": "q",
        "kind": "noop",
        "priority": "high",
        "enqueued_ns": time.time_ns(),
        "parameters": PARAMETERS,
        "next_attempt_at": store.utcnow(),
    }

    async def scenario() -> None:
        db = Database(settings.database_url)
        try:
            await _two_waiting_jobs(db)  # the product and the queue the jobs belong to
            raw_row, core_row = new_rows.job_row(given), new_rows.job_row(given)
            await db.transact(lambda c: new_rows.insert_jobs(c, [raw_row]))
            await _through_core(db, lambda c: new_rows.insert_jobs(c, [core_row]))
            columns = tuple(c for c in raw_row if c != "id")
            times = tuple(c for c in columns if c.endswith("_at") and raw_row[c] is not None)
            plain = tuple(c for c in columns if c not in times)
            stored = await _stored(db, raw_row["id"], plain)
            assert stored == await _stored(db, core_row["id"], plain)
            assert dict(zip(plain, stored, strict=True))["status"] == "queued"
            raw_times = await _stored(db, raw_row["id"], times)
            assert _same_form(raw_times, await _stored(db, core_row["id"], times))
            async with db.read() as session:
                job = await session.get(Job, raw_row["id"])
            assert job is not None and job.parameters == PARAMETERS and job.attempts == 0
            assert job.created_at == raw_row["created_at"]
        finally:
            await db.dispose()

    anyio.run(scenario)


def test_result_rows_inserted_on_pysqlite_read_back_as_the_core_insert_stores_them(
    settings: Settings,
) -> None:
    upgrade(settings)
    results = ExtractionResult.__table__
    assert isinstance(results, Table)

    async def scenario() -> None:
        db = Database(settings.database_url)
        try:
            job_id, _ = await _two_waiting_jobs(db)
            given = {
                "job_id": job_id,
                "product_id": "p",
                "metadata": {"curves": [{"name": "Vgs=4V", "points": 3}]},
                "review_reasons": [{"code": "FAINT", "message": "faint trace"}],
                "needs_review": True,
                "confidence": 0.75,
            }
            raw_row = new_rows.table_row(results, given)
            core_row = new_rows.table_row(results, {**given, "image_id": None})
            assert raw_row["id"] != core_row["id"] and raw_row["parameters"] == {}
            await db.transact(lambda c: new_rows.insert_rows(c, results, [raw_row]))
            await _through_core(db, lambda c: new_rows.insert_rows(c, results, [core_row]))
            async with db.read() as session:
                raw = await session.get(ExtractionResult, raw_row["id"])
                core = await session.get(ExtractionResult, core_row["id"])
            assert raw is not None and core is not None
            for name in ("result_metadata", "review_reasons", "needs_review", "confidence"):
                assert getattr(raw, name) == getattr(core, name)
            assert raw.result_metadata == given["metadata"] and raw.needs_review is True
            assert raw.created_at == raw_row["created_at"] and raw.created_at.tzinfo is not None
            assert raw.accepted_at is None and raw.parameters == {}
        finally:
            await db.dispose()

    anyio.run(scenario)


def test_times_and_json_are_converted_as_sqlalchemy_converts_them_for_sqlite() -> None:
    dialect = sqlite.dialect()
    as_core = UtcDateTime().dialect_impl(dialect).bind_processor(dialect)
    json_as_core = JSON().dialect_impl(dialect).bind_processor(dialect)
    assert as_core is not None and json_as_core is not None
    moments = [
        datetime(2026, 12, 7, 13, 0, tzinfo=UTC),  # no microseconds
        datetime(999, 1, 2, 3, 4, 5, 6, tzinfo=UTC),  # a year of three digits
        datetime(2026, 6, 30, 23, 59, 59, 999_999, tzinfo=timezone(timedelta(hours=-5))),
    ]
    for moment in moments:
        assert sqlite_path.stored_time(moment) == as_core(moment)
    with pytest.raises(ValueError, match="naive"):
        sqlite_path.stored_time(datetime(2026, 1, 1))
    for value in ({}, [], {"a": [1.5, "é", None]}, [{}], 0, "", False):
        assert sqlite_path.stored_json(value) == json_as_core(value)
