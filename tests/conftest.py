"""Shared fixtures: a migrated SQLite file per test and the real app over AsyncTestClient."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import pytest
from litestar.testing import AsyncTestClient

from graphq.app import create_app
from graphq.config import Settings, load_settings
from graphq.db.database import Database
from graphq.db.migrate import upgrade
from graphq.runtime import Runtime, build_runtime
from graphq.services.keys import create_key

TEST_HANDLERS = "tests.queue.handlers"


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
    return load_settings(Path("/nonexistent/config.toml"), environ={}, overrides=overrides)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data")


@dataclass
class Service:
    """The running app, its runtime, and a client authenticated as admin."""

    client: AsyncTestClient[Any]
    rt: Runtime
    admin_key: str

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
    await anyio.to_thread.run_sync(upgrade, settings)
    secret = await make_key(settings, "admin")
    rt = build_runtime(settings, handler_modules=handler_modules)
    async with AsyncTestClient(create_app(settings, runtime=rt)) as client:
        client.headers["Authorization"] = f"Bearer {secret}"
        yield Service(client, rt, secret)


@pytest.fixture
async def service(settings: Settings) -> AsyncIterator[Service]:
    """The app with the queue-exercising job kinds only (fast to start)."""
    async for running in start_service(settings, [TEST_HANDLERS]):
        yield running
