"""Server-sent events: live job progress, and replay of missed events on reconnection."""

from __future__ import annotations

import json
from typing import Any

import anyio

from tests.api.helpers import assert_problem
from tests.api.sse import SseEvent, collect_events, listen_raw
from tests.conftest import Service


async def held_job(service: Service, **parameters: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A sleep job waiting in a paused queue, so a client can subscribe before it starts."""
    product = await service.create_product()
    queue = (await service.client.post("/api/queue/create", json={"name": "streamed"})).json()
    await service.client.post(f"/api/queue/{queue['id']}/pause")
    body = {
        "productId": product["id"],
        "queueId": queue["id"],
        "kind": "sleep",
        "parameters": parameters,
    }
    job = (await service.client.post("/api/job/create", json=body)).json()["job"]
    return queue, job


async def subscribed(service: Service) -> None:
    """Wait until the stream has subscribed, so nothing the test triggers can precede it."""
    with anyio.fail_after(10):
        while True:
            if service.rt.events.subscriber_count:
                return
            await anyio.sleep(0.02)


async def stream_while(
    service: Service, path: str, until: str, start: Any, **options: Any
) -> list[SseEvent]:
    """Collect events from ``path`` while ``start()`` sets the job going."""
    events: list[SseEvent] = []

    async def listen() -> None:
        events.extend(await collect_events(service, path, until, **options))

    async with anyio.create_task_group() as tg:
        tg.start_soon(listen)
        await subscribed(service)
        await start()
    return events


async def test_job_stream_delivers_progress_and_completion(service: Service) -> None:
    queue, job = await held_job(service, seconds=0.6, steps=3)

    async def resume() -> None:
        await service.client.post(f"/api/queue/{queue['id']}/resume")

    events = await stream_while(service, f"/api/events/job/{job['id']}", "job:completed", resume)
    names = [e.name for e in events]
    assert "job:progress_updated" in names
    assert names[-1] == "job:completed"
    progress = [json.loads(e.data)["progress"] for e in events if e.name == "job:progress_updated"]
    assert progress == sorted(progress)
    assert 0 <= progress[0] < progress[-1] <= 100
    assert all(json.loads(e.data)["jobId"] == job["id"] for e in events)
    ids = [e.id for e in events]
    assert all(i is not None for i in ids) and ids == sorted(ids)


async def test_reconnecting_with_last_event_id_replays_the_missed_events(
    service: Service,
) -> None:
    queue, job = await held_job(service, seconds=1.0, steps=5)
    path = f"/api/events/job/{job['id']}"

    async def resume() -> None:
        await service.client.post(f"/api/queue/{queue['id']}/resume")

    before = await stream_while(service, path, "job:progress_updated", resume)
    await service.wait_for_job(job["id"], {"completed"})
    last_seen = before[-1].id
    assert last_seen is not None

    missed = await collect_events(service, path, "job:completed", last_event_id=last_seen)
    assert missed[-1].name == "job:completed"
    assert "job:progress_updated" in [e.name for e in missed]
    assert all(e.id is not None and e.id > last_seen for e in missed)
    everything = [e.id for e in before + missed]
    assert len(everything) == len(set(everything))


async def test_queue_stream_announces_jobs_added_to_the_queue(service: Service) -> None:
    product = await service.create_product()
    queue = (await service.client.post("/api/queue/create", json={"name": "announced"})).json()
    await service.client.post(f"/api/queue/{queue['id']}/pause")

    async def add() -> None:
        body = {"productId": product["id"], "queueId": queue["id"], "kind": "noop"}
        await service.client.post("/api/job/create", json=body)

    path = f"/api/events/queue/{queue['id']}"
    events = await stream_while(service, path, "queue:job_added", add)
    assert json.loads(events[-1].data)["queueId"] == queue["id"]


async def test_idle_stream_is_kept_open_with_comments_that_are_not_events(
    service: Service,
) -> None:
    (queue,) = (await service.client.get("/api/queues")).json()
    keepalive_s = service.rt.settings.events.keepalive_s
    raw = await listen_raw(service, f"/api/events/queue/{queue['id']}", 2.5 * keepalive_s)
    lines = raw.decode().splitlines()
    assert lines.count(": keep-alive") >= 2
    assert [line for line in lines if line and not line.startswith(":")] == []


async def test_stream_of_an_unknown_job_is_not_found(service: Service) -> None:
    assert_problem(await service.client.get("/api/events/job/missing"), 404, "NOT_FOUND")
