"""The Alembic migrations build exactly the schema the ORM models describe, on both backends."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, event, inspect, true
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from graphq.config import Settings
from graphq.db.database import Database
from graphq.db.migrate import alembic_config, upgrade
from graphq.db.models import Base, Batch, ExtractionQueue
from graphq.services import batches, jobs, monitor, stats

T = TypeVar("T")


def on_database(settings: Settings, fn: Callable[[Connection], T]) -> T:
    """``fn`` of a synchronous connection to the database (through the async driver)."""

    async def run() -> T:
        engine = create_async_engine(settings.database_url, poolclass=NullPool)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(fn)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def differences_from_models(connection: Connection) -> list[Any]:
    return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


def tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


def result_columns(connection: Connection) -> set[str]:
    return {c["name"] for c in inspect(connection).get_columns("extraction_results")}


def test_migrated_database_matches_the_models(empty_database: Settings) -> None:
    upgrade(empty_database)
    assert on_database(empty_database, differences_from_models) == []


def test_every_migration_downgrades_to_an_empty_database_and_upgrades_again(
    empty_database: Settings,
) -> None:
    upgrade(empty_database)
    command.downgrade(alembic_config(empty_database), "base")
    assert on_database(empty_database, tables) == set()
    upgrade(empty_database)
    assert on_database(empty_database, differences_from_models) == []


def test_result_acceptance_migration_downgrades_and_upgrades_again(
    empty_database: Settings,
) -> None:
    upgrade(empty_database)
    command.downgrade(alembic_config(empty_database), "0005")
    columns = on_database(empty_database, result_columns)
    assert "accepted_at" not in columns and "accepted_by" not in columns
    upgrade(empty_database)
    assert {"accepted_at", "accepted_by"} <= on_database(empty_database, result_columns)


Reads = Callable[[Database, str], Awaitable[Any]]


async def _review_and_batch_reads(db: Database, batch_id: str) -> None:
    await monitor.jobs_needing_review(db)
    await jobs.list_jobs(db, jobs.JobFilter(needs_review=True), limit=50)
    await jobs.list_jobs(db, jobs.JobFilter(batch_id=batch_id), limit=50)
    await batches.get_batch(db, batch_id)


async def _reads_of_ended_jobs(db: Database, _batch_id: str) -> None:
    await stats.global_stats(db)
    await monitor.hourly_stats(db)
    async with db.read() as session:
        await stats.recent_durations(session, true())


async def _plans_of_reads(settings: Settings, reads: Reads) -> list[tuple[str, str]]:
    """(statement, its plan) of every read of the job table that ``reads`` makes; PostgreSQL
    is told to avoid a sequential scan wherever it can, so its plan says whether an index can
    answer."""
    db = Database(settings.database_url)
    statements: list[tuple[str, Any]] = []

    def capture(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().startswith("SELECT") and "FROM jobs" in statement:
            statements.append((statement, parameters))

    try:
        async with db.write() as session:
            queue = ExtractionQueue(name="default")
            session.add(queue)
            await session.flush()
            batch = Batch(queue_id=queue.id)
            session.add(batch)
        event.listen(db.engine.sync_engine, "before_cursor_execute", capture)
        await reads(db, batch.id)
        event.remove(db.engine.sync_engine, "before_cursor_execute", capture)
        plans = []
        async with db.engine.connect() as connection:
            driver = (await connection.get_raw_connection()).driver_connection
            assert driver is not None
            for statement, parameters in statements:
                if db.is_sqlite:
                    cursor = await driver.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
                    rows = await cursor.fetchall()
                    plan = " / ".join(str(row[-1]) for row in rows)
                else:
                    await driver.execute("SET enable_seqscan = off")
                    rows = await driver.fetch(f"EXPLAIN {statement}", *parameters)
                    plan = " / ".join(str(row[0]) for row in rows)
                plans.append((" ".join(statement.split()), plan))
        return plans
    finally:
        await db.dispose()


def test_partial_job_indexes_still_answer_the_reads_they_serve(empty_database: Settings) -> None:
    upgrade(empty_database)
    plans = asyncio.run(_plans_of_reads(empty_database, _review_and_batch_reads))
    assert len(plans) == 6  # the review count, each filtered page and its count, a batch's jobs
    for statement, plan in plans:
        index = "ix_jobs_batch" if "batch_id =" in statement else "ix_jobs_needs_review"
        assert index in plan, f"{statement}\n  planned as: {plan}"


def test_the_index_of_ended_jobs_still_answers_the_reads_of_ended_jobs(
    empty_database: Settings,
) -> None:
    upgrade(empty_database)
    plans = asyncio.run(_plans_of_reads(empty_database, _reads_of_ended_jobs))
    ended = [
        (statement, plan)
        for statement, plan in plans
        if "completed_at >=" in statement or "ORDER BY jobs.completed_at DESC" in statement
    ]
    # the last hour's outcomes and durations, the hourly history, the latest durations
    assert len(ended) >= 4, plans
    for statement, plan in ended:
        assert "ix_jobs_completed" in plan, f"{statement}\n  planned as: {plan}"
