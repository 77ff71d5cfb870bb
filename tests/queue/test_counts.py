"""The queue's counters equal a fresh count of the tables after every kind of change a job or a
dead letter goes through, on the backend the run names (``--backend``)."""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta
from typing import Any

import asyncpg
from sqlalchemy import Connection, Update, update

from graphq.config import Settings
from graphq.db.database import Database
from graphq.db.models import WAITING_LETTERS, Job, new_id
from graphq.queue import counts, new_rows, store
from graphq.queue.event_relay import asyncpg_dsn
from graphq.services import stats
from tests.conftest import Service, query_rows
from tests.queue.helpers import add_job, counted, make_queue, recounted

# A server that crashed on another machine: its jobs come back only when their leases lapse.
CRASHED = "elsewhere:4242:dead"


def statuses(settings: Settings) -> Counter[str]:
    jobs: Counter[str] = Counter()
    for (_, status, _), n in counted(settings).items():
        if status != WAITING_LETTERS:
            jobs[status] += n
    return jobs


async def crashed_jobs(
    service: Service, queue_id: str, product_id: str, attempts: list[int]
) -> list[str]:
    """Jobs claimed by a server that crashed, their leases lapsed, on their ``attempts``-th
    attempt out of 2."""
    db = service.db
    ids = [new_id() for _ in attempts]
    given = {"product_id": product_id, "queue_id": queue_id, "kind": "noop", "max_attempts": 2}
    await new_rows.enqueue(db, [{"id": i, "enqueued_ns": time.time_ns(), **given} for i in ids])
    await store.claim(db, ids, CRASHED, 30.0)
    lapsed = store.utcnow() - timedelta(seconds=1)
    for job_id, attempt in zip(ids, attempts, strict=True):
        lapse = (
            update(Job).where(Job.id == job_id).values(lease_expires_at=lapsed, attempts=attempt)
        )

        def run(conn: Connection, lapse: Update = lapse) -> None:
            conn.execute(lapse)

        await db.transact(run)
    return ids


async def api(service: Service, method: str, path: str, **body: Any) -> None:
    response = await service.client.request(method, path, json=body or None)
    assert response.status_code in (200, 201, 204), response.text


async def test_counters_equal_a_fresh_count_through_every_change_of_a_job(
    service: Service,
) -> None:
    settings = service.rt.settings
    product = await service.create_product()
    running = await make_queue(service, "running", settings={"maxAttempts": 2, "retryBaseS": 0.05})
    waiting = await make_queue(service, "waiting")
    await api(service, "POST", f"/api/queue/{waiting['id']}/pause")

    # Enqueue, claim, complete; fail, retry, dead-letter.
    done = await add_job(service, product["id"], running["id"], kind="noop")
    failing = await add_job(
        service, product["id"], running["id"], kind="fail", parameters={"code": "FLAKY"}
    )
    await service.wait_for_job(done["id"], {"completed"})
    await service.wait_for_job(failing["id"], {"dead"})
    assert counted(settings) == recounted(settings)

    # Waiting jobs re-prioritised and cancelled.
    parked = [await add_job(service, product["id"], waiting["id"], kind="noop") for _ in range(3)]
    await api(service, "PUT", f"/api/job/{parked[0]['id']}/priority", priority="urgent")
    await api(service, "DELETE", f"/api/job/{parked[1]['id']}")
    assert counted(settings) == recounted(settings)
    assert counted(settings)[(waiting["id"], "queued", "urgent")] == 1

    # A dead job retried: its letter is reprocessed, and it dies again with a new one.
    await api(service, "POST", f"/api/job/{failing['id']}/retry")
    await service.wait_for_job(failing["id"], {"dead"})
    assert counted(settings) == recounted(settings)
    assert counted(settings)[(running["id"], WAITING_LETTERS, "")] == 1

    # A crashed server's jobs, taken back when their leases lapse: one runs again, the other
    # had spent its attempts and goes to the dead-letter queue.
    again, spent = await crashed_jobs(service, running["id"], product["id"], [1, 2])
    assert counted(settings) == recounted(settings)
    await service.wait_for_job(again, {"completed"})
    await service.wait_for_job(spent, {"dead"})
    assert counted(settings) == recounted(settings)
    assert statuses(settings) == {"completed": 2, "dead": 2, "queued": 2, "cancelled": 1}
    async with service.db.read() as session:
        assert (await stats.job_stats(session, running["id"])).dlq_size == 2

    # Deletions cascade: a product's jobs with their letters, then an idle queue's jobs.
    other = await service.create_product("TST002")
    doomed = await add_job(
        service, other["id"], running["id"], kind="fail", parameters={"code": "INVALID_PARAMETERS"}
    )
    await service.wait_for_job(doomed["id"], {"dead"})
    assert counted(settings)[(running["id"], WAITING_LETTERS, "")] == 3
    await api(service, "DELETE", f"/api/products/{other['id']}")
    assert counted(settings) == recounted(settings)
    for job in (parked[0], parked[2]):
        await api(service, "DELETE", f"/api/job/{job['id']}")
    await api(service, "DELETE", f"/api/queue/{waiting['id']}")
    assert counted(settings) == recounted(settings)
    assert statuses(settings) == {"completed": 2, "dead": 2}

    # Folding the shards (PostgreSQL; nothing to fold on SQLite) keeps every count.
    before = counted(settings)
    await counts.fold(service.db)
    assert counted(settings) == before
    (shards,) = query_rows(settings, "SELECT count(DISTINCT shard) AS n FROM queue_counts")
    assert shards["n"] == 1


async def test_on_postgresql_open_transactions_moving_jobs_of_one_queue_never_wait_on_each_other(
    postgres_database: str,
) -> None:
    """Each connection counts in a shard of its own: a node completing a job does not wait
    for another node's transaction, still open, that completed one of the same queue."""
    dsn = asyncpg_dsn(postgres_database)
    setup, first, second = [await asyncpg.connect(dsn) for _ in range(3)]
    try:
        await setup.execute(
            "INSERT INTO products (id, name, manufacturer, part_number, device_type, package, "
            "description, status, created_at, updated_at) VALUES ('p', 'p', '', 'P', "
            "'Si-MOSFET', '', '', 'active', now(), now())"
        )
        await setup.execute(
            "INSERT INTO extraction_queues (id, name, mode, status, max_concurrent_jobs, "
            "priority_policy, description, settings, created_at, updated_at) VALUES ('q', 'q', "
            "'automatic', 'active', 8, 'priority', '', '{}', now(), now())"
        )
        ids = [new_id() for _ in range(2)]
        given = {"product_id": "p", "queue_id": "q", "kind": "noop", "status": "processing"}
        db = Database(postgres_database)
        try:
            await new_rows.enqueue(db, [{"id": i, **given} for i in ids])
        finally:
            await db.dispose()
        complete = "UPDATE jobs SET status = 'completed' WHERE id = $1"
        await first.execute("BEGIN")
        await first.execute(complete, ids[0])
        await second.execute("SET lock_timeout = '2s'")
        await second.execute(complete, ids[1])  # its own transaction, committed
        await first.execute("COMMIT")
        rows = await setup.fetch(
            "SELECT status, sum(n) AS n, count(*) AS shards FROM queue_counts "
            "WHERE queue_id = 'q' GROUP BY status ORDER BY status"
        )
    finally:
        for connection in (setup, first, second):
            await connection.close()
    assert [(r["status"], r["n"], r["shards"]) for r in rows] == [
        ("completed", 2, 2),
        ("processing", 0, 3),
    ]
