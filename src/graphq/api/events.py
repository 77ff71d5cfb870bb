"""Server-sent event streams with ``Last-Event-ID`` replay and keep-alive comments."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import anyio
from litestar import Controller, Request, get
from litestar.response import ServerSentEvent, ServerSentEventMessage

from graphq.queue.events import Event, EventFilter
from graphq.runtime import Runtime
from graphq.services.jobs import get_job
from graphq.services.queues import get_queue

# The streams' media type, so the OpenAPI schema documents them as event streams, not JSON.
EVENT_STREAM = "text/event-stream"
# How often an idle stream looks whether its key was revoked: a revoked key's streams end
# within this time.
REVOCATION_CHECK_S = 0.5


def _message(event: Event) -> ServerSentEventMessage:
    return ServerSentEventMessage(data=json.dumps(event.data), event=event.name, id=event.id)


def _comment(text: str) -> ServerSentEventMessage:
    """A comment line only: with a ``data:`` line, EventSource would dispatch an empty message."""
    return ServerSentEventMessage(comment=text, data=None)


def _last_event_id(request: Request) -> int:
    raw = request.headers.get("last-event-id") or request.query_params.get("lastEventId") or ""
    try:
        return int(raw)
    except ValueError:
        return 0


async def _stream(
    rt: Runtime, request: Request, event_filter: EventFilter
) -> AsyncIterator[ServerSentEventMessage]:
    """Subscribe first, then replay, so nothing published in between is lost. The stream
    ends once its key is revoked."""
    key_id: str | None = request.user.key_id
    after_id = _last_event_id(request)
    token, receive = rt.events.subscribe(event_filter)
    try:
        replayed = list(rt.events.replay(after_id, event_filter)) if after_id else []
        last_sent = after_id
        for event in replayed:
            last_sent = event.id
            yield _message(event)
        yield _comment("connected")
        quiet_since = anyio.current_time()
        async with receive:
            while key_id not in rt.revoked_keys:
                with anyio.move_on_after(REVOCATION_CHECK_S) as idle:
                    event = await receive.receive()
                now = anyio.current_time()
                if idle.cancelled_caught:
                    if now - quiet_since >= rt.settings.events.keepalive_s:
                        quiet_since = now
                        yield _comment("keep-alive")
                    continue
                quiet_since = now
                if event.id > last_sent:
                    last_sent = event.id
                    yield _message(event)
    except anyio.EndOfStream:
        return
    finally:
        rt.events.unsubscribe(token)


class EventController(Controller):
    path = "/api/events"
    tags = ["events"]

    @get("/", media_type=EVENT_STREAM)
    async def all_events(self, rt: Runtime, request: Request) -> ServerSentEvent:
        return ServerSentEvent(_stream(rt, request, EventFilter()))

    @get("/queue/{queue_id:str}", media_type=EVENT_STREAM)
    async def queue_events(self, rt: Runtime, request: Request, queue_id: str) -> ServerSentEvent:
        await get_queue(rt, queue_id)
        return ServerSentEvent(_stream(rt, request, EventFilter(queue_id=queue_id)))

    @get("/job/{job_id:str}", media_type=EVENT_STREAM)
    async def job_events(self, rt: Runtime, request: Request, job_id: str) -> ServerSentEvent:
        await get_job(rt, job_id)
        return ServerSentEvent(_stream(rt, request, EventFilter(job_id=job_id)))
