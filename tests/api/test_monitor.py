"""The monitor endpoint: health from thresholds, and every view read from the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from tests.api.helpers import assert_problem
from tests.conftest import TEST_HANDLERS, Service, make_settings, start_service


async def view(service: Service, name: str, **params: Any) -> dict[str, Any]:
    response = await service.client.get("/api/monitor", params={"view": name, **params})
    assert response.status_code == 200, response.text
    return response.json()


async def finished_job(service: Service, product_id: str, kind: str, **parameters: Any) -> str:
    body = {"productId": product_id, "kind": kind, "parameters": parameters}
    job = (await service.client.post("/api/job/create", json=body)).json()["job"]
    await service.wait_for_job(job["id"], {"completed", "dead"})
    return job["id"]


async def health_of(service: Service) -> dict[str, Any]:
    """The health view, which the dashboard's health (built from the figures it reads anyway)
    must equal."""
    alone = await view(service, "health")
    within = (await view(service, "dashboard"))["health"]
    assert {**within, "checkedAt": None} == {**alone, "checkedAt": None}
    return alone


def breached(health: dict[str, Any]) -> set[str]:
    return {check["name"] for check in health["checks"] if not check["ok"]}


async def test_idle_service_is_healthy(service: Service) -> None:
    health = await health_of(service)
    assert (health["status"], health["database"]) == ("healthy", "ok")
    assert {c["name"] for c in health["checks"]} == {
        "queueDepth",
        "dlqSize",
        "successRate",
        "averageDuration",
    }
    assert breached(health) == set()


async def test_one_breached_threshold_makes_the_service_degraded(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data", monitor={"max_dlq_size": 0, "min_success_rate": 0})
    async for service in start_service(settings, [TEST_HANDLERS]):
        product = await service.create_product()
        await finished_job(service, product["id"], "fail", code="INVALID_PARAMETERS")
        health = await health_of(service)
        assert (health["status"], breached(health)) == ("degraded", {"dlqSize"})
        (dlq,) = [c for c in health["checks"] if c["name"] == "dlqSize"]
        assert (dlq["value"], dlq["threshold"]) == (1, 0)


async def test_two_breached_thresholds_make_the_service_unhealthy(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data", monitor={"max_dlq_size": 0})
    async for service in start_service(settings, [TEST_HANDLERS]):
        product = await service.create_product()
        await finished_job(service, product["id"], "noop")
        await finished_job(service, product["id"], "fail", code="INVALID_PARAMETERS")
        health = await health_of(service)
        assert (health["status"], breached(health)) == ("unhealthy", {"dlqSize", "successRate"})
        (rate,) = [c for c in health["checks"] if c["name"] == "successRate"]
        assert rate["value"] == 0.5


async def test_a_deep_queue_breaches_the_depth_threshold(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data", monitor={"max_queue_depth": 1})
    async for service in start_service(settings, [TEST_HANDLERS]):
        product = await service.create_product()
        queue = (await service.client.post("/api/queue/create", json={"name": "deep"})).json()
        await service.client.post(f"/api/queue/{queue['id']}/pause")
        for _ in range(2):
            body = {"productId": product["id"], "queueId": queue["id"], "kind": "noop"}
            await service.client.post("/api/job/create", json=body)
        health = await health_of(service)
        assert (health["status"], breached(health)) == ("degraded", {"queueDepth"})
        (depth,) = [c for c in health["checks"] if c["name"] == "queueDepth"]
        assert depth["value"] == 2
        assert "'deep'" in depth["detail"]


async def test_slow_jobs_breach_the_average_duration_threshold(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data", monitor={"max_avg_duration_s": 0.05})
    async for service in start_service(settings, [TEST_HANDLERS]):
        product = await service.create_product()
        await finished_job(service, product["id"], "sleep", seconds=0.3, steps=1)
        health = await health_of(service)
        assert (health["status"], breached(health)) == ("degraded", {"averageDuration"})


async def test_dashboard_shows_health_totals_queues_and_recent_jobs(service: Service) -> None:
    product = await service.create_product()
    job_id = await finished_job(service, product["id"], "noop")
    dashboard = await view(service, "dashboard")
    assert dashboard["health"]["status"] == "healthy"
    assert dashboard["stats"]["byStatus"]["completed"] == 1
    assert [q["name"] for q in dashboard["queues"]] == ["default"]
    assert [j["id"] for j in dashboard["recentJobs"]] == [job_id]
    assert (await service.client.get("/api/monitor")).json().keys() == dashboard.keys()


async def test_dashboard_counts_the_jobs_whose_result_needs_review(service: Service) -> None:
    product = await service.create_product()
    assert (await view(service, "dashboard"))["needsReview"] == 0
    for kind in ("needs_review", "noop", "needs_review"):
        await finished_job(service, product["id"], kind)
    assert (await view(service, "dashboard"))["needsReview"] == 2


async def test_queue_view_has_the_stats_of_every_queue(service: Service) -> None:
    await service.client.post("/api/queue/create", json={"name": "second"})
    queues = (await view(service, "queue"))["queues"]
    assert [(q["name"], q["total"]) for q in queues] == [("default", 0), ("second", 0)]


async def test_errors_and_dlq_views_group_failures_by_code(service: Service) -> None:
    product = await service.create_product()
    dead = [
        await finished_job(service, product["id"], "fail", code=code)
        for code in ("INVALID_PARAMETERS", "INVALID_PARAMETERS", "NO_CURVES_FOUND")
    ]
    await finished_job(service, product["id"], "noop")
    errors = await view(service, "errors")
    assert errors["byCode"] == {"INVALID_PARAMETERS": 2, "NO_CURVES_FOUND": 1}
    assert errors["total"] == 3
    assert {e["jobId"] for e in errors["recent"]} == set(dead)
    dlq = await view(service, "dlq")
    assert (dlq["size"], dlq["byCode"]) == (3, {"INVALID_PARAMETERS": 2, "NO_CURVES_FOUND": 1})
    assert [d["jobId"] for d in dlq["items"]] == list(reversed(dead))
    assert datetime.fromisoformat(dlq["oldestAt"]) <= datetime.fromisoformat(
        dlq["items"][-1]["createdAt"]
    )


async def test_performance_view_reports_durations_per_kind_and_queue(service: Service) -> None:
    product = await service.create_product()
    for _ in range(2):
        await finished_job(service, product["id"], "sleep", seconds=0.1, steps=1)
    await finished_job(service, product["id"], "noop")
    performance = await view(service, "performance")
    assert performance["overall"]["sample"] == 3
    assert {k: v["sample"] for k, v in performance["byKind"].items()} == {"noop": 1, "sleep": 2}
    assert performance["byKind"]["sleep"]["averageS"] >= 0.1
    assert performance["byQueue"]["default"]["sample"] == 3
    assert (performance["completedLastHour"], performance["workerSlots"]) == (3, 2)


async def test_recent_jobs_view_lists_the_latest_changed_jobs_first(service: Service) -> None:
    product = await service.create_product()
    ids = [await finished_job(service, product["id"], "noop") for _ in range(3)]
    recent = await view(service, "recent-jobs", limit=2)
    assert [j["id"] for j in recent["items"]] == [ids[2], ids[1]]


async def test_hourly_stats_count_jobs_in_clock_hour_buckets(service: Service) -> None:
    product = await service.create_product()
    await finished_job(service, product["id"], "noop")
    await finished_job(service, product["id"], "fail", code="INVALID_PARAMETERS")
    hours = (await view(service, "hourly-stats", hours=6))["hours"]
    assert len(hours) == 6
    starts = [datetime.fromisoformat(h["hour"]) for h in hours]
    assert all((b - a).total_seconds() == 3600 for a, b in pairwise(starts))
    assert datetime.now(UTC) - starts[-1] < timedelta(hours=1)
    totals = {key: sum(h[key] for h in hours) for key in ("created", "completed", "dead")}
    assert totals == {"created": 2, "completed": 1, "dead": 1}
    assert all(h["created"] == 0 for h in hours[:-2])


# One app for the three refusals: starting it is most of a case's cost.
BAD_MONITOR_PARAMETERS: dict[str, dict[str, Any]] = {
    "unknown-view": {"view": "everything"},
    "limit-zero": {"view": "health", "limit": 0},
    "hours-zero": {"view": "hourly-stats", "hours": 0},
}


async def test_bad_monitor_parameters_answer_a_problem(
    service: Service, subtests: pytest.Subtests
) -> None:
    for case, params in BAD_MONITOR_PARAMETERS.items():
        with subtests.test(case):
            response = await service.client.get("/api/monitor", params=params)
            assert_problem(response, 400, "INVALID_REQUEST")
