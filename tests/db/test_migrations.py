"""The Alembic migrations build exactly the schema the ORM models describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from graphq.config import Settings
from graphq.db.migrate import upgrade
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
