"""Shutdown, lease expiry, stopped queues, backpressure and the global slot cap."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import anyio
import pytest
from anyio.streams.memory import MemoryObjectReceiveStream

from graphq.queue.events import Event, EventFilter
from graphq.runtime import build_runtime
from tests.conftest import TEST_HANDLERS, Service, make_settings, start_service
from tests.queue.helpers import add_job, job_row, make_queue, peak_overlap, serve


async def wait_until_computing(service: Service, job_id: str) -> None:
    """Past the worker's first progress report: the job is really running in a worker."""
    with anyio.fail_after(20):
        while True:
            if (await service.client.get(f"/api/job/{job_id}")).json()["progress"] > 5:
                return
            await anyio.sleep(0.05)


async def warm_up_workers(service: Service, product_id: str, queue_id: str) -> None:
    """Run one job in each worker process, so none is still importing when the test starts.

    A freshly spawned worker can take a second to import on a busy machine; two jobs meant to
    run side by side would otherwise start that far apart.
    """
    jobs = [
        await add_job(service, product_id, queue_id, parameters={"seconds": 0.3, "steps": 1})
        for _ in range(2)
    ]
    for job in jobs:
        await service.wait_for_job(job["id"], {"completed"})


async def test_graceful_shutdown_lets_short_jobs_finish_and_hands_the_rest_to_the_next_start(
    tmp_path: Path,
) -> None:
    settings = make_settings(
        tmp_path / "data", queue={"worker_slots": 2, "shutdown_timeout_s": 1.0}
    )
    async with serve(settings) as service:
        product = await service.create_product()
        queue = await make_queue(service, "draining", maxConcurrentJobs=2)
        await warm_up_workers(service, product["id"], queue["id"])
        short, long, waiting = [
            await add_job(
                service, product["id"], queue["id"], parameters={"seconds": s, "steps": 10}
            )
            for s in (0.6, 2.5, 0.01)
        ]
        for job in (short, long):
            await wait_until_computing(service, job["id"])
        began = time.monotonic()
    shutdown_s = time.monotonic() - began
    assert shutdown_s < 1.0 + 1.5, shutdown_s

    assert job_row(settings, short["id"])["status"] == "completed"
    released = job_row(settings, long["id"])
    assert (released["status"], released["attempts"]) == ("queued", 0)
    assert released["lease_owner"] is None
    assert job_row(settings, waiting["id"])["status"] == "queued"

    async with serve(settings) as service:
        for job in (long, waiting):
            done = await service.wait_for_job(job["id"], {"completed"}, timeout_s=15)
            assert done["attempts"] == 1
    assert [job_row(settings, j["id"])["result_rows"] for j in (short, long, waiting)] == [1, 1, 1]


def drain(stream: MemoryObjectReceiveStream[Event]) -> list[Event]:
    events = []
    while True:
        try:
            events.append(stream.receive_nowait())
        except anyio.WouldBlock:
            return events


async def drain_until(
    stream: MemoryObjectReceiveStream[Event], done: Callable[[list[Event]], bool]
) -> list[Event]:
    """The events received until ``done`` holds for them: on PostgreSQL a node's own events
    reach its bus only after their round trip through the outbox table."""
    seen: list[Event] = []
    with anyio.fail_after(10):
        while not done(seen):
            seen += drain(stream)
            await anyio.sleep(0.01)
    return seen


def count(events: list[Event], name: str) -> int:
    return sum(event.name == name for event in events)


def is_outcome(event: Event) -> bool:
    return event.name in {"job:completed", "job:failed", "job:dlq", "job:cancelled"}


@pytest.mark.parametrize("renewal", [True, False])
async def test_a_running_jobs_lease_is_renewed_only_while_lease_renewal_is_on(
    tmp_path: Path, renewal: bool
) -> None:
    settings = make_settings(tmp_path / "data", queue={"lease_s": 1.0})
    async with serve(settings, stall_renewals=not renewal) as server:
        product = await server.create_product()
        queue = await make_queue(server, "leased")
        job = await add_job(
            server, product["id"], queue["id"], parameters={"seconds": 2.0, "steps": 4}
        )
        await server.wait_for_job(job["id"], {"processing"})
        claimed_until = job_row(settings, job["id"])["lease_expires_at"]
        await anyio.sleep(1.0)  # renewals come every lease_s / 3
        row = job_row(settings, job["id"])
        assert row["status"] == "processing"
        assert (row["lease_expires_at"] > claimed_until) == renewal


async def test_a_run_whose_lease_lapsed_does_not_complete_the_job_a_second_time(
    tmp_path: Path,
) -> None:
    """Server A's renewals stop; server B takes the job over once A's lease lapses.

    A's run still finishes its work, but its completion must change nothing and announce
    nothing: one result row, one ``job:completed``.
    """
    settings = make_settings(tmp_path / "data", queue={"lease_s": 1.0})
    async with serve(settings, stall_renewals=True) as server_a:
        _, seen_by_a = server_a.rt.events.subscribe(EventFilter())
        product = await server_a.create_product()
        queue = await make_queue(server_a, "lapsing")
        job = await add_job(
            server_a, product["id"], queue["id"], parameters={"seconds": 2.0, "steps": 4}
        )
        await server_a.wait_for_job(job["id"], {"processing"})
        run_on_a = server_a.rt.engine.running[job["id"]]

        server_b = build_runtime(settings, handler_modules=[TEST_HANDLERS])
        _, seen_by_b = server_b.events.subscribe(EventFilter(job_id=job["id"]))
        try:
            async with anyio.create_task_group() as tg:
                await tg.start(server_b.engine.run)
                await server_a.wait_for_job(job["id"], {"completed"}, timeout_s=20)
                with anyio.fail_after(10):
                    await run_on_a.done.wait()  # A's run reaches its refused completion
                await server_b.engine.shutdown()
        finally:
            # Also when a wait above failed: B's engine was then cancelled, not shut down.
            with anyio.CancelScope(shield=True):
                await server_b.engine.ctx.pool.close()
                await server_b.db.dispose()

        final = job_row(settings, job["id"])
        assert (final["status"], final["attempts"], final["result_rows"]) == ("completed", 2, 1)
        a_outcomes = {
            (e.id, e.name) for e in drain(seen_by_a) if e.job_id == job["id"] and is_outcome(e)
        }
        b_outcomes = {(e.id, e.name) for e in drain(seen_by_b) if is_outcome(e)}
        # B announced the one completion, A's run nothing: on PostgreSQL every node's bus
        # carries B's events too, under the same ids.
        assert [name for _, name in b_outcomes] == ["job:completed"]
        assert a_outcomes <= b_outcomes


async def test_stopped_queue_refuses_new_jobs_and_starts_none_but_lets_a_running_one_finish(
    service: Service,
) -> None:
    product = await service.create_product()
    queue = await make_queue(service, "stoppable", maxConcurrentJobs=1)
    running = await add_job(
        service, product["id"], queue["id"], parameters={"seconds": 0.8, "steps": 4}
    )
    waiting = await add_job(
        service, product["id"], queue["id"], parameters={"seconds": 0.01, "steps": 1}
    )
    await service.wait_for_job(running["id"], {"processing"})

    stopped = await service.client.put(f"/api/queue/{queue['id']}", json={"status": "stopped"})
    assert stopped.json()["status"] == "stopped"
    refused = await service.client.post(
        "/api/job/create",
        json={"productId": product["id"], "queueId": queue["id"], "kind": "sleep"},
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "QUEUE_STOPPED")
    assert (await service.wait_for_job(running["id"], {"completed"}))["status"] == "completed"
    await anyio.sleep(0.5)
    assert (await service.client.get(f"/api/job/{waiting['id']}")).json()["status"] == "queued"

    await service.client.post(f"/api/queue/{queue['id']}/resume")
    await service.wait_for_job(waiting["id"], {"completed"})


async def test_backpressure_is_announced_once_when_a_queue_reaches_its_threshold(
    tmp_path: Path,
) -> None:
    settings = make_settings(tmp_path / "data", queue={"backpressure_depth": 3})
    async for service in start_service(settings, [TEST_HANDLERS]):
        product = await service.create_product()
        queue = await make_queue(service, "crowded")
        await service.client.post(f"/api/queue/{queue['id']}/pause")
        _, events = service.rt.events.subscribe(EventFilter(queue_id=queue["id"]))
        for _ in range(5):
            await add_job(
                service, product["id"], queue["id"], parameters={"seconds": 0.01, "steps": 1}
            )
        seen = await drain_until(events, lambda seen: count(seen, "queue:job_added") == 5)
        warnings = [e.data for e in seen if e.name == "queue:backpressure"]
        assert warnings == [{"queueId": queue["id"], "depth": 3, "threshold": 3}]


async def test_worker_slots_cap_running_jobs_across_all_queues(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data", queue={"worker_slots": 2})
    async for service in start_service(settings, [TEST_HANDLERS]):
        product = await service.create_product()
        queues = [await make_queue(service, f"wide-{n}", maxConcurrentJobs=3) for n in range(2)]
        jobs = [
            await add_job(
                service, product["id"], queue["id"], parameters={"seconds": 0.3, "steps": 3}
            )
            for queue in queues
            for _ in range(3)
        ]
        done = [await service.wait_for_job(j["id"], {"completed"}, timeout_s=30) for j in jobs]
        assert peak_overlap(done) == 2
