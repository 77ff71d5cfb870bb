"""The dead-letter queue over HTTP: listing, reprocessing, and what reprocessing refuses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio

from tests.api.helpers import assert_problem
from tests.conftest import Service


async def dead_job(service: Service, product_id: str, **parameters: Any) -> dict[str, Any]:
    body = {
        "productId": product_id,
        "kind": "fail",
        "parameters": {"code": "INVALID_PARAMETERS", **parameters},
    }
    job = (await service.client.post("/api/job/create", json=body)).json()["job"]
    return await service.wait_for_job(job["id"], {"dead"})


async def test_dead_jobs_are_listed_newest_first_with_their_error(service: Service) -> None:
    product = await service.create_product()
    first = await dead_job(service, product["id"], message="first")
    second = await dead_job(service, product["id"], message="second")
    page = (await service.client.get("/api/dlq")).json()
    assert page["total"] == 2
    assert [(d["jobId"], d["error"]["message"]) for d in page["items"]] == [
        (second["id"], "second"),
        (first["id"], "first"),
    ]
    assert all(d["error"]["code"] == "INVALID_PARAMETERS" for d in page["items"])
    assert all(d["reprocessedAt"] is None for d in page["items"])


async def test_reprocessing_requeues_the_job_with_a_new_priority_and_notes(
    service: Service, tmp_path: Path
) -> None:
    product = await service.create_product()
    queue = (
        await service.client.post(
            "/api/queue/create", json={"name": "one-try", "settings": {"maxAttempts": 1}}
        )
    ).json()
    marker = tmp_path / "fixed"
    body = {
        "productId": product["id"],
        "queueId": queue["id"],
        "kind": "flaky",
        "parameters": {"path": str(marker)},
    }
    job = (await service.client.post("/api/job/create", json=body)).json()["job"]
    await service.wait_for_job(job["id"], {"dead"})
    (letter,) = (await service.client.get("/api/dlq")).json()["items"]

    marker.touch()
    response = await service.client.post(
        f"/api/dlq/{letter['id']}/reprocess", json={"notes": "disk replaced", "priority": "urgent"}
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["deadLetter"]["reprocessNotes"] == "disk replaced"
    assert answer["deadLetter"]["reprocessedAt"] is not None
    assert (answer["job"]["id"], answer["job"]["priority"]) == (job["id"], "urgent")
    assert (await service.wait_for_job(job["id"], {"completed"}))["error"] is None

    assert (await service.client.get("/api/dlq")).json()["total"] == 0
    history = (await service.client.get("/api/dlq", params={"includeReprocessed": True})).json()
    assert [d["id"] for d in history["items"]] == [letter["id"]]


async def test_reprocessing_twice_is_a_conflict(service: Service) -> None:
    product = await service.create_product()
    await dead_job(service, product["id"])
    (letter,) = (await service.client.get("/api/dlq")).json()["items"]
    first = await service.client.post(f"/api/dlq/{letter['id']}/reprocess")
    assert first.status_code == 200, first.text
    again = await service.client.post(f"/api/dlq/{letter['id']}/reprocess")
    assert_problem(again, 409, "ALREADY_REPROCESSED")


async def test_reprocessing_an_unknown_dead_letter_is_not_found(service: Service) -> None:
    response = await service.client.post("/api/dlq/missing/reprocess", json={})
    assert_problem(response, 404, "NOT_FOUND")


async def test_reprocess_with_an_unknown_priority_is_refused(service: Service) -> None:
    product = await service.create_product()
    await dead_job(service, product["id"])
    (letter,) = (await service.client.get("/api/dlq")).json()["items"]
    response = await service.client.post(
        f"/api/dlq/{letter['id']}/reprocess", json={"priority": "now"}
    )
    assert_problem(response, 400, "INVALID_REQUEST")
    assert (await service.client.get("/api/dlq")).json()["total"] == 1


async def _flaky_jobs(service: Service, marker: Path, count: int) -> list[dict[str, Any]]:
    """``count`` jobs that die at once and succeed when retried after ``marker`` exists."""
    product = await service.create_product()
    queue = await service.client.post(
        "/api/queue/create", json={"name": "one-try", "settings": {"maxAttempts": 1}}
    )
    body = {"productId": product["id"], "kind": "flaky", "parameters": {"path": str(marker)}}
    created = await service.client.post(
        "/api/batch/create", json={"queueId": queue.json()["id"], "jobs": [body] * count}
    )
    assert created.status_code == 201, created.text
    batch = created.json()
    for job in batch["jobs"]:
        await service.wait_for_job(job["id"], {"dead"})
    assert (await service.client.get("/api/dlq")).json()["total"] == count
    await anyio.Path(marker).touch()
    return [{**job, "batchId": batch["id"]} for job in batch["jobs"]]


async def _reprocessed_letters(service: Service) -> list[dict[str, Any]]:
    assert (await service.client.get("/api/dlq")).json()["total"] == 0
    history = (await service.client.get("/api/dlq", params={"includeReprocessed": True})).json()
    assert all(d["reprocessedAt"] is not None for d in history["items"])
    return list(history["items"])


async def test_retrying_a_dead_job_resolves_its_dead_letter(
    service: Service, tmp_path: Path
) -> None:
    (job,) = await _flaky_jobs(service, tmp_path / "fixed", 1)
    response = await service.client.post(f"/api/job/{job['id']}/retry")
    assert response.status_code == 201, response.text
    await service.wait_for_job(job["id"], {"completed"})
    (letter,) = await _reprocessed_letters(service)
    assert letter["jobId"] == job["id"]
    assert "retry" in letter["reprocessNotes"]


async def test_retrying_a_batchs_failed_jobs_resolves_their_dead_letters(
    service: Service, tmp_path: Path
) -> None:
    jobs = await _flaky_jobs(service, tmp_path / "fixed", 2)
    batch_id = jobs[0]["batchId"]
    retried = await service.client.post(f"/api/batch/{batch_id}/retry-failed")
    assert retried.status_code == 200, retried.text
    for job in jobs:
        await service.wait_for_job(job["id"], {"completed"})
    letters = await _reprocessed_letters(service)
    assert sorted(d["jobId"] for d in letters) == sorted(job["id"] for job in jobs)
    assert {d["reprocessNotes"] for d in letters} == {f"retried with batch {batch_id}"}
