"""The database tests run on both backends whatever ``--backend`` says."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphq.config import Settings
from tests.conftest import make_settings
from tests.postgres import PostgresCluster


def _settings_on(tmp_path: Path, url: str | None) -> Settings:
    """Settings whose data directory is new, on ``url`` or a new SQLite file in it."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    url = url or f"sqlite+aiosqlite:///{data_dir / 'graphq.db'}"
    return make_settings(data_dir, storage={"database_url": url})


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings on a database with nothing in it: a new SQLite file, or a new PostgreSQL one."""
    if request.param == "sqlite":
        return _settings_on(tmp_path, None)
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    return _settings_on(tmp_path, cluster.create_database())


@pytest.fixture
def empty_postgresql_database(postgres_cluster: PostgresCluster, tmp_path: Path) -> Settings:
    """Settings on a new, empty PostgreSQL database: for what only PostgreSQL has (functions)."""
    return _settings_on(tmp_path, postgres_cluster.create_database())
