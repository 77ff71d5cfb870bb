"""Every turn of a job's life is a log line an operator can filter: JSON with the job's id."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from graphq.logs import log_handler
from tests.conftest import Service


@pytest.fixture
def job_log() -> Iterator[io.StringIO]:
    """The runner's lines as the server writes them with ``server.log_json = true``."""
    stream = io.StringIO()
    handler = log_handler(stream, as_json=True)
    logger = logging.getLogger("graphq.queue.runs")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _events(stream: io.StringIO, job_id: str) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    return [line for line in lines if line.get("job_id") == job_id]


async def _job(service: Service, kind: str, **body: Any) -> dict[str, Any]:
    product = await service.create_product(f"LOG-{kind}".upper().replace("_", "-"))
    response = await service.client.post(
        "/api/job/create", json={"productId": product["id"], "kind": kind, **body}
    )
    assert response.status_code == 201, response.text
    return dict(response.json()["job"])


async def test_a_completed_job_logs_its_start_and_its_completion_with_its_duration(
    service: Service, job_log: io.StringIO
) -> None:
    job = await _job(service, "needs_review")
    await service.wait_for_job(job["id"], {"completed"})
    lines = _events(job_log, job["id"])
    assert [line["event"] for line in lines] == ["job.started", "job.completed"]
    started, completed = lines
    assert started["kind"] == "needs_review" and started["attempt"] == 1
    assert completed["needs_review"] is True and completed["duration_s"] >= 0
    assert completed["level"] == "INFO" and completed["logger"] == "graphq.queue.runs"


async def test_a_failing_job_logs_each_failure_its_retries_and_its_move_to_the_dlq(
    service: Service, job_log: io.StringIO
) -> None:
    job = await _job(service, "fail", parameters={"code": "FLAKY"})
    await service.wait_for_job(job["id"], {"dead"})
    events = [line["event"] for line in _events(job_log, job["id"])]
    assert events == [
        *["job.started", "job.failed", "job.retrying"] * 2,
        *["job.started", "job.failed", "job.dead_lettered"],
    ]
    dead = _events(job_log, job["id"])[-1]
    assert dead["level"] == "ERROR" and dead["code"] == "FLAKY" and dead["attempts"] == 3


async def test_a_job_over_its_timeout_logs_that_it_timed_out(
    service: Service, job_log: io.StringIO
) -> None:
    queue = await service.client.post(
        "/api/queue/create",
        json={"name": "short", "settings": {"jobTimeoutS": 0.3, "maxAttempts": 1}},
    )
    assert queue.status_code == 201, queue.text
    job = await _job(service, "sleep", queueId=queue.json()["id"], parameters={"seconds": 5})
    await service.wait_for_job(job["id"], {"dead"})
    events = [line["event"] for line in _events(job_log, job["id"])]
    assert events == ["job.started", "job.timed_out", "job.failed", "job.dead_lettered"]
