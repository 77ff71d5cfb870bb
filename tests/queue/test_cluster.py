"""Two nodes, each a full app with its own engine, sharing one PostgreSQL queue."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import anyio
import asyncpg

from graphq.queue.event_relay import asyncpg_dsn
from tests.conftest import Service
from tests.queue.cluster_nodes import nodes, within
from tests.queue.helpers import add_job, make_queue, peak_overlap


async def all_finished(node: Service, job_ids: list[str]) -> list[dict[str, Any]]:
    return [
        await node.wait_for_job(job_id, {"completed", "dead"}, timeout_s=30) for job_id in job_ids
    ]


def status_on(node: Service, queue_id: str) -> str | None:
    """The queue's status as the node's engine last read it."""
    state = node.rt.engine.queues.get(queue_id)
    return state.status if state else None


async def test_a_queues_concurrency_limit_holds_across_nodes(
    postgres_database: str, tmp_path: Path
) -> None:
    async with nodes(tmp_path, postgres_database, 2) as (a, b):
        product = await a.create_product("LIMIT1")
        queue = await make_queue(a, "narrow", maxConcurrentJobs=2)
        job_ids = [
            (await add_job(node, product["id"], queue["id"], kind="sleep",
                           parameters={"seconds": 0.3, "steps": 1}))["id"]
            for _ in range(4)
            for node in (a, b)
        ]  # fmt: skip
        jobs = await all_finished(a, job_ids)
    assert {job["status"] for job in jobs} == {"completed"}
    assert peak_overlap(jobs) == 2


async def test_a_queue_paused_on_one_node_stops_starting_jobs_on_every_node(
    postgres_database: str, tmp_path: Path
) -> None:
    async with nodes(tmp_path, postgres_database, 2) as (a, b):
        product = await a.create_product("PAUSE1")
        queue = await make_queue(a, "pausable")
        response = await a.client.post(f"/api/queue/{queue['id']}/pause")
        assert response.status_code == 201, response.text
        await within(1.0, lambda: status_on(b, queue["id"]) == "paused")
        job = await add_job(b, product["id"], queue["id"], kind="noop")
        await anyio.sleep(1.5)  # both dispatchers claim at least once a second
        assert (await b.client.get(f"/api/job/{job['id']}")).json()["status"] == "queued"
        await b.client.post(f"/api/queue/{queue['id']}/resume")
        await within(1.0, lambda: status_on(a, queue["id"]) == "active")
        done = await a.wait_for_job(job["id"], {"completed"}, timeout_s=10)
    assert done["status"] == "completed"


async def test_manual_dispatch_credits_are_shared_by_the_nodes(
    postgres_database: str, tmp_path: Path
) -> None:
    async with nodes(tmp_path, postgres_database, 2) as (a, b):
        product = await a.create_product("MANUAL1")
        queue = await make_queue(a, "by-hand", mode="manual", maxConcurrentJobs=8)
        job_ids = [
            (await add_job(a, product["id"], queue["id"], kind="noop"))["id"] for _ in range(5)
        ]
        response = await b.client.post(f"/api/queue/{queue['id']}/dispatch", json={"count": 2})
        assert response.status_code == 201, response.text
        await anyio.sleep(2.5)  # long enough for both nodes to claim more than they may
        statuses = [
            (await a.client.get(f"/api/job/{job_id}")).json()["status"] for job_id in job_ids
        ]
    # The two credits went to the two oldest jobs, whichever node ran them.
    assert statuses == ["completed", "completed", "queued", "queued", "queued"]


async def test_a_job_claimed_before_its_node_indexed_it_does_not_stay_in_line(
    postgres_database: str, tmp_path: Path
) -> None:
    async with nodes(tmp_path, postgres_database, 1) as (node,):
        product = await node.create_product("LATE1")
        queue = await make_queue(node, "late-index")
        enqueued_ns = time.time_ns()
        job = await add_job(node, product["id"], queue["id"], kind="noop")
        await node.wait_for_job(job["id"], {"completed"}, timeout_s=10)
        engine, on_loop = node.rt.engine, node.client.blocking_portal.call
        # The index learns of the job only now, as when a claim wins the race with it.
        on_loop(engine.enqueued, job["id"], queue["id"], "normal", enqueued_ns)
        on_loop(engine.enqueued_elsewhere, job["id"], queue["id"], "normal", enqueued_ns)
        assert engine.depth(queue["id"]) == 0
        # Put in line again later (reprocessed), it is indexed.
        on_loop(engine.enqueued_elsewhere, job["id"], queue["id"], "normal", time.time_ns())
        assert engine.depth(queue["id"]) == 1


async def test_every_nodes_depth_returns_to_zero_once_the_jobs_ran(
    postgres_database: str, tmp_path: Path
) -> None:
    async with nodes(tmp_path, postgres_database, 2) as (a, b):
        product = await a.create_product("DEPTH1")
        queue = await make_queue(a, "drained")
        jobs = [
            (await add_job(node, product["id"], queue["id"], kind="noop"))["id"]
            for _ in range(20)
            for node in (a, b)
        ]
        await all_finished(a, jobs)
        await within(2.0, lambda: a.rt.engine.depth(queue["id"]) == 0)
        await within(2.0, lambda: b.rt.engine.depth(queue["id"]) == 0)


async def _progress_row(database_url: str, job_id: str) -> asyncpg.Record:
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        return await conn.fetchrow(
            "SELECT status, progress, current_step FROM jobs WHERE id = $1", job_id
        )
    finally:
        await conn.close()


async def test_a_running_jobs_progress_is_written_to_the_shared_database(
    postgres_database: str, tmp_path: Path
) -> None:
    async with nodes(tmp_path, postgres_database, 2) as (a, b):
        product = await a.create_product("PROGRESS1")
        queue = await make_queue(a, "progressing")
        job = await add_job(
            b, product["id"], queue["id"], kind="sleep", parameters={"seconds": 3, "steps": 3}
        )
        for _ in range(200):  # 10 s
            row = await _progress_row(postgres_database, job["id"])
            if row["current_step"] == "slept 1/3":
                break
            await anyio.sleep(0.05)
    assert row["current_step"] == "slept 1/3"
    assert row["status"] == "processing"
    assert 0 < row["progress"] < 100


async def test_a_node_writes_no_progress_to_a_job_it_does_not_hold(
    postgres_database: str, tmp_path: Path
) -> None:
    async with nodes(tmp_path, postgres_database, 1) as (a,):
        product = await a.create_product("PROGRESS2")
        queue = await make_queue(a, "held-back")
        await a.client.post(f"/api/queue/{queue['id']}/pause")
        job = await add_job(a, product["id"], queue["id"], kind="noop")
        cluster = a.rt.engine.cluster
        assert cluster is not None
        # On the app's loop, which the node's connections belong to.
        a.client.blocking_portal.call(cluster.record_progress, [(job["id"], 50.0, "elsewhere")])
        row = await _progress_row(postgres_database, job["id"])
    assert (row["status"], row["progress"]) == ("queued", 0)
    assert row["current_step"] != "elsewhere"
