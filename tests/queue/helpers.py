"""Helpers the queue tests share: a restartable app, queues and jobs over HTTP, overlap."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import anyio
from litestar.testing import AsyncTestClient

from graphq.app import create_app
from graphq.config import Settings
from graphq.db.migrate import upgrade
from graphq.runtime import build_runtime
from tests.conftest import TEST_HANDLERS, Service, make_key, query_rows


async def make_queue(service: Service, name: str, **fields: Any) -> dict[str, Any]:
    response = await service.client.post("/api/queue/create", json={"name": name, **fields})
    assert response.status_code == 201, response.text
    return response.json()


async def add_job(
    service: Service, product_id: str, queue_id: str, kind: str = "sleep", **fields: Any
) -> dict[str, Any]:
    body = {"productId": product_id, "queueId": queue_id, "kind": kind, **fields}
    response = await service.client.post("/api/job/create", json=body)
    assert response.status_code == 201, response.text
    return response.json()["job"]


def started(job: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(job["startedAt"])


def peak_overlap(jobs: list[dict[str, Any]]) -> int:
    """The most jobs whose [start, end] intervals overlap at any instant."""
    edges = sorted(
        [(started(j), 1) for j in jobs]
        + [(datetime.fromisoformat(j["completedAt"]), -1) for j in jobs],
        key=lambda edge: (edge[0], edge[1]),
    )
    running, peak = 0, 0
    for _, change in edges:
        running += change
        peak = max(peak, running)
    return peak


@asynccontextmanager
async def serve(settings: Settings, *, stall_renewals: bool = False) -> AsyncIterator[Service]:
    """The app on an existing data directory, with the test job kinds, restartable.

    ``stall_renewals`` models a server whose lease renewals stop getting through.
    """
    await anyio.to_thread.run_sync(upgrade, settings)
    secret = await make_key(settings, "admin")
    rt = build_runtime(settings, handler_modules=[TEST_HANDLERS])
    rt.engine.lease_renewal = not stall_renewals
    async with AsyncTestClient(create_app(settings, runtime=rt)) as client:
        client.headers["Authorization"] = f"Bearer {secret}"
        service = Service(client, rt, secret)
        try:
            yield service
        finally:
            await service.close()


def job_row(settings: Settings, job_id: str) -> dict[str, Any]:
    """The job's row, read through a connection of the test's own."""
    (row,) = query_rows(settings, "SELECT * FROM jobs WHERE id = $1", job_id)
    (results,) = query_rows(
        settings, "SELECT count(*) AS n FROM extraction_results WHERE job_id = $1", job_id
    )
    return {**row, "result_rows": results["n"]}
