"""The Alembic migrations build exactly the schema the ORM models describe, on both backends."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

import asyncpg
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, event, inspect, select, true
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from graphq.config import Settings
from graphq.db.database import Database
from graphq.db.migrate import alembic_config, upgrade
from graphq.db.models import (
    WAITING_LETTERS,
    Base,
    Batch,
    DeadLetter,
    ExtractionQueue,
    Job,
    Product,
    utcnow,
)
from graphq.queue.event_relay import asyncpg_dsn
from graphq.services import batches, jobs, monitor, stats
from tests.conftest import query_rows
from tests.queue.helpers import counted, recounted

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
ENDED = ("completed", "dead")
# A sort in a plan: SQLite's temporary b-tree, PostgreSQL's Sort node.
_SORT_NODE = re.compile(r"TEMP B-TREE|->\s+Sort\s")


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


async def _reads_by_kind(db: Database, _batch_id: str) -> None:
    async with db.read() as session:
        await jobs.average_duration_s(session, "digitize")
        await stats.recent_durations(session, Job.kind == "digitize")


async def _job_list_by_kind(db: Database, _batch_id: str) -> None:
    await jobs.list_jobs(db, jobs.JobFilter(kind="spice_fit"), limit=50)


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
        # Either index of ended jobs (each holds only them, migrations 0010 and 0011): on an
        # empty table PostgreSQL's costs do not tell them apart.
        assert re.search(r"ix_jobs_(kind_)?completed\b", plan), f"{statement}\n  planned as: {plan}"


def test_the_kind_index_of_ended_jobs_still_answers_the_reads_by_kind(
    empty_database: Settings,
) -> None:
    upgrade(empty_database)
    plans = asyncio.run(_plans_of_reads(empty_database, _reads_by_kind))
    assert len(plans) == 2  # the wait estimate's mean run time, the performance view's durations
    for statement, plan in plans:
        assert "ix_jobs_kind_completed" in plan, f"{statement}\n  planned as: {plan}"


def test_the_job_list_by_kind_filters_in_the_index_of_creation_order(
    empty_database: Settings,
) -> None:
    """PostgreSQL reads a kind's list by a scan of the table once it knows the table's size;
    told to avoid one, it must filter the kind in the index (an index condition), unsorted."""
    upgrade(empty_database)
    plans = asyncio.run(_plans_of_reads(empty_database, _job_list_by_kind))
    assert len(plans) == 2  # the count, the page
    for statement, plan in plans:
        if empty_database.database_url.startswith("sqlite"):
            in_index = "COVERING INDEX ix_jobs_created" in plan or (
                "INDEX ix_jobs_created" in plan and "TEMP B-TREE" not in plan
            )
        else:
            in_index = (
                "using ix_jobs_created" in plan
                and re.search(r"Index Cond: \(+kind\b", plan) is not None
                and _SORT_NODE.search(plan) is None
            )
        assert in_index, f"{statement}\n  planned as: {plan}"


async def _add_jobs(settings: Settings, jobs_made: list[dict[str, Any]]) -> None:
    """Jobs of one queue and one product, each made of its fields."""
    db = Database(settings.database_url)
    try:
        async with db.write() as session:
            queue = ExtractionQueue(name="default")
            product = Product(name="p", part_number="P1")
            session.add_all([queue, product])
            await session.flush()
            session.add_all(
                Job(product_id=product.id, queue_id=queue.id, **fields) for fields in jobs_made
            )
    finally:
        await db.dispose()


async def _add_jobs_of_every_state(settings: Settings) -> None:
    """Two kinds' jobs, ended and not, as a database in use holds them."""
    now = utcnow()
    made = [
        ("digitize", "completed"),
        ("digitize", "completed"),
        ("digitize", "dead"),
        ("digitize", "queued"),
        ("spice_fit", "completed"),
        ("spice_fit", "processing"),
    ]
    await _add_jobs(
        settings,
        [
            {
                "kind": kind,
                "status": status,
                "completed_at": now - timedelta(minutes=n) if status in ENDED else None,
                "actual_duration": 1.5 + n if status == "completed" else None,
            }
            for n, (kind, status) in enumerate(made)
        ],
    )


async def _answers_by_kind(settings: Settings) -> list[Any]:
    """What the reads by kind answer: mean run times, latest durations, the kind's list."""
    db = Database(settings.database_url)
    try:
        answers: list[Any] = []
        for kind in ("digitize", "spice_fit"):
            async with db.read() as session:
                answers.append(await jobs.average_duration_s(session, kind))
                answers.append(await stats.recent_durations(session, Job.kind == kind))
            page, total = await jobs.list_jobs(db, jobs.JobFilter(kind=kind), limit=50)
            answers.append((sorted(job.status for job in page), total))
        return answers
    finally:
        await db.dispose()


def _index_named(name: str) -> Callable[[Connection], dict[str, Any]]:
    def find(connection: Connection) -> dict[str, Any]:
        (index,) = [i for i in inspect(connection).get_indexes("jobs") if i["name"] == name]
        return dict(index)

    return find


def _predicate(index: dict[str, Any]) -> str:
    """The WHERE of a partial index, as either backend reports it."""
    options = index["dialect_options"]
    return str(options.get("sqlite_where", options.get("postgresql_where")))


def test_upgrading_a_database_in_use_to_the_kind_index_of_ended_jobs_keeps_every_answer(
    empty_database: Settings,
) -> None:
    upgrade(empty_database, "0010")
    asyncio.run(_add_jobs_of_every_state(empty_database))
    before = asyncio.run(_answers_by_kind(empty_database))
    upgrade(empty_database)
    assert asyncio.run(_answers_by_kind(empty_database)) == before
    assert before[0] == 2.0 and before[2] == (["completed", "completed", "dead", "queued"], 4)
    created = on_database(empty_database, _index_named("ix_jobs_created"))
    assert created["column_names"] == ["created_at", "enqueued_ns", "id", "kind"]
    index = on_database(empty_database, _index_named("ix_jobs_kind_completed"))
    assert index["column_names"] == ["kind", "status", "completed_at", "actual_duration"]
    assert "completed_at IS NOT NULL" in _predicate(index)


async def _recent_jobs(db: Database, _batch_id: str) -> None:
    await monitor.recent_jobs(db, 10)


def _parts(plan: str) -> list[str]:
    """The plans of a UNION ALL's parts, in the statement's order, each up to its LIMIT:
    SQLite's co-routines, the limits under PostgreSQL's append."""
    if "CO-ROUTINE" in plan:
        return [body for _name, body in re.findall(r"CO-ROUTINE (\w+) / (.*?) / SCAN \1\b", plan)]
    return plan.split("->  Limit")[1:]


def test_the_recent_jobs_are_read_through_the_updated_index_and_the_status_index(
    empty_database: Settings,
) -> None:
    """One statement; only the running jobs (a few) and the parts' first rows are sorted."""
    upgrade(empty_database)
    ((statement, plan),) = asyncio.run(_plans_of_reads(empty_database, _recent_jobs))
    changed, running, as_inserted = _parts(plan)
    assert "ix_jobs_updated" in changed, f"{statement}\n  planned as: {plan}"
    assert "ix_jobs_status_created" in running, f"{statement}\n  planned as: {plan}"
    assert "ix_jobs_status_created" in as_inserted, f"{statement}\n  planned as: {plan}"
    for part in (changed, as_inserted):
        assert _SORT_NODE.search(part) is None, f"{statement}\n  planned as: {plan}"


async def _add_jobs_changed_at_different_moments(settings: Settings) -> None:
    """Jobs in every state, each named (``current_step``) by how many minutes ago it last
    changed; the three ``as inserted`` ones were last changed when they were created."""
    now = utcnow()
    made = [  # (status, minutes since created, since last changed)
        ("queued", 1, 1),
        ("queued", 10, 2),  # re-prioritised
        ("processing", 9, 3),
        ("completed", 8, 4),
        ("queued", 5, 5),
        ("pending", 7, 6),
        ("dead", 12, 8),
        ("queued", 11, 11),
        ("completed", 14, 13),
    ]
    await _add_jobs(
        settings,
        [
            {
                "status": status,
                "current_step": f"{changed} min ago",
                "created_at": now - timedelta(minutes=created),
                "updated_at": now - timedelta(minutes=changed),
                "completed_at": now - timedelta(minutes=changed) if status in ENDED else None,
            }
            for status, created, changed in made
        ],
    )


async def _recent_jobs_of_every_length(settings: Settings) -> list[list[str]]:
    db = Database(settings.database_url)
    try:
        return [
            [job.current_step for job in await monitor.recent_jobs(db, limit)]
            for limit in range(0, 12)
        ]
    finally:
        await db.dispose()


def test_upgrading_a_database_in_use_to_the_updated_index_of_jobs_at_rest_keeps_the_recent_jobs(
    empty_database: Settings,
) -> None:
    upgrade(empty_database, "0011")
    asyncio.run(_add_jobs_changed_at_different_moments(empty_database))
    before = asyncio.run(_recent_jobs_of_every_length(empty_database))
    upgrade(empty_database)
    after = asyncio.run(_recent_jobs_of_every_length(empty_database))
    minutes = [1, 2, 3, 4, 5, 6, 8, 11, 13]
    assert after == before == [[f"{m} min ago" for m in minutes[:n]] for n in range(0, 12)]
    index = on_database(empty_database, _index_named("ix_jobs_updated"))
    assert "updated_at <> created_at" in _predicate(index)


async def _notifications_of_a_publish(settings: Settings) -> list[Any]:
    """What ``graphq_publish_events`` notifies for two events: each payload, decoded where it is
    JSON (``""`` before revision 0013)."""
    dsn = asyncpg_dsn(settings.database_url)
    listener, writer = await asyncpg.connect(dsn), await asyncpg.connect(dsn)
    heard: list[str] = []
    try:
        await listener.add_listener("graphq_events", lambda *args: heard.append(args[-1]))
        await writer.execute(
            "SELECT graphq_publish_events($1, $2, $3, $4, $5)",
            "node-a",
            ["job:progress_updated", "queue:status_changed"],
            [None, "q1"],
            ["j1", None],
            ['{"progress":0.5}', '{"status":"paused"}'],
        )
        await listener.execute("SELECT 1")  # a round trip after the commit: notified by now
        return [json.loads(payload) if payload else payload for payload in heard]
    finally:
        await listener.close()
        await writer.close()


def test_the_outbox_notification_carries_its_events_from_revision_0013(
    empty_postgresql_database: Settings,
) -> None:
    settings = empty_postgresql_database
    upgrade(settings)
    events: list[list[Any]] = [
        ["job:progress_updated", None, "j1", {"progress": 0.5}],
        ["queue:status_changed", "q1", None, {"status": "paused"}],
    ]
    assert asyncio.run(_notifications_of_a_publish(settings)) == [
        ["node-a", [[1, *events[0]], [2, *events[1]]]]
    ]
    command.downgrade(alembic_config(settings), "0012")
    assert asyncio.run(_notifications_of_a_publish(settings)) == [""]
    upgrade(settings)
    assert asyncio.run(_notifications_of_a_publish(settings)) == [
        ["node-a", [[5, *events[0]], [6, *events[1]]]]
    ]


async def _add_dead_letters(settings: Settings) -> None:
    """The dead job's letter awaiting reprocessing, and an older one of it reprocessed."""
    db = Database(settings.database_url)
    try:
        async with db.write() as session:
            (dead,) = (await session.execute(select(Job.id).where(Job.status == "dead"))).all()
            session.add_all(
                [
                    DeadLetter(job_id=dead.id, error_code="FLAKY"),
                    DeadLetter(job_id=dead.id, error_code="FLAKY", reprocessed_at=utcnow()),
                ]
            )
    finally:
        await db.dispose()


def test_the_queue_counters_are_filled_from_the_rows_a_database_in_use_holds(
    empty_database: Settings,
) -> None:
    upgrade(empty_database, "0013")
    asyncio.run(_add_jobs_of_every_state(empty_database))
    asyncio.run(_add_dead_letters(empty_database))
    upgrade(empty_database)
    filled = counted(empty_database)
    assert filled == recounted(empty_database)
    assert sorted((status, n) for (_q, status, _p), n in filled.items()) == [
        ("completed", 3),
        ("dead", 1),
        (WAITING_LETTERS, 1),
        ("processing", 1),
        ("queued", 1),
    ]
    command.downgrade(alembic_config(empty_database), "0013")
    assert "queue_counts" not in on_database(empty_database, tables)
    # Without the counters' triggers, jobs still change.
    query_rows(empty_database, "UPDATE jobs SET status = 'completed' WHERE status = 'queued'")
    upgrade(empty_database)
    assert counted(empty_database) == recounted(empty_database)
