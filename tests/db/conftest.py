"""The database tests run on both backends whatever ``--backend`` says."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphq.config import Settings
from tests.conftest import make_settings


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings on a database with nothing in it: a new SQLite file, or a new PostgreSQL one."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{data_dir / 'graphq.db'}"
    else:
        url = request.getfixturevalue("postgres_cluster").create_database()
    return make_settings(data_dir, storage={"database_url": url})
