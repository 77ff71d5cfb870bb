"""Queues over HTTP: create, configure, pause and resume, dispatch, delete, and what is refused."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.helpers import assert_problem
from tests.conftest import Service


async def create_queue(service: Service, **body: Any) -> dict[str, Any]:
    response = await service.client.post("/api/queue/create", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def test_created_queue_keeps_its_configuration(service: Service) -> None:
    queue = await create_queue(
        service,
        name="gpu",
        mode="manual",
        maxConcurrentJobs=5,
        priorityPolicy="fifo",
        description="big images",
        settings={"maxAttempts": 7, "jobTimeoutS": 60},
    )
    fetched = (await service.client.get(f"/api/queue/{queue['id']}")).json()
    assert fetched == queue
    assert (fetched["mode"], fetched["maxConcurrentJobs"], fetched["priorityPolicy"]) == (
        "manual",
        5,
        "fifo",
    )
    assert fetched["settings"] == {"maxAttempts": 7, "jobTimeoutS": 60}
    assert (fetched["status"], fetched["depth"], fetched["running"]) == ("active", 0, 0)
    names = [q["name"] for q in (await service.client.get("/api/queues")).json()]
    assert names == ["default", "gpu"]


async def test_update_merges_settings_and_changes_only_what_is_given(service: Service) -> None:
    queue = await create_queue(service, name="tuned", settings={"maxAttempts": 2})
    response = await service.client.put(
        f"/api/queue/{queue['id']}",
        json={"maxConcurrentJobs": 1, "settings": {"retryBaseS": 0.5}},
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert (updated["name"], updated["maxConcurrentJobs"]) == ("tuned", 1)
    assert updated["settings"] == {"maxAttempts": 2, "retryBaseS": 0.5}


async def test_pause_and_resume_change_the_status(service: Service) -> None:
    queue = await create_queue(service, name="toggled")
    paused = (await service.client.post(f"/api/queue/{queue['id']}/pause")).json()
    assert paused["status"] == "paused"
    resumed = (await service.client.post(f"/api/queue/{queue['id']}/resume")).json()
    assert resumed["status"] == "active"


async def test_queue_names_are_unique(service: Service) -> None:
    await create_queue(service, name="twin")
    assert_problem(
        await service.client.post("/api/queue/create", json={"name": "twin"}),
        409,
        "DUPLICATE_QUEUE",
    )


async def test_default_queue_can_be_neither_renamed_nor_deleted(service: Service) -> None:
    (default,) = (await service.client.get("/api/queues")).json()
    renamed = await service.client.put(f"/api/queue/{default['id']}", json={"name": "other"})
    assert_problem(renamed, 409, "DEFAULT_QUEUE_FIXED")
    deleted = await service.client.delete(f"/api/queue/{default['id']}")
    assert_problem(deleted, 409, "DEFAULT_QUEUE_FIXED")


async def test_queue_with_waiting_jobs_cannot_be_deleted_until_they_are_cancelled(
    service: Service,
) -> None:
    product = await service.create_product()
    queue = await create_queue(service, name="busy")
    await service.client.post(f"/api/queue/{queue['id']}/pause")
    body = {"productId": product["id"], "queueId": queue["id"], "kind": "noop"}
    job = (await service.client.post("/api/job/create", json=body)).json()["job"]
    assert_problem(await service.client.delete(f"/api/queue/{queue['id']}"), 409, "QUEUE_NOT_EMPTY")
    await service.client.delete(f"/api/job/{job['id']}")
    assert (await service.client.delete(f"/api/queue/{queue['id']}")).status_code == 204
    assert_problem(await service.client.get(f"/api/queue/{queue['id']}"), 404, "NOT_FOUND")


async def test_stopped_queue_takes_no_new_jobs(service: Service) -> None:
    product = await service.create_product()
    queue = await create_queue(service, name="stopped")
    await service.client.put(f"/api/queue/{queue['id']}", json={"status": "stopped"})
    body = {"productId": product["id"], "queueId": queue["id"], "kind": "noop"}
    assert_problem(await service.client.post("/api/job/create", json=body), 409, "QUEUE_STOPPED")


async def test_only_a_manual_queue_is_dispatched_by_hand(service: Service) -> None:
    automatic = await create_queue(service, name="automatic")
    response = await service.client.post(f"/api/queue/{automatic['id']}/dispatch", json={})
    assert_problem(response, 409, "QUEUE_NOT_MANUAL")


async def _waits_after_the_engine_ran(service: Service, job_id: str, product_id: str) -> bool:
    """Whether ``job_id`` is still queued once a job created after it in the default queue has
    run: the engine has looked at every queue by then."""
    later = await service.client.post(
        "/api/job/create", json={"productId": product_id, "kind": "noop"}
    )
    await service.wait_for_job(later.json()["job"]["id"], {"completed"})
    return bool((await service.client.get(f"/api/job/{job_id}")).json()["status"] == "queued")


async def test_dispatching_an_empty_manual_queue_keeps_no_credit_for_later_jobs(
    service: Service,
) -> None:
    product = await service.create_product()
    queue = await create_queue(service, name="by-hand", mode="manual")
    dispatch = f"/api/queue/{queue['id']}/dispatch"
    response = await service.client.post(dispatch, json={"count": 5})
    assert response.status_code == 201, response.text
    assert (response.json()["dispatched"], response.json()["waiting"]) == (0, 0)

    body = {"productId": product["id"], "queueId": queue["id"], "kind": "noop"}
    job = (await service.client.post("/api/job/create", json=body)).json()["job"]
    assert await _waits_after_the_engine_ran(service, job["id"], product["id"])
    assert (await service.client.post(dispatch, json={"count": 1})).json()["dispatched"] == 1
    await service.wait_for_job(job["id"], {"completed"})


async def test_credits_of_cancelled_jobs_do_not_start_later_ones(service: Service) -> None:
    product = await service.create_product()
    queue = await create_queue(service, name="by-hand", mode="manual")
    await service.client.post(f"/api/queue/{queue['id']}/pause")
    body = {"productId": product["id"], "queueId": queue["id"], "kind": "noop"}
    held = [(await service.client.post("/api/job/create", json=body)).json()["job"] for _ in "ab"]
    response = await service.client.post(f"/api/queue/{queue['id']}/dispatch", json={"count": 2})
    assert response.json()["dispatched"] == 2
    for job in held:
        assert (await service.client.delete(f"/api/job/{job['id']}")).status_code == 200
    await service.client.post(f"/api/queue/{queue['id']}/resume")

    job = (await service.client.post("/api/job/create", json=body)).json()["job"]
    assert await _waits_after_the_engine_ran(service, job["id"], product["id"])


# Each refusal runs in one app, the cases one after another: starting the app is most of the
# cost of a case, and a refused request must leave the app as it found it anyway.
INVALID_QUEUE_BODIES: dict[str, dict[str, Any]] = {
    "empty-name": {"name": ""},
    "slash-in-name": {"name": "../escape"},
    "bad-mode": {"name": "ok", "mode": "sometimes"},
    "zero-slots": {"name": "ok", "maxConcurrentJobs": 0},
    "bad-policy": {"name": "ok", "priorityPolicy": "random"},
    "zero-attempts": {"name": "ok", "settings": {"maxAttempts": 0}},
    "settings-not-an-object": {"name": "ok", "settings": [None, None]},
}


async def test_invalid_queue_bodies_are_refused(
    service: Service, subtests: pytest.Subtests
) -> None:
    for case, body in INVALID_QUEUE_BODIES.items():
        with subtests.test(case):
            assert_problem(
                await service.client.post("/api/queue/create", json=body), 400, "INVALID_REQUEST"
            )
            assert len((await service.client.get("/api/queues")).json()) == 1


UNKNOWN_QUEUE_REQUESTS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/api/queue/missing", None),
    ("PUT", "/api/queue/missing", {"description": "x"}),
    ("DELETE", "/api/queue/missing", None),
    ("POST", "/api/queue/missing/pause", None),
    ("POST", "/api/queue/missing/dispatch", {"count": 1}),
    ("GET", "/api/events/queue/missing", None),
]


async def test_unknown_queue_is_not_found(service: Service, subtests: pytest.Subtests) -> None:
    for method, path, body in UNKNOWN_QUEUE_REQUESTS:
        with subtests.test(f"{method} {path}"):
            response = await service.client.request(method, path, json=body)
            assert_problem(response, 404, "NOT_FOUND")
