"""The queue's face to the services: place in line, depth and load of a running engine."""

from __future__ import annotations

from tests.conftest import Service
from tests.queue.helpers import add_job, make_queue


async def test_front_reports_place_in_line_depth_and_load_of_a_manual_queue(
    service: Service,
) -> None:
    front = service.rt.front
    product = await service.create_product("FRONT1")
    queue = await make_queue(service, "front-manual", mode="manual", maxConcurrentJobs=2)
    normal = [await add_job(service, product["id"], queue["id"]) for _ in range(2)]
    urgent = await add_job(service, product["id"], queue["id"], priority="urgent")

    assert front.queue_names()[queue["id"]] == "front-manual"
    assert front.depth(queue["id"]) == 3
    assert front.running(queue["id"]) == 0
    assert [front.position(job["id"]) for job in (urgent, *normal)] == [0, 1, 2]
    assert front.parallelism(queue["id"]) == min(2, front.slots)
    assert front.position("no-such-job") is None

    response = await service.client.post(f"/api/queue/{queue['id']}/dispatch", json={"count": 1})
    assert response.status_code == 201, response.text
    await service.wait_for_job(urgent["id"], {"processing", "completed"})
    assert front.depth(queue["id"]) == 2
    assert front.position(urgent["id"]) is None
    assert front.position(normal[0]["id"]) == 0
