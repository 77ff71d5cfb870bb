"""Shared fixtures: a migrated database per test and the real app over AsyncTestClient.

The database is SQLite (a file in the test's data directory, copied from one migrated once
per session) unless pytest runs with ``--backend postgresql``: then each data directory a test
makes settings for gets its own database in a throwaway PostgreSQL cluster
(:mod:`tests.postgres`), copied from one migrated once per session, and dropped when the test
ends. Tests that exercise SQLite itself carry the ``sqlite_only`` marker and are skipped
there. (An option, not a ``GRAPHQ_*`` variable: the servers some tests start inherit the
environment, and graphq refuses a variable naming no setting.)
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sqlite3
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from graphq.app import create_app
from graphq.config import Settings, load_settings
from graphq.db.database import Database
from graphq.db.migrate import upgrade
from graphq.runtime import Runtime, build_runtime
from graphq.services.keys import create_key
from tests.postgres import PostgresCluster, PostgresUnavailableError

TEST_HANDLERS = "tests.queue.handlers"
# Queue settings for an app whose tests run one job at a time with a real job kind: each
# worker process imports the kind's libraries (numpy, the digitizer, ngspice's wrapper, …)
# when the app starts, a second of CPU per test for a second worker nothing would use.
ONE_WORKER = {"worker_slots": 1}
BACKENDS = ("sqlite", "postgresql")
MIGRATED_TEMPLATE = "graphq_migrated"


@dataclass
class _DatabasePerDataDir:
    """On PostgreSQL, the database of each data directory: what the SQLite file in it is."""

    cluster: PostgresCluster
    urls: dict[Path, str] = field(default_factory=dict)

    def url_for(self, data_dir: Path) -> str:
        key = data_dir.resolve()
        if key not in self.urls:
            self.urls[key] = self.cluster.create_database(template=MIGRATED_TEMPLATE)
        return self.urls[key]

    def drop_all(self) -> None:
        for url in self.urls.values():
            self.cluster.drop_database(url)
        self.urls.clear()


_postgres_databases: _DatabasePerDataDir | None = None
# The SQLite file :func:`migrate` copies, once made (a path under the session's temp dir).
_sqlite_template: Path | None = None


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        choices=BACKENDS,
        default="sqlite",
        help="the database the app's tests run on (PostgreSQL: a throwaway local cluster)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only(reason): exercises SQLite itself; skipped on PostgreSQL"
    )


def _backend(config: pytest.Config) -> str:
    return str(config.getoption("backend"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _backend(config) != "postgresql":
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            reason = marker.args[0] if marker.args else "exercises SQLite itself"
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


@pytest.fixture(scope="session")
def postgres_cluster(pytestconfig: pytest.Config) -> Iterator[PostgresCluster]:
    """A throwaway PostgreSQL 15 cluster for the session (one per xdist worker)."""
    try:
        cluster = PostgresCluster.start()
    except PostgresUnavailableError as exc:
        if os.environ.get("CI") == "true" or _backend(pytestconfig) == "postgresql":
            raise
        pytest.skip(str(exc))
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def postgres_template(
    postgres_cluster: PostgresCluster, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """The name of a database of the cluster migrated to head, made once per session.

    ``postgres_cluster.create_database(template=postgres_template)`` copies it: a migrated
    database in a few tens of milliseconds instead of a migration run per test.
    """
    url = postgres_cluster.create_database(MIGRATED_TEMPLATE)
    upgrade(make_settings(tmp_path_factory.mktemp("template"), storage={"database_url": url}))
    return MIGRATED_TEMPLATE


@pytest.fixture
def postgres_database(postgres_cluster: PostgresCluster, postgres_template: str) -> Iterator[str]:
    """The URL of a new migrated database of the session's cluster, whatever ``--backend``
    says: for tests of PostgreSQL itself (several nodes on one database)."""
    url = postgres_cluster.create_database(template=postgres_template)
    try:
        yield url
    finally:
        postgres_cluster.drop_database(url)


@pytest.fixture(scope="session")
def _postgres_backend(request: pytest.FixtureRequest) -> Iterator[None]:
    """With ``--backend postgresql``, a database per data directory from here on."""
    global _postgres_databases
    if _backend(request.config) != "postgresql":
        yield
        return
    request.getfixturevalue("postgres_template")
    _postgres_databases = _DatabasePerDataDir(request.getfixturevalue("postgres_cluster"))
    try:
        yield
    finally:
        _postgres_databases = None


@pytest.fixture(scope="session", autouse=True)
def _sqlite_template_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Where :func:`migrate` keeps the session's migrated SQLite file (made on first use)."""
    global _sqlite_template
    _sqlite_template = tmp_path_factory.getbasetemp() / "migrated-sqlite" / "graphq.db"
    try:
        yield
    finally:
        _sqlite_template = None


@pytest.fixture(autouse=True)
def _database_backend(_postgres_backend: None) -> Iterator[None]:
    """Drop the PostgreSQL databases a test made once it (and its fixtures) ended."""
    yield
    if _postgres_databases is not None:
        _postgres_databases.drop_all()


def make_settings(data_dir: Path, **sections: dict[str, Any]) -> Settings:
    overrides: dict[str, dict[str, Any]] = {
        "storage": {"data_dir": str(data_dir)},
        "queue": {"worker_slots": 2, "lease_s": 3.0, "retry_base_s": 0.05, "retry_cap_s": 0.2},
        "events": {"keepalive_s": 1.0},
        # Tests send thousands of requests, many on purpose without a key, from one address.
        "auth": {
            "rate_limit_per_minute": 100_000,
            "rate_limit_burst": 10_000,
            "unauthenticated_per_minute": 100_000,
            "unauthenticated_burst": 10_000,
        },
    }
    for section, values in sections.items():
        overrides.setdefault(section, {}).update(values)
    if _postgres_databases is not None and "database_url" not in overrides["storage"]:
        overrides["storage"]["database_url"] = _postgres_databases.url_for(data_dir)
    return load_settings(Path("/nonexistent/config.toml"), environ={}, overrides=overrides)


def migrate(settings: Settings) -> None:
    """Bring the database of ``settings`` to head, as ``graphq serve`` does when it starts.

    A new SQLite database starts as a copy of one migrated once per session, as each test's
    PostgreSQL database is a copy of a migrated template: running the migrations would cost
    every test that starts the app a quarter of a second of CPU. Alembic runs after the copy
    all the same and finds nothing to do, so the test gets what a migration leaves either way.
    """
    database = settings.data_dir / "graphq.db"
    fresh_sqlite = settings.database_url == f"sqlite+aiosqlite:///{database}"
    if _sqlite_template is not None and fresh_sqlite and not database.exists():
        if not _sqlite_template.exists():
            made = make_settings(_sqlite_template.parent / "migrating")
            upgrade(made)
            # One self-contained file: the migration's last writes may sit in the WAL.
            with contextlib.closing(sqlite3.connect(made.data_dir / "graphq.db")) as source:
                source.execute("VACUUM INTO ?", (str(_sqlite_template),))
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_sqlite_template, database)
    upgrade(settings)


def query_rows(settings: Settings, sql: str, *params: Any) -> list[dict[str, Any]]:
    """Rows of ``sql`` (``$1``-style parameters), read through a connection of the test's own.

    Synchronous on either backend, so a test can look at the database between two awaits
    without going through the app's engine: pysqlite on SQLite, asyncpg on a thread of its
    own on PostgreSQL (the test's event loop may be running).
    """
    if not settings.database_url.startswith("postgresql"):
        with sqlite3.connect(settings.data_dir / "graphq.db", timeout=10) as conn:
            conn.row_factory = sqlite3.Row
            qmark = sql
            for index in range(len(params), 0, -1):
                qmark = qmark.replace(f"${index}", "?")
            return [dict(row) for row in conn.execute(qmark, params).fetchall()]

    async def fetch() -> list[dict[str, Any]]:
        conn = await asyncpg.connect(settings.database_url.replace("+asyncpg", ""))
        try:
            return [dict(row) for row in await conn.fetch(sql, *params)]
        finally:
            await conn.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, fetch()).result()


def database_bytes(settings: Settings) -> bytes:
    """Everything the database holds: the SQLite file with its write-ahead log (where fresh
    rows live until a checkpoint), or a dump of the PostgreSQL database."""
    if _postgres_databases is not None and settings.database_url.startswith("postgresql"):
        return _postgres_databases.cluster.dump(settings.database_url.rsplit("/", 1)[-1])
    files = sorted(settings.data_dir.glob("graphq.db*"))
    assert files, "no database file"
    return b"".join(f.read_bytes() for f in files)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data")


@dataclass
class Service:
    """The running app, its runtime, and a client authenticated as admin."""

    client: AsyncTestClient[Any]
    rt: Runtime
    admin_key: str
    _db: Database | None = None

    @property
    def db(self) -> Database:
        """The app's database through an engine of the test's own.

        The app runs on the test client's event loop in another thread; its engine's
        connections belong to that loop (asyncpg's cannot be used from another), so a test
        reads and writes through this one.
        """
        if self._db is None:
            self._db = Database(self.rt.settings.database_url)
        return self._db

    async def close(self) -> None:
        if self._db is not None:
            await self._db.dispose()

    async def key(self, role: str) -> str:
        return await make_key(self.rt.settings, role)

    async def wait_for_job(
        self, job_id: str, statuses: set[str], timeout_s: float = 20
    ) -> dict[str, Any]:
        with anyio.fail_after(timeout_s):
            while True:
                job = (await self.client.get(f"/api/job/{job_id}")).json()
                if job["status"] in statuses:
                    return job
                await anyio.sleep(0.05)

    async def create_product(self, part_number: str = "TST001", **fields: Any) -> dict[str, Any]:
        body = {"name": f"Test {part_number}", "partNumber": part_number, **fields}
        response = await self.client.post("/api/products", json=body)
        assert response.status_code == 201, response.text
        return response.json()


async def make_key(settings: Settings, role: str) -> str:
    """An API key, made through a database connection of the test's own.

    The app runs on the test client's event loop; going through its ``Database`` from the
    test's loop would share its write lock across two loops, which can deadlock.
    """
    db = Database(settings.database_url)
    try:
        _, secret = await create_key(db, name=f"test {role}", role=role)
    finally:
        await db.dispose()
    return secret


async def start_service(
    settings: Settings, handler_modules: list[str] | None
) -> AsyncIterator[Service]:
    """Migrate, make the admin key before the app starts, then run the app."""
    await anyio.to_thread.run_sync(migrate, settings)
    secret = await make_key(settings, "admin")
    rt = build_runtime(settings, handler_modules=handler_modules)
    async with AsyncTestClient(create_app(settings, runtime=rt)) as client:
        client.headers["Authorization"] = f"Bearer {secret}"
        service = Service(client, rt, secret)
        try:
            yield service
        finally:
            await service.close()


@pytest.fixture
async def service(settings: Settings) -> AsyncIterator[Service]:
    """The app with the queue-exercising job kinds only (fast to start)."""
    async for running in start_service(settings, [TEST_HANDLERS]):
        yield running
