"""The queue's behaviour, observed through the real app and a real SQLite file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import pytest
from sqlalchemy import func, select

from graphq.db.models import ExtractionResult
from graphq.queue.events import EventFilter
from tests.conftest import Service
from tests.queue.helpers import add_job, make_queue, started


async def test_manual_queue_starts_nothing_until_dispatched(service: Service) -> None:
    product = await service.create_product()
    queue = await make_queue(service, "by-hand", mode="manual")
    jobs = [
        await add_job(service, product["id"], queue["id"], parameters={"seconds": 0.01, "steps": 1})
        for _ in range(3)
    ]
    await anyio.sleep(0.6)
    states = [(await service.client.get(f"/api/job/{j['id']}")).json()["status"] for j in jobs]
    assert states == ["queued"] * 3

    response = await service.client.post(f"/api/queue/{queue['id']}/dispatch", json={"count": 2})
    assert response.json()["dispatched"] == 2
    await service.wait_for_job(jobs[0]["id"], {"completed"})
    await service.wait_for_job(jobs[1]["id"], {"completed"})
    await anyio.sleep(0.3)
    assert (await service.client.get(f"/api/job/{jobs[2]['id']}")).json()["status"] == "queued"


async def test_paused_queue_starts_nothing_and_resumes_where_it_stopped(service: Service) -> None:
    product = await service.create_product()
    queue = await make_queue(service, "pausable")
    await service.client.post(f"/api/queue/{queue['id']}/pause")
    job = await add_job(
        service, product["id"], queue["id"], parameters={"seconds": 0.01, "steps": 1}
    )
    await anyio.sleep(0.5)
    assert (await service.client.get(f"/api/job/{job['id']}")).json()["status"] == "queued"
    assert (await service.client.get(f"/api/queue/{queue['id']}")).json()["depth"] == 1
    await service.client.post(f"/api/queue/{queue['id']}/resume")
    await service.wait_for_job(job["id"], {"completed"})


async def test_pause_lets_a_running_job_finish(service: Service) -> None:
    product = await service.create_product()
    queue = await make_queue(service, "pause-running")
    job = await add_job(
        service, product["id"], queue["id"], parameters={"seconds": 0.8, "steps": 4}
    )
    await service.wait_for_job(job["id"], {"processing"})
    await service.client.post(f"/api/queue/{queue['id']}/pause")
    assert (await service.wait_for_job(job["id"], {"completed", "cancelled"}))[
        "status"
    ] == "completed"


async def test_failing_job_is_retried_with_growing_backoff_then_dead_lettered(
    service: Service,
) -> None:
    product = await service.create_product()
    queue = await make_queue(
        service, "retrying", settings={"maxAttempts": 4, "retryBaseS": 0.1, "retryCapS": 5}
    )
    retries: list[dict[str, Any]] = []
    token, events = service.rt.events.subscribe(EventFilter(queue_id=queue["id"]))
    job = await add_job(
        service, product["id"], queue["id"], kind="fail", parameters={"code": "FLAKY"}
    )
    dead = await service.wait_for_job(job["id"], {"dead"})
    service.rt.events.unsubscribe(token)
    async for event in events:
        if event.name == "job:retry" and event.job_id == job["id"]:
            retries.append(event.data)

    assert dead["attempts"] == 4
    assert dead["error"]["code"] == "FLAKY"
    assert [r["attempt"] for r in retries] == [1, 2, 3]
    assert [r["ceilingS"] for r in retries] == [0.1, 0.2, 0.4]
    assert all(0 <= r["delayS"] <= r["ceilingS"] for r in retries)
    letters = (await service.client.get("/api/dlq")).json()["items"]
    assert [(d["jobId"], d["attempts"], d["error"]["code"]) for d in letters] == [
        (job["id"], 4, "FLAKY")
    ]


async def test_non_retryable_error_goes_straight_to_the_dead_letter_queue(service: Service) -> None:
    product = await service.create_product()
    queue = await make_queue(service, "strict", settings={"maxAttempts": 5})
    job = await add_job(
        service, product["id"], queue["id"], kind="fail", parameters={"code": "INVALID_PARAMETERS"}
    )
    dead = await service.wait_for_job(job["id"], {"dead"})
    assert dead["attempts"] == 1
    assert dead["error"]["code"] == "INVALID_PARAMETERS"


async def test_dead_job_reprocessed_from_the_dlq_runs_again_and_completes(
    service: Service, tmp_path: Path
) -> None:
    product = await service.create_product()
    queue = await make_queue(service, "recovering", settings={"maxAttempts": 1})
    marker = tmp_path / "dependency-is-up"
    job = await add_job(
        service, product["id"], queue["id"], kind="flaky", parameters={"path": str(marker)}
    )
    await service.wait_for_job(job["id"], {"dead"})
    (letter,) = (await service.client.get("/api/dlq")).json()["items"]

    marker.touch()
    response = await service.client.post(
        f"/api/dlq/{letter['id']}/reprocess", json={"notes": "dependency fixed"}
    )
    assert response.status_code == 200, response.text
    completed = await service.wait_for_job(job["id"], {"completed"})
    assert completed["attempts"] == 1
    assert (await service.client.get("/api/dlq")).json()["items"] == []
    again = await service.client.post(f"/api/dlq/{letter['id']}/reprocess", json={})
    assert again.status_code == 409


async def test_cancelled_queued_job_never_starts(service: Service) -> None:
    product = await service.create_product()
    queue = await make_queue(service, "cancel-queued")
    await service.client.post(f"/api/queue/{queue['id']}/pause")
    job = await add_job(
        service, product["id"], queue["id"], parameters={"seconds": 0.01, "steps": 1}
    )
    response = await service.client.delete(f"/api/job/{job['id']}")
    assert response.json()["status"] == "cancelled"
    await service.client.post(f"/api/queue/{queue['id']}/resume")
    await anyio.sleep(0.5)
    final = (await service.client.get(f"/api/job/{job['id']}")).json()
    assert final["status"] == "cancelled"
    assert final["startedAt"] is None


async def test_cancelled_running_job_stops_at_once_and_frees_its_slot(service: Service) -> None:
    product = await service.create_product()
    queue = await make_queue(service, "cancel-running", maxConcurrentJobs=1)
    long_job = await add_job(
        service, product["id"], queue["id"], parameters={"seconds": 30, "steps": 30}
    )
    next_job = await add_job(
        service, product["id"], queue["id"], parameters={"seconds": 0.01, "steps": 1}
    )
    await service.wait_for_job(long_job["id"], {"processing"})

    response = await service.client.delete(f"/api/job/{long_job['id']}")
    assert response.json()["status"] == "cancelled"
    # Well before the cancelled job's 30 s were up, whatever the machine's load: its worker
    # was killed, not waited for (a replacement worker's start-up takes seconds when busy).
    await service.wait_for_job(next_job["id"], {"processing", "completed"}, timeout_s=15.0)


async def test_job_over_its_timeout_fails_with_timeout(service: Service) -> None:
    product = await service.create_product()
    queue = await make_queue(service, "impatient", settings={"jobTimeoutS": 0.5, "maxAttempts": 1})
    job = await add_job(
        service, product["id"], queue["id"], parameters={"seconds": 10, "steps": 10}
    )
    dead = await service.wait_for_job(job["id"], {"dead"})
    assert dead["error"]["code"] == "TIMEOUT"


async def test_progress_is_persisted_while_a_job_runs(service: Service) -> None:
    product = await service.create_product()
    queue = await make_queue(service, "progress")
    job = await add_job(
        service, product["id"], queue["id"], parameters={"seconds": 1.2, "steps": 4}
    )
    seen: set[float] = set()
    with anyio.fail_after(10):
        while True:
            current = (await service.client.get(f"/api/job/{job['id']}")).json()
            seen.add(current["progress"])
            if current["status"] == "completed":
                break
            await anyio.sleep(0.05)
    assert any(5 < p < 95 for p in seen), seen
    assert current["progress"] == 100


async def test_completed_job_has_exactly_one_result_row(service: Service) -> None:
    product = await service.create_product()
    queue = await make_queue(service, "results")
    job = await add_job(service, product["id"], queue["id"], kind="noop")
    await service.wait_for_job(job["id"], {"completed"})
    async with service.db.read() as session:
        count = (
            await session.execute(select(func.count()).where(ExtractionResult.job_id == job["id"]))
        ).scalar_one()
    assert count == 1


@pytest.mark.parametrize("priority", ["urgent", "low"])
async def test_reprioritising_a_waiting_job_changes_its_place(
    service: Service, priority: str
) -> None:
    product = await service.create_product()
    queue = await make_queue(service, "reorder", maxConcurrentJobs=1)
    await service.client.post(f"/api/queue/{queue['id']}/pause")
    first = await add_job(
        service, product["id"], queue["id"], parameters={"seconds": 0.01, "steps": 1}
    )
    second = await add_job(
        service, product["id"], queue["id"], parameters={"seconds": 0.01, "steps": 1}
    )
    response = await service.client.put(
        f"/api/job/{second['id']}/priority", json={"priority": priority}
    )
    assert response.json()["priority"] == priority
    await service.client.post(f"/api/queue/{queue['id']}/resume")
    done = [await service.wait_for_job(j["id"], {"completed"}) for j in (first, second)]
    first_started = min(done, key=started)["id"]
    assert first_started == (second["id"] if priority == "urgent" else first["id"])


async def test_a_store_that_fails_undoes_only_its_own_job_among_jobs_completing_together(
    service: Service,
) -> None:
    product = await service.create_product()
    queue = await make_queue(service, "grouped", maxConcurrentJobs=2)
    await service.client.post(f"/api/queue/{queue['id']}/pause")
    kinds = ["noop", "store_fails", "noop", "noop", "store_fails", "noop"]
    jobs = [await add_job(service, product["id"], queue["id"], kind=kind) for kind in kinds]
    await service.client.post(f"/api/queue/{queue['id']}/resume")
    final = [await service.wait_for_job(j["id"], {"completed", "dead"}) for j in jobs]

    expected = ["dead" if kind == "store_fails" else "completed" for kind in kinds]
    assert [j["status"] for j in final] == expected
    async with service.db.read() as session:
        rows = dict(
            (
                await session.execute(
                    select(ExtractionResult.job_id, func.count()).group_by(ExtractionResult.job_id)
                )
            ).all()
        )
    assert [rows.get(j["id"], 0) for j in jobs] == [int(s == "completed") for s in expected]
