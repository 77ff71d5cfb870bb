"""A group's completions and result rows as the completing transaction writes them, on the
backend the suite runs on (``--backend``)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, cast

import anyio
from sqlalchemy import Table, select, text

from graphq.db.database import Database
from graphq.db.migrate import upgrade
from graphq.db.models import ExtractionResult, Job, new_id
from graphq.queue import store
from tests.conftest import make_settings

OWNER = "host:1:abcd"
OTHER = "host:2:ef01"
RESULTS = cast(Table, ExtractionResult.__table__)


@asynccontextmanager
async def _database(tmp_path: Path) -> AsyncIterator[Database]:
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


async def _claimed(db: Database, owner: str, count: int) -> list[str]:
    """``count`` new jobs, claimed by ``owner``."""
    ids = [new_id() for _ in range(count)]
    given = {"product_id": "p", "queue_id": "q", "kind": "noop", "status": "queued"}
    await store.enqueue(db, [{"id": i, "enqueued_ns": time.time_ns(), **given} for i in ids])
    await store.claim(db, ids, owner, 30.0)
    return ids


async def _rows(db: Database, job_ids: list[str]) -> dict[str, tuple[Any, ...]]:
    async with db.read() as session:
        rows = await session.execute(
            select(Job.id, Job.status, Job.lease_owner, Job.actual_duration).where(
                Job.id.in_(job_ids)
            )
        )
        return {row[0]: tuple(row[1:]) for row in rows}


async def test_a_groups_completion_refuses_only_the_job_another_owner_holds(
    tmp_path: Path,
) -> None:
    async with _database(tmp_path) as db:
        ours = await _claimed(db, OWNER, 2)
        (theirs,) = await _claimed(db, OTHER, 1)
        runs = [(ours[0], store.utcnow()), (theirs, store.utcnow()), (ours[1], None)]
        outcomes = await db.transact(lambda conn: store.mark_all_completed(conn, OWNER, runs))
        rows = await _rows(db, [*ours, theirs])
    assert outcomes == [True, False, True]
    assert rows[theirs][:2] == ("processing", OTHER)
    assert rows[ours[0]][:2] == rows[ours[1]][:2] == ("completed", None)
    assert rows[ours[0]][2] is not None  # its duration, from the start it was given
    assert rows[ours[1]][2] is None  # no start given, no duration
