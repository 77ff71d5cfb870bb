"""Jobs over HTTP: creation with place in line, listing with filters, cancel, priority, retry."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.helpers import assert_problem, graph_png, meta, upload
from tests.conftest import Service


async def paused_queue(service: Service, name: str, **fields: Any) -> dict[str, Any]:
    queue = (await service.client.post("/api/queue/create", json={"name": name, **fields})).json()
    await service.client.post(f"/api/queue/{queue['id']}/pause")
    return queue


async def create_job(service: Service, **body: Any) -> dict[str, Any]:
    response = await service.client.post("/api/job/create", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def test_job_create_answers_its_place_in_line_and_an_estimated_wait(
    service: Service,
) -> None:
    product = await service.create_product()
    warmup = await create_job(
        service, productId=product["id"], kind="sleep", parameters={"seconds": 0.2, "steps": 1}
    )
    finished = await service.wait_for_job(warmup["job"]["id"], {"completed"})
    queue = await paused_queue(service, "waiting-room", maxConcurrentJobs=1)

    answers = [
        await create_job(service, productId=product["id"], queueId=queue["id"], kind="sleep")
        for _ in range(3)
    ]
    assert [a["queuePosition"] for a in answers] == [0, 1, 2]
    waits = [a["estimatedWaitS"] for a in answers]
    assert all(w is not None for w in waits)
    assert waits[0] < waits[1] < waits[2]
    assert answers[0]["job"]["estimatedDuration"] == pytest.approx(finished["actualDuration"])


async def test_urgent_job_goes_to_the_front_of_the_line(service: Service) -> None:
    product = await service.create_product()
    queue = await paused_queue(service, "line")
    for _ in range(2):
        await create_job(service, productId=product["id"], queueId=queue["id"], kind="noop")
    urgent = await create_job(
        service, productId=product["id"], queueId=queue["id"], kind="noop", priority="urgent"
    )
    assert urgent["queuePosition"] == 0


async def test_job_without_a_queue_goes_to_the_default_queue(service: Service) -> None:
    product = await service.create_product()
    (default,) = (await service.client.get("/api/queues")).json()
    answer = await create_job(service, productId=product["id"], kind="noop")
    assert answer["job"]["queueId"] == default["id"]
    done = await service.wait_for_job(answer["job"]["id"], {"completed"})
    assert (done["progress"], done["attempts"]) == (100, 1)


async def test_jobs_list_filters_by_status_queue_product_and_kind(service: Service) -> None:
    one, two = await service.create_product("ONE"), await service.create_product("TWO")
    queue = await paused_queue(service, "filters")
    held = [
        (await create_job(service, productId=one["id"], queueId=queue["id"], kind="sleep"))["job"]
        for _ in range(2)
    ]
    done = (await create_job(service, productId=two["id"], kind="noop"))["job"]
    await service.wait_for_job(done["id"], {"completed"})

    async def ids(**params: str) -> set[str]:
        page = (await service.client.get("/api/jobs", params=params)).json()
        assert page["total"] == len(page["items"])
        return {j["id"] for j in page["items"]}

    assert await ids(queue=queue["id"]) == {j["id"] for j in held}
    assert await ids(product=two["id"]) == {done["id"]}
    assert await ids(status="completed") == {done["id"]}
    assert await ids(status="queued", kind="sleep") == {j["id"] for j in held}
    assert await ids(kind="digitize") == set()
    page = (await service.client.get("/api/jobs", params={"limit": 1, "offset": 1})).json()
    assert (page["total"], len(page["items"])) == (3, 1)


async def test_jobs_list_pages_by_cursor_through_every_job_once_newest_first(
    service: Service,
) -> None:
    product = await service.create_product()
    queue = await paused_queue(service, "pages")
    body = {"productId": product["id"], "kind": "sleep"}
    batch = await service.client.post(
        "/api/batch/create", json={"queueId": queue["id"], "jobs": [body] * 7}
    )
    created = [j["id"] for j in batch.json()["jobs"]]
    first = (await service.client.get("/api/jobs", params={"limit": 3})).json()
    assert first["total"] == 7
    seen, page = [], first
    while True:
        seen += [j["id"] for j in page["items"]]
        if page["nextCursor"] is None:
            break
        params = {"limit": 3, "cursor": page["nextCursor"]}
        page = (await service.client.get("/api/jobs", params=params)).json()
        assert page["total"] is None
    assert seen == list(reversed(created))
    filtered = {"limit": 2, "queue": queue["id"], "cursor": first["nextCursor"]}
    rest = (await service.client.get("/api/jobs", params=filtered)).json()
    assert [j["id"] for j in rest["items"]] == seen[3:5]


async def test_a_cursor_the_list_did_not_hand_out_is_refused(service: Service) -> None:
    response = await service.client.get("/api/jobs", params={"cursor": "not-a-cursor"})
    assert_problem(response, 400, "INVALID_CURSOR")


async def test_jobs_list_filters_the_jobs_whose_result_needs_review(service: Service) -> None:
    product = await service.create_product()
    jobs = [
        (await create_job(service, productId=product["id"], kind=kind))["job"]
        for kind in ("needs_review", "noop")
    ]
    reviewed, plain = [await service.wait_for_job(j["id"], {"completed"}) for j in jobs]
    assert (reviewed["needsReview"], plain["needsReview"]) == (True, False)

    async def ids(needs_review: str) -> list[str]:
        page = (await service.client.get("/api/jobs", params={"needsReview": needs_review})).json()
        return [j["id"] for j in page["items"]]

    assert await ids("true") == [reviewed["id"]]
    assert await ids("false") == [plain["id"]]


async def test_digitize_job_for_an_uploaded_image_names_the_image(
    extracting_service: Service,
) -> None:
    service = extracting_service
    product = await service.create_product()
    image = (await upload(service, product["id"], [("a.png", graph_png())])).json()["images"][0]
    queue = await paused_queue(service, "digitize-held")
    answer = await create_job(
        service,
        productId=product["id"],
        imageId=image["id"],
        queueId=queue["id"],
        extractionMethod="legacy",
        parameters={"axes": {"x": {"min": 0, "max": 1}, "y": {"min": 0, "max": 1}}},
    )
    job = answer["job"]
    assert (job["kind"], job["imageId"], job["extractionMethod"]) == (
        "digitize",
        image["id"],
        "legacy",
    )


async def test_cancelling_twice_is_a_conflict(service: Service) -> None:
    product = await service.create_product()
    queue = await paused_queue(service, "cancel-twice")
    job = (await create_job(service, productId=product["id"], queueId=queue["id"], kind="noop"))[
        "job"
    ]
    assert (await service.client.delete(f"/api/job/{job['id']}")).json()["status"] == "cancelled"
    assert_problem(await service.client.delete(f"/api/job/{job['id']}"), 409, "JOB_FINISHED")


async def test_cancelled_job_can_be_retried_and_then_completes(service: Service) -> None:
    product = await service.create_product()
    queue = await paused_queue(service, "retry-me")
    job = (await create_job(service, productId=product["id"], queueId=queue["id"], kind="noop"))[
        "job"
    ]
    await service.client.delete(f"/api/job/{job['id']}")
    retried = (await service.client.post(f"/api/job/{job['id']}/retry")).json()
    assert retried["status"] == "queued"
    await service.client.post(f"/api/queue/{queue['id']}/resume")
    await service.wait_for_job(job["id"], {"completed"})
    again = await service.client.post(f"/api/job/{job['id']}/retry")
    assert_problem(again, 409, "JOB_NOT_RETRYABLE")


async def test_priority_of_a_running_job_cannot_change(service: Service) -> None:
    product = await service.create_product()
    job = (
        await create_job(
            service, productId=product["id"], kind="sleep", parameters={"seconds": 5, "steps": 5}
        )
    )["job"]
    await service.wait_for_job(job["id"], {"processing"})
    response = await service.client.put(f"/api/job/{job['id']}/priority", json={"priority": "low"})
    assert_problem(response, 409, "JOB_NOT_WAITING")
    await service.client.delete(f"/api/job/{job['id']}")


# The refusals of a route run in one app, one case after another: starting the app is most of
# a case's cost, and a refused request must leave the app as it found it anyway.
BAD_JOB_REQUESTS: dict[str, tuple[dict[str, Any], int, str]] = {
    "unknown-product": ({"productId": "missing", "kind": "noop"}, 404, "NOT_FOUND"),
    "digitize-without-image": (
        {"productId": "{product}", "kind": "digitize"},
        422,
        "INVALID_PARAMETERS",
    ),
    "unknown-kind": ({"productId": "{product}", "kind": "nonexistent"}, 422, "INVALID_PARAMETERS"),
    "unknown-image": (
        {"productId": "{product}", "kind": "noop", "imageId": "missing"},
        404,
        "NOT_FOUND",
    ),
    "unknown-queue": (
        {"productId": "{product}", "kind": "noop", "queueId": "missing"},
        404,
        "NOT_FOUND",
    ),
    "unknown-priority": (
        {"productId": "{product}", "kind": "noop", "priority": "asap"},
        400,
        "INVALID_REQUEST",
    ),
    "unknown-method": (
        {"productId": "{product}", "extractionMethod": "magic"},
        400,
        "INVALID_REQUEST",
    ),
    "malformed-kind": ({"productId": "{product}", "kind": "Bad Kind!"}, 400, "INVALID_REQUEST"),
    "missing-product": ({"kind": "noop"}, 400, "INVALID_REQUEST"),
}


async def test_bad_job_requests_are_refused_and_create_nothing(
    service: Service, subtests: pytest.Subtests
) -> None:
    for index, (case, (body, status, code)) in enumerate(BAD_JOB_REQUESTS.items()):
        with subtests.test(case):
            product = await service.create_product(f"TST{index:03d}")
            filled = {
                k: v.format(product=product["id"]) if isinstance(v, str) else v
                for k, v in body.items()
            }
            response = await service.client.post("/api/job/create", json=filled)
            assert_problem(response, status, code)
            assert (await service.client.get("/api/jobs")).json()["total"] == 0


async def test_malformed_json_job_body_is_a_bad_request(service: Service) -> None:
    response = await service.client.post(
        "/api/job/create", content=b"{productId:", headers={"content-type": "application/json"}
    )
    assert_problem(response, 400, "INVALID_REQUEST")


UNKNOWN_JOB_REQUESTS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/api/job/missing", None),
    ("DELETE", "/api/job/missing", None),
    ("PUT", "/api/job/missing/priority", {"priority": "high"}),
    ("POST", "/api/job/missing/retry", None),
    ("GET", "/api/job/missing/result", None),
]


async def test_unknown_job_is_not_found(service: Service, subtests: pytest.Subtests) -> None:
    for method, path, body in UNKNOWN_JOB_REQUESTS:
        with subtests.test(f"{method} {path}"):
            response = await service.client.request(method, path, json=body)
            assert_problem(response, 404, "NOT_FOUND")


async def test_unknown_status_filter_is_refused(service: Service) -> None:
    response = await service.client.get("/api/jobs", params={"status": "sleeping"})
    assert_problem(response, 400, "INVALID_REQUEST")


BAD_DIGITIZE_PARAMETERS: dict[str, tuple[dict[str, Any], str]] = {
    "reversed-axis": (
        {"axes": {"x": {"min": 10, "max": 0}, "y": {"min": 0, "max": 1}}},
        "INVALID_METADATA",
    ),
    "log-axis-from-zero": (
        {"axes": {"x": {"min": 0, "max": 1}, "y": {"min": 0, "max": 10, "scale": "log"}}},
        "INVALID_METADATA",
    ),
    "no-curves": ({"curves": 0}, "INVALID_PARAMETERS"),
    "unknown-field": ({"shellCommand": "rm -rf /"}, "INVALID_PARAMETERS"),
    "click-past-any-image": (
        {"addedCurves": [{"label": "x", "points": [[1, 2], [2e5, 3]]}]},
        "INVALID_PARAMETERS",
    ),
    "click-off-the-image": (
        {"addedCurves": [{"label": "x", "points": [[1, 2], [-5, 3]]}]},
        "INVALID_PARAMETERS",
    ),
}


async def test_digitize_parameters_get_the_uploads_checks_when_the_job_is_created(
    extracting_service: Service, subtests: pytest.Subtests
) -> None:
    service = extracting_service
    product = await service.create_product()
    uploaded = await upload(service, product["id"], [("g.png", graph_png())], [meta()])
    image_id = uploaded.json()["images"][0]["id"]
    for case, (parameters, code) in BAD_DIGITIZE_PARAMETERS.items():
        with subtests.test(case):
            body = {"productId": product["id"], "imageId": image_id, "parameters": parameters}
            response = await service.client.post("/api/job/create", json=body)
            assert_problem(response, 422, code)
    assert (await service.client.get("/api/jobs")).json()["total"] == 0
