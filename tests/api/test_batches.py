"""Batches: jobs created together, cancelled together, and retried where they failed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.api.helpers import assert_problem
from tests.conftest import Service


async def create_batch(service: Service, **body: Any) -> dict[str, Any]:
    response = await service.client.post("/api/batch/create", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def wait_for_batch(service: Service, batch_id: str, statuses: set[str]) -> dict[str, Any]:
    for job in (await service.client.get(f"/api/batch/{batch_id}")).json()["jobs"]:
        await service.wait_for_job(job["id"], {"completed", "dead", "cancelled"})
    batch = (await service.client.get(f"/api/batch/{batch_id}")).json()
    assert batch["status"] in statuses, batch
    return batch


async def test_batch_creates_all_its_jobs_in_one_queue_with_one_priority(
    service: Service,
) -> None:
    product = await service.create_product()
    queue = (await service.client.post("/api/queue/create", json={"name": "batched"})).json()
    await service.client.post(f"/api/queue/{queue['id']}/pause")
    batch = await create_batch(
        service,
        name="datasheet 1",
        queueId=queue["id"],
        priority="high",
        jobs=[{"productId": product["id"], "kind": "noop"} for _ in range(3)],
    )
    assert (batch["name"], batch["status"], batch["total"]) == ("datasheet 1", "queued", 3)
    assert batch["counts"] == {"queued": 3}
    assert {(j["queueId"], j["priority"], j["batchId"]) for j in batch["jobs"]} == {
        (queue["id"], "high", batch["id"])
    }
    listed = (await service.client.get("/api/jobs", params={"batch": batch["id"]})).json()
    assert listed["total"] == 3


async def test_cancelled_batch_cancels_every_unfinished_job(service: Service) -> None:
    product = await service.create_product()
    queue = (
        await service.client.post(
            "/api/queue/create", json={"name": "cancel-batch", "maxConcurrentJobs": 1}
        )
    ).json()
    batch = await create_batch(
        service,
        queueId=queue["id"],
        jobs=[
            {"productId": product["id"], "kind": "sleep", "parameters": {"seconds": 20}}
            for _ in range(3)
        ],
    )
    await service.wait_for_job(batch["jobs"][0]["id"], {"processing"})
    response = await service.client.post(f"/api/batch/{batch['id']}/cancel")
    assert response.status_code == 200, response.text
    cancelled = response.json()
    assert (cancelled["status"], cancelled["counts"]) == ("cancelled", {"cancelled": 3})
    assert cancelled["jobs"][0]["startedAt"] is not None
    assert [j["startedAt"] for j in cancelled["jobs"][1:]] == [None, None]


async def test_retry_failed_reruns_only_the_failed_jobs(service: Service, tmp_path: Path) -> None:
    product = await service.create_product()
    queue = (
        await service.client.post(
            "/api/queue/create", json={"name": "flaky-batch", "settings": {"maxAttempts": 1}}
        )
    ).json()
    marker = tmp_path / "dependency-up"
    batch = await create_batch(
        service,
        queueId=queue["id"],
        jobs=[
            {"productId": product["id"], "kind": "noop"},
            {"productId": product["id"], "kind": "flaky", "parameters": {"path": str(marker)}},
            {"productId": product["id"], "kind": "flaky", "parameters": {"path": str(marker)}},
        ],
    )
    ended = await wait_for_batch(service, batch["id"], {"partial"})
    assert ended["counts"] == {"completed": 1, "dead": 2}
    completed_at = ended["jobs"][0]["completedAt"]

    marker.touch()
    response = await service.client.post(f"/api/batch/{batch['id']}/retry-failed")
    assert response.status_code == 200, response.text
    assert response.json()["counts"].get("dead", 0) == 0
    final = await wait_for_batch(service, batch["id"], {"completed"})
    assert final["counts"] == {"completed": 3}
    assert final["jobs"][0]["completedAt"] == completed_at
    assert [j["attempts"] for j in final["jobs"]] == [1, 1, 1]


async def test_batch_with_one_bad_job_creates_nothing(service: Service) -> None:
    product = await service.create_product()
    response = await service.client.post(
        "/api/batch/create",
        json={
            "jobs": [
                {"productId": product["id"], "kind": "noop"},
                {"productId": "no-such-product", "kind": "noop"},
            ]
        },
    )
    assert_problem(response, 404, "NOT_FOUND")
    assert (await service.client.get("/api/jobs")).json()["total"] == 0


# The refusals of a route run in one app, one case after another: starting the app is most of
# a case's cost, and a refused request must leave the app as it found it anyway.
INVALID_BATCH_BODIES: dict[str, dict[str, Any]] = {
    "empty-jobs": {"jobs": []},
    "missing-jobs": {"name": "no jobs"},
    "job-without-product": {"jobs": [{"kind": "noop"}]},
    "jobs-not-a-list": {"jobs": "all of them"},
}


async def test_invalid_batch_bodies_are_refused(
    service: Service, subtests: pytest.Subtests
) -> None:
    for case, body in INVALID_BATCH_BODIES.items():
        with subtests.test(case):
            response = await service.client.post("/api/batch/create", json=body)
            assert_problem(response, 400, "INVALID_REQUEST")


async def test_unknown_batch_is_not_found(service: Service, subtests: pytest.Subtests) -> None:
    for method, path in [
        ("GET", "/api/batch/missing"),
        ("POST", "/api/batch/missing/cancel"),
        ("POST", "/api/batch/missing/retry-failed"),
    ]:
        with subtests.test(f"{method} {path}"):
            assert_problem(await service.client.request(method, path), 404, "NOT_FOUND")
