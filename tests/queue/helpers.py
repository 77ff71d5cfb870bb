"""Helpers the queue tests share: a restartable app, queues and jobs over HTTP, overlap, and a
migrated database with jobs claimed straight in the table, and the queue's counters beside a
fresh count."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import anyio
from litestar.testing import AsyncTestClient
from sqlalchemy import select, text

from graphq.app import create_app
from graphq.config import Settings
from graphq.db.database import Database
from graphq.db.migrate import upgrade
from graphq.db.models import WAITING_LETTERS, Job, new_id
from graphq.queue import new_rows, store
from graphq.runtime import build_runtime
from tests.conftest import TEST_HANDLERS, Service, make_key, make_settings, query_rows


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


@asynccontextmanager
async def queue_database(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated database holding one product and one queue, both with id ``p``/``q``."""
    settings = make_settings(tmp_path)
    await anyio.to_thread.run_sync(upgrade, settings)
    db = Database(settings.database_url)
    try:
        async with db.write() as session:
            await session.execute(
                text(
                    "INSERT INTO products (id, name, manufacturer, part_number, device_type, "
                    "package, description, status, created_at, updated_at) VALUES ('p', 'p', "
                    "'', 'P', 'Si-MOSFET', '', '', 'active', '2026-01-01', '2026-01-01')"
                )
            )
            await session.execute(
                text(
                    "INSERT INTO extraction_queues (id, name, mode, status, "
                    "max_concurrent_jobs, priority_policy, description, settings, created_at, "
                    "updated_at) VALUES ('q', 'q', 'automatic', 'active', 8, 'priority', '', "
                    "'{}', '2026-01-01', '2026-01-01')"
                )
            )
        yield db
    finally:
        await db.dispose()


async def claimed_jobs(db: Database, owner: str, count: int) -> list[str]:
    """``count`` new jobs, claimed by ``owner``."""
    ids = [new_id() for _ in range(count)]
    given = {"product_id": "p", "queue_id": "q", "kind": "noop", "status": "queued"}
    await new_rows.enqueue(db, [{"id": i, "enqueued_ns": time.time_ns(), **given} for i in ids])
    await store.claim(db, ids, owner, 30.0)
    return ids


async def job_columns(
    db: Database, job_ids: list[str], *columns: Any
) -> dict[str, tuple[Any, ...]]:
    """Per job of ``job_ids``, the values of ``columns`` (``Job`` attributes) as stored."""
    async with db.read() as session:
        rows = await session.execute(select(Job.id, *columns).where(Job.id.in_(job_ids)))
        return {row[0]: tuple(row[1:]) for row in rows}


def counted(settings: Settings) -> dict[tuple[str, str, str], int]:
    """What the counters say, keys counted to zero left out."""
    rows = query_rows(
        settings,
        "SELECT queue_id, status, priority, sum(n) AS n FROM queue_counts "
        "GROUP BY queue_id, status, priority",
    )
    return {(r["queue_id"], r["status"], r["priority"]): int(r["n"]) for r in rows if r["n"]}


def recounted(settings: Settings) -> dict[tuple[str, str, str], int]:
    """The same figures counted afresh from the job and dead-letter tables."""
    jobs = query_rows(
        settings,
        "SELECT queue_id, status, priority, count(*) AS n FROM jobs "
        "GROUP BY queue_id, status, priority",
    )
    letters = query_rows(
        settings,
        "SELECT jobs.queue_id, count(*) AS n FROM dead_letters "
        "JOIN jobs ON jobs.id = dead_letters.job_id "
        "WHERE dead_letters.reprocessed_at IS NULL GROUP BY jobs.queue_id",
    )
    return {
        **{(r["queue_id"], r["status"], r["priority"]): int(r["n"]) for r in jobs},
        **{(r["queue_id"], WAITING_LETTERS, ""): int(r["n"]) for r in letters},
    }
