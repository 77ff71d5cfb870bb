"""``GET /metrics``: the queue and the API as Prometheus reads them, for admins only."""

from __future__ import annotations

from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from tests.api.helpers import assert_problem
from tests.conftest import Service


async def _scrape(service: Service) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = await service.client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


async def _job(service: Service, product_id: str, kind: str, **body: Any) -> str:
    response = await service.client.post(
        "/api/job/create", json={"productId": product_id, "kind": kind, **body}
    )
    assert response.status_code == 201, response.text
    return str(response.json()["job"]["id"])


async def test_the_scrape_reports_the_queue_jobs_durations_dlq_slots_and_reviews(
    service: Service,
) -> None:
    product = (await service.create_product())["id"]
    done = [await _job(service, product, kind) for kind in ("noop", "noop", "needs_review")]
    dead = await _job(service, product, "fail", parameters={"code": "INVALID_PARAMETERS"})
    for job_id in done:
        await service.wait_for_job(job_id, {"completed"})
    await service.wait_for_job(dead, {"dead"})
    manual = await service.client.post("/api/queue/create", json={"name": "held", "mode": "manual"})
    for _ in range(2):
        await _job(service, product, "sleep", queueId=manual.json()["id"])

    samples = await _scrape(service)

    assert samples[("graphq_jobs", (("status", "completed"),))] == 3
    assert samples[("graphq_jobs", (("status", "dead"),))] == 1
    assert samples[("graphq_jobs", (("status", "queued"),))] == 2
    assert samples[("graphq_jobs", (("status", "processing"),))] == 0
    assert samples[("graphq_jobs_needs_review", (("kind", "needs_review"),))] == 1
    assert samples[("graphq_dead_letters", ())] == 1
    assert samples[("graphq_queue_depth", (("queue", "held"),))] == 2
    assert samples[("graphq_queue_depth", (("queue", "default"),))] == 0
    assert samples[("graphq_worker_slots", ())] == 2
    assert samples[("graphq_worker_slots_busy", ())] == 0
    noop = (("kind", "noop"),)
    assert samples[("graphq_job_duration_seconds_count", noop)] == 2
    assert samples[("graphq_job_duration_seconds_bucket", (*noop, ("le", "+Inf")))] == 2
    assert samples[("graphq_job_duration_seconds_sum", noop)] >= 0
    job_reads = [
        value
        for (name, labels), value in samples.items()
        if name == "graphq_http_request_duration_seconds_count"
        and ("method", "POST") in labels
        and ("path", "/api/job/create") in labels
        and ("status_code", "201") in labels
    ]
    assert job_reads and job_reads[0] >= 6


async def test_only_an_admin_may_scrape(service: Service) -> None:
    viewer = {"Authorization": f"Bearer {await service.key('viewer')}"}
    operator = {"Authorization": f"Bearer {await service.key('operator')}"}
    assert_problem(await service.client.get("/metrics", headers=viewer), 403, "FORBIDDEN")
    assert_problem(await service.client.get("/metrics", headers=operator), 403, "FORBIDDEN")
    service.client.headers.pop("Authorization")
    assert_problem(await service.client.get("/metrics"), 401, "UNAUTHORIZED")
