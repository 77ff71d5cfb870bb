"""Database: write sessions and queue transactions on SQLite and on PostgreSQL."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta, timezone

import anyio
import anyio.lowlevel
import pytest
from sqlalchemy import JSON, Column, Connection, Integer, MetaData, String, Table, select, text
from sqlalchemy import update as update_rows
from sqlalchemy.exc import OperationalError

from graphq.config import Settings
from graphq.db.database import Database
from graphq.db.models import UtcDateTime
from tests.postgres import PostgresCluster

METADATA = MetaData()
COUNTERS = Table(
    "counters",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("n", Integer, nullable=False),
    Column("state", String(10), nullable=False),
    Column("at", UtcDateTime, nullable=True),
    Column("facts", JSON, nullable=True),
)

INCREMENT = update_rows(COUNTERS).values(n=COUNTERS.c.n + 1)


async def with_counters(url: str) -> Database:
    db = Database(url)
    await db.transact(lambda conn: METADATA.create_all(conn))
    await db.transact(
        lambda conn: conn.execute(
            COUNTERS.insert(), [{"id": 1, "n": 0, "state": "a"}, {"id": 2, "n": 0, "state": "a"}]
        )
    )
    return db


@pytest.fixture
async def db(empty_database: Settings) -> AsyncIterator[Database]:
    database = await with_counters(empty_database.database_url)
    try:
        yield database
    finally:
        await database.dispose()


async def counts(db: Database) -> list[int]:
    async with db.read() as session:
        return list((await session.scalars(select(COUNTERS.c.n).order_by(COUNTERS.c.id))).all())


@pytest.mark.parametrize("long", [False, True], ids=["short", "long"])
async def test_a_write_commits_on_success_and_rolls_back_on_error(db: Database, long: bool) -> None:
    async with db.write(long=long) as session:
        await session.execute(update_rows(COUNTERS).where(COUNTERS.c.id == 1).values(n=5))
    with pytest.raises(RuntimeError):
        async with db.write(long=long) as session:
            await session.execute(update_rows(COUNTERS).where(COUNTERS.c.id == 2).values(n=7))
            raise RuntimeError("after the update")
    assert await counts(db) == [5, 0]


async def test_a_transaction_of_core_statements_takes_effect_whole_or_not_at_all(
    db: Database,
) -> None:
    def both_then_fail(conn: Connection) -> None:
        conn.execute(update_rows(COUNTERS).values(n=COUNTERS.c.n + 1))
        raise RuntimeError("after the update")

    with pytest.raises(RuntimeError):
        await db.transact(both_then_fail)
    assert await counts(db) == [0, 0]
    changed = await db.transact(
        lambda conn: conn.execute(update_rows(COUNTERS).values(n=COUNTERS.c.n + 1)).rowcount
    )
    assert changed == 2
    assert await counts(db) == [1, 1]


async def test_times_come_back_aware_in_utc_and_json_as_it_went_in(db: Database) -> None:
    paris = timezone(timedelta(hours=1))
    written = datetime(2026, 12, 7, 5, 30, 15, 250_000, tzinfo=paris)
    facts = {"axes": {"x": [0, 1.5]}, "labels": ["VGS = 10 V"], "ok": True, "none": None}
    async with db.write() as session:
        await session.execute(
            update_rows(COUNTERS).where(COUNTERS.c.id == 1).values(at=written, facts=facts)
        )
    async with db.read() as session:
        columns = select(COUNTERS.c.at, COUNTERS.c.facts).where(COUNTERS.c.id == 1)
        at, stored = (await session.execute(columns)).one()
    assert at == written and at.utcoffset() == timedelta(0) and at.tzinfo == UTC
    assert stored == facts


async def test_writes_wait_for_each_other_on_sqlite_and_run_side_by_side_on_postgresql(
    db: Database,
) -> None:
    second_inside = anyio.Event()
    seen_while_writing: list[bool] = []

    async def first() -> None:
        async with db.write() as session:
            await session.execute(update_rows(COUNTERS).where(COUNTERS.c.id == 1).values(n=1))
            with anyio.move_on_after(1.0):
                await second_inside.wait()
            seen_while_writing.append(second_inside.is_set())

    async def second() -> None:
        async with db.write() as session:
            await session.execute(update_rows(COUNTERS).where(COUNTERS.c.id == 2).values(n=1))
            second_inside.set()

    async with anyio.create_task_group() as tasks:
        tasks.start_soon(first)
        await anyio.lowlevel.checkpoint()
        tasks.start_soon(second)
    assert seen_while_writing == [not db.is_sqlite]
    assert await counts(db) == [1, 1]


async def test_of_two_racing_conditional_updates_from_two_processes_exactly_one_wins(
    empty_database: Settings,
) -> None:
    """Two engines stand for two servers: neither's in-process lock orders them."""
    one = await with_counters(empty_database.database_url)
    other = Database(empty_database.database_url)

    def move_a_to_b(conn: Connection) -> int:
        statement = update_rows(COUNTERS).where(COUNTERS.c.id == 1, COUNTERS.c.state == "a")
        changed = conn.execute(statement.values(state="b", n=COUNTERS.c.n + 1)).rowcount
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_sleep(0.2)"))  # the other waits on the row meanwhile
        return changed

    results: list[int] = []

    async def run(db: Database) -> None:
        results.append(await db.transact(move_a_to_b))

    try:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(run, one)
            tasks.start_soon(run, other)
        assert sorted(results) == [0, 1]
        assert await counts(one) == [1, 0]
    finally:
        await one.dispose()
        await other.dispose()


async def test_transactions_postgresql_aborts_as_deadlocked_run_again_until_both_take_effect(
    postgres_cluster: PostgresCluster,
) -> None:
    url = postgres_cluster.create_database()
    one, other = await with_counters(url), Database(url)
    runs = 0

    def bump(first: int, second: int) -> Callable[[Connection], None]:
        def transaction(conn: Connection) -> None:
            nonlocal runs
            runs += 1
            conn.execute(INCREMENT.where(COUNTERS.c.id == first))
            conn.execute(text("SELECT pg_sleep(0.3)"))  # both hold their first row by now
            conn.execute(INCREMENT.where(COUNTERS.c.id == second))

        return transaction

    try:
        assert await one.ping() and await other.ping()
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(one.transact, bump(1, 2))
            tasks.start_soon(other.transact, bump(2, 1))
        assert await counts(one) == [2, 2]
        assert runs == 3  # one of the two was the deadlock's victim and ran again
    finally:
        await one.dispose()
        await other.dispose()
        postgres_cluster.drop_database(url)


async def test_the_sqlite_reader_sees_the_latest_commit_refuses_writes_and_closes_with_the_database(
    db: Database,
) -> None:
    if not db.is_sqlite:
        pytest.skip("the thread's own reader exists on SQLite only")
    await db.transact(lambda conn: conn.execute(INCREMENT.where(COUNTERS.c.id == 1)))
    with db.sqlite_reader().connect() as conn:
        assert conn.execute(select(COUNTERS.c.n).where(COUNTERS.c.id == 1)).scalar() == 1
        with pytest.raises(OperationalError, match="readonly"):
            conn.execute(INCREMENT)
        raw = conn.connection.dbapi_connection
    assert raw is not None
    await db.dispose()
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        raw.execute("SELECT 1")
