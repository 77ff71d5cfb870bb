"""The Alembic migrations build exactly the schema the ORM models describe, on both backends."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from graphq.config import Settings
from graphq.db.migrate import alembic_config, upgrade
from graphq.db.models import Base

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
