"""Completing a run: a result that needs review marks its job, in the row and the event; a
kind's Core ``store_in`` commits with its completion, alone or among ORM stores."""

from __future__ import annotations

import json

from tests.api.test_events import stream_while
from tests.conftest import Service
from tests.queue.helpers import add_job, job_row, make_queue


async def _completed_event(service: Service, kind: str) -> tuple[dict, dict]:
    """Run a job of ``kind`` while listening to its stream; its final row and event data."""
    product = await service.create_product(f"REVIEW-{kind}")
    queue = await make_queue(service, f"held-{kind}")
    await service.client.post(f"/api/queue/{queue['id']}/pause")
    job = await add_job(service, product["id"], queue["id"], kind=kind)

    async def resume() -> None:
        await service.client.post(f"/api/queue/{queue['id']}/resume")

    events = await stream_while(service, f"/api/events/job/{job['id']}", "job:completed", resume)
    done = await service.wait_for_job(job["id"], {"completed"})
    return done, json.loads(events[-1].data)


async def test_a_store_that_asks_for_review_marks_its_job_and_its_completed_event(
    service: Service,
) -> None:
    done, event = await _completed_event(service, "needs_review")
    assert done["needsReview"] is True
    assert event["status"] == "completed" and event["needsReview"] is True
    assert job_row(service.rt.settings, done["id"])["result_rows"] == 1


async def test_a_store_that_asks_nothing_leaves_its_job_unmarked(service: Service) -> None:
    done, event = await _completed_event(service, "noop")
    assert done["needsReview"] is False
    assert event["needsReview"] is False


async def test_rows_stored_through_store_in_commit_with_their_completion_and_fail_alone(
    service: Service,
) -> None:
    product = await service.create_product()
    queue = await make_queue(service, "core-stores", maxConcurrentJobs=2)
    await service.client.post(f"/api/queue/{queue['id']}/pause")
    kinds = ["rows", "rows", "rows_fail", "rows", "noop", "rows", "rows_fail", "noop"]
    jobs = [await add_job(service, product["id"], queue["id"], kind=kind) for kind in kinds]
    await service.client.post(f"/api/queue/{queue['id']}/resume")
    final = [await service.wait_for_job(j["id"], {"completed", "dead"}) for j in jobs]

    expected = ["dead" if kind == "rows_fail" else "completed" for kind in kinds]
    assert [j["status"] for j in final] == expected
    rows = [job_row(service.rt.settings, j["id"])["result_rows"] for j in jobs]
    assert rows == [int(status == "completed") for status in expected]
