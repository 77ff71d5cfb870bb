"""Which waiting jobs take the worker slots, observed through the real app and SQLite file."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import TEST_HANDLERS, Service, make_settings, start_service
from tests.queue.helpers import add_job, make_queue, peak_overlap, started


async def test_jobs_start_by_priority_and_in_arrival_order_within_a_priority(
    service: Service,
) -> None:
    product = await service.create_product()
    queue = await make_queue(service, "ordered", maxConcurrentJobs=1, status="active")
    await service.client.post(f"/api/queue/{queue['id']}/pause")
    order = ["low", "normal", "urgent", "normal", "high", "urgent"]
    jobs = [
        await add_job(
            service,
            product["id"],
            queue["id"],
            priority=p,
            parameters={"seconds": 0.02, "steps": 1},
        )
        for p in order
    ]
    await service.client.post(f"/api/queue/{queue['id']}/resume")
    done = [await service.wait_for_job(j["id"], {"completed"}) for j in jobs]
    by_start = [j["id"] for j in sorted(done, key=started)]
    expected = [jobs[i]["id"] for i in (2, 5, 4, 1, 3, 0)]
    assert by_start == expected


async def test_fifo_queue_runs_jobs_in_arrival_order_whatever_their_priority(
    service: Service,
) -> None:
    product = await service.create_product()
    queue = await make_queue(service, "fifo", maxConcurrentJobs=1, priorityPolicy="fifo")
    await service.client.post(f"/api/queue/{queue['id']}/pause")
    jobs = [
        await add_job(
            service,
            product["id"],
            queue["id"],
            priority=p,
            parameters={"seconds": 0.02, "steps": 1},
        )
        for p in ("low", "urgent", "normal")
    ]
    await service.client.post(f"/api/queue/{queue['id']}/resume")
    done = [await service.wait_for_job(j["id"], {"completed"}) for j in jobs]
    assert [j["id"] for j in sorted(done, key=started)] == [j["id"] for j in jobs]


async def test_max_concurrent_jobs_is_never_exceeded(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data", queue={"worker_slots": 3})
    async for service in start_service(settings, [TEST_HANDLERS]):
        product = await service.create_product()
        queue = await make_queue(service, "capped", maxConcurrentJobs=2)
        jobs = [
            await add_job(
                service, product["id"], queue["id"], parameters={"seconds": 0.3, "steps": 3}
            )
            for _ in range(10)
        ]
        done = [await service.wait_for_job(j["id"], {"completed"}, timeout_s=30) for j in jobs]
        assert peak_overlap(done) == 2
