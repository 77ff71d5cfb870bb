"""Queue and global statistics agree with the jobs that were actually created."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from graphq.db.models import Job, utcnow
from tests.api.helpers import assert_problem
from tests.conftest import Service


async def make_queue(service: Service, name: str) -> dict[str, Any]:
    return (await service.client.post("/api/queue/create", json={"name": name})).json()


async def add_job(service: Service, **body: Any) -> dict[str, Any]:
    response = await service.client.post("/api/job/create", json=body)
    assert response.status_code == 201, response.text
    return response.json()["job"]


async def run_mixed_jobs(service: Service) -> tuple[dict[str, Any], dict[str, Any], str]:
    """3 completed and 2 dead jobs in one queue; 2 waiting and 1 cancelled in a paused one."""
    product = await service.create_product()
    worked = await make_queue(service, "worked")
    held = await make_queue(service, "held")
    await service.client.post(f"/api/queue/{held['id']}/pause")
    ran = [
        await add_job(service, productId=product["id"], queueId=worked["id"], kind="noop")
        for _ in range(3)
    ] + [
        await add_job(
            service,
            productId=product["id"],
            queueId=worked["id"],
            kind="fail",
            parameters={"code": "INVALID_PARAMETERS"},
        )
        for _ in range(2)
    ]
    for job in ran:
        await service.wait_for_job(job["id"], {"completed", "dead"})
    for priority in ("urgent", "low", "normal"):
        waiting = await add_job(
            service, productId=product["id"], queueId=held["id"], kind="noop", priority=priority
        )
    await service.client.delete(f"/api/job/{waiting['id']}")
    return worked, held, product["id"]


async def test_queue_stats_count_the_jobs_of_that_queue_by_status_and_priority(
    service: Service,
) -> None:
    worked, held, _ = await run_mixed_jobs(service)

    stats = (await service.client.get(f"/api/stats/queue/{worked['id']}")).json()
    assert (stats["queueId"], stats["name"], stats["total"]) == (worked["id"], "worked", 5)
    assert {k: v for k, v in stats["byStatus"].items() if v} == {"completed": 3, "dead": 2}
    assert stats["byPriority"] == {"urgent": 0, "high": 0, "normal": 5, "low": 0}
    assert stats["successRate"] == 0.6
    assert (stats["completedLastHour"], stats["deadLastHour"], stats["dlqSize"]) == (3, 2, 2)
    assert stats["duration"]["sample"] == 3
    assert 0 <= stats["duration"]["p50S"] <= stats["duration"]["p95S"] <= stats["duration"]["maxS"]
    assert stats["throughputPerMinute"] == 0.05

    paused = (await service.client.get(f"/api/stats/queue/{held['id']}")).json()
    assert {k: v for k, v in paused["byStatus"].items() if v} == {"queued": 2, "cancelled": 1}
    assert (paused["waiting"], paused["running"], paused["total"]) == (2, 0, 3)
    assert paused["byPriority"] == {"urgent": 1, "high": 0, "normal": 1, "low": 1}
    assert paused["successRate"] is None
    assert paused["duration"] == {
        "sample": 0,
        "averageS": None,
        "p50S": None,
        "p95S": None,
        "maxS": None,
    }


async def test_global_stats_add_up_to_the_jobs_listed(service: Service) -> None:
    await run_mixed_jobs(service)
    stats = (await service.client.get("/api/stats/global")).json()
    listed = (await service.client.get("/api/jobs")).json()["total"]
    assert stats["total"] == listed == 8
    assert sum(stats["byStatus"].values()) == sum(stats["byPriority"].values()) == 8
    by_status = {k: v for k, v in stats["byStatus"].items() if v}
    assert by_status == {"completed": 3, "dead": 2, "queued": 2, "cancelled": 1}
    assert (stats["queues"], stats["products"], stats["images"]) == (3, 1, 0)
    assert (stats["dlqSize"], stats["successRate"]) == (2, 0.6)


async def test_stats_are_read_from_the_database(service: Service) -> None:
    """A job the engine never saw (written by another process, say) is counted too."""
    product = await service.create_product()
    (default,) = (await service.client.get("/api/queues")).json()
    finished = utcnow()
    async with service.db.write() as session:
        session.add(
            Job(
                product_id=product["id"],
                queue_id=default["id"],
                kind="noop",
                status="completed",
                started_at=finished - timedelta(seconds=4),
                completed_at=finished,
                actual_duration=4.0,
            )
        )
    stats = (await service.client.get(f"/api/stats/queue/{default['id']}")).json()
    assert (stats["byStatus"]["completed"], stats["completedLastHour"]) == (1, 1)
    assert stats["duration"]["averageS"] == 4.0


async def test_dlq_size_drops_when_a_dead_letter_is_reprocessed(service: Service) -> None:
    worked, _, _ = await run_mixed_jobs(service)
    await service.client.post(f"/api/queue/{worked['id']}/pause")
    letter = (await service.client.get("/api/dlq")).json()["items"][0]
    response = await service.client.post(f"/api/dlq/{letter['id']}/reprocess", json={})
    assert response.status_code == 200, response.text
    stats = (await service.client.get(f"/api/stats/queue/{worked['id']}")).json()
    assert stats["dlqSize"] == 1
    assert (stats["byStatus"]["dead"], stats["byStatus"]["queued"]) == (1, 1)


async def test_stats_of_an_unknown_queue_are_not_found(service: Service) -> None:
    assert_problem(await service.client.get("/api/stats/queue/missing"), 404, "NOT_FOUND")
