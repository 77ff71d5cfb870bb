"""Server-sent event streams with ``Last-Event-ID`` replay and keep-alive comments.

Each event goes out as the frame the bus encoded once for all streams
(:meth:`graphq.queue.events.Event.frame`), so a busy queue's events cost each open stream a
write, not a serialisation. An idle stream sleeps until an event or its keep-alive is due:
one watcher for all streams (:class:`OpenStreams`) ends those of revoked keys, where each
stream used to wake itself twice a second to look (with 200 streams open, 400 timeouts a
second on the event loop that answers every request).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import anyio
from anyio.abc import TaskStatus
from litestar import Controller, Request, get
from litestar.params import QueryParameter
from litestar.response import ServerSentEvent, ServerSentEventMessage

from graphq.api.auth import EVENTS_KEY_PARAM
from graphq.db.database import Database
from graphq.queue.events import Event, EventFilter
from graphq.runtime import Runtime
from graphq.services.jobs import get_job
from graphq.services.queues import get_queue

# The streams' media type, so the OpenAPI schema documents them as event streams, not JSON.
EVENT_STREAM = "text/event-stream"
# What every stream's description says about its messages (the OpenAPI document has no
# vocabulary for server-sent events, so they are listed in prose).
EVENTS_DOC = """Each message is ``id: <n>``, ``event: <name>`` and ``data: <JSON>``. Reconnect with
the ``Last-Event-ID`` header (or ``lastEventId``) to get what was missed, while it is still
buffered. Comment lines (``: connected``, ``: keep-alive``) keep idle streams open.

Events and their data (ids are strings):

- ``queue:status_changed`` ``{queueId, status}``, status ``deleted`` when the queue went.
- ``queue:job_added`` ``{queueId, jobId, priority, enqueuedNs, depth}`` (``enqueuedNs``: when
  it was put in line, nanoseconds since the epoch; it orders jobs of equal priority).
- ``queue:backpressure`` ``{queueId, depth, threshold}``, once the depth reaches
  ``queue.backpressure_depth``.
- ``job:status_changed`` ``{jobId, queueId, productId, kind, status, …}`` on every change of
  status, beside the specific event below.
- ``job:progress_updated`` ``{jobId, queueId, progress, currentStep}``, progress 0–100.
- ``job:retry`` ``{jobId, queueId, attempt, delayS, ceilingS, nextAttemptAt, error: {code,
  message}}``.
- ``job:completed`` ``{jobId, queueId, productId, kind, status, progress, needsReview}``.
- ``job:failed`` ``{jobId, queueId, productId, kind, status, error, willRetry}``.
- ``job:cancelled`` ``{jobId, status}`` (with ``queueId``, ``productId``, ``kind`` for a job
  that was running).
- ``job:dlq`` ``{jobId, queueId, productId, kind, status: "dead", error}``.
"""
# How often the watcher looks for revoked keys: a revoked key's streams end within this time.
REVOCATION_CHECK_S = 0.5


class OpenStreams:
    """The subscriptions of the open event streams, by the API key that opened them."""

    def __init__(self) -> None:
        self._tokens: dict[str, set[int]] = {}
        self._watching: anyio.CancelScope | None = None  # made on the event loop, at start

    def add(self, key_id: str, token: int) -> None:
        self._tokens.setdefault(key_id, set()).add(token)

    def discard(self, key_id: str, token: int) -> None:
        tokens = self._tokens.get(key_id, set())
        tokens.discard(token)
        if not tokens:
            self._tokens.pop(key_id, None)

    async def end_revoked(
        self, rt: Runtime, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED
    ) -> None:
        """Until :meth:`stop`: end the streams of every revoked key. A subscription closed
        under a stream ends it (its receive raises ``EndOfStream``)."""
        with anyio.CancelScope() as self._watching:
            task_status.started()
            while True:
                await anyio.sleep(REVOCATION_CHECK_S)
                for key_id in [key_id for key_id in self._tokens if key_id in rt.revoked_keys]:
                    for token in self._tokens.pop(key_id):
                        rt.events.unsubscribe(token)

    def stop(self) -> None:
        if self._watching is not None:
            self._watching.cancel()


@dataclass
class _Frame(ServerSentEventMessage):
    """An event's frame as the bus encoded it, sent as is."""

    frame: bytes = b""

    def encode(self) -> bytes:
        return self.frame


def _message(event: Event) -> ServerSentEventMessage:
    return _Frame(frame=event.frame())


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
    open_streams: OpenStreams = request.app.state.open_streams
    if key_id is not None:
        open_streams.add(key_id, token)
    try:
        replayed = list(rt.events.replay(after_id, event_filter)) if after_id else []
        last_sent = after_id
        for event in replayed:
            last_sent = event.id
            yield _message(event)
        yield _comment("connected")
        async with receive:
            while key_id not in rt.revoked_keys:
                with anyio.move_on_after(rt.settings.events.keepalive_s) as idle:
                    event = await receive.receive()
                if idle.cancelled_caught:
                    yield _comment("keep-alive")
                    continue
                if event.id > last_sent:
                    last_sent = event.id
                    yield _message(event)
    except anyio.EndOfStream:
        return
    finally:
        rt.events.unsubscribe(token)
        if key_id is not None:
            open_streams.discard(key_id, token)


class EventController(Controller):
    path = "/api/events"
    tags = ["events"]
    # Read by the auth middleware and by _last_event_id; declared so that they are documented
    # and are not refused as unknown query parameters.
    parameters = {
        "key": QueryParameter(
            annotation=str,
            name=EVENTS_KEY_PARAM,
            required=False,
            description="the API key, for EventSource clients, which cannot send headers",
        ),
        "last_event_id": QueryParameter(
            annotation=str,
            name="lastEventId",
            required=False,
            description="replay what followed this event id (as the Last-Event-ID header)",
        ),
    }

    @get(
        "/",
        media_type=EVENT_STREAM,
        summary="Stream every event the key may see",
        description=EVENTS_DOC,
    )
    async def all_events(self, rt: Runtime, request: Request) -> ServerSentEvent:
        return ServerSentEvent(_stream(rt, request, EventFilter()))

    @get(
        "/queue/{queue_id:str}",
        media_type=EVENT_STREAM,
        summary="Stream the events of one queue and its jobs",
        description=EVENTS_DOC,
    )
    async def queue_events(
        self, rt: Runtime, db: Database, request: Request, queue_id: str
    ) -> ServerSentEvent:
        await get_queue(db, queue_id)
        return ServerSentEvent(_stream(rt, request, EventFilter(queue_id=queue_id)))

    @get(
        "/job/{job_id:str}",
        media_type=EVENT_STREAM,
        summary="Stream the events of one job",
        description=EVENTS_DOC,
    )
    async def job_events(
        self, rt: Runtime, db: Database, request: Request, job_id: str
    ) -> ServerSentEvent:
        await get_job(db, job_id)
        return ServerSentEvent(_stream(rt, request, EventFilter(job_id=job_id)))
