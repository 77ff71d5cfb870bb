"""The Alembic migrations build exactly the schema the ORM models describe."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from graphq.config import Settings
from graphq.db.migrate import alembic_config, upgrade
from graphq.db.models import Base


def test_migrated_database_matches_the_models(settings: Settings, tmp_path: Path) -> None:
    upgrade(settings)
    engine = create_engine(f"sqlite:///{settings.data_dir / 'graphq.db'}")
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection)
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_result_acceptance_migration_downgrades_and_upgrades_again(
    settings: Settings,
) -> None:
    upgrade(settings)
    config = alembic_config(settings)
    command.downgrade(config, "0005")
    engine = create_engine(f"sqlite:///{settings.data_dir / 'graphq.db'}")
    try:
        columns = {c["name"] for c in inspect(engine).get_columns("extraction_results")}
        assert "accepted_at" not in columns and "accepted_by" not in columns
        engine.dispose()
        upgrade(settings)
        columns = {c["name"] for c in inspect(engine).get_columns("extraction_results")}
        assert {"accepted_at", "accepted_by"} <= columns
    finally:
        engine.dispose()
