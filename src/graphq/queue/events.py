"""In-process event bus with bounded replay for server-sent events.

Events are ephemeral notifications; the database stays the source of truth. Ids grow
monotonically and start from the boot time in milliseconds, so a client reconnecting after a
restart with an old ``Last-Event-ID`` is simply given everything still buffered.

Publishing costs the same however many streams are open: subscribers are indexed by what
they follow (one job, one queue, everything), so an event reaches only the streams that
want it, and it is serialised once, on first use, into the frame every stream sends. Each
subscriber has a bounded buffer; one that falls behind (a slow or dead client) is dropped
without slowing anyone else, and reconnects with ``Last-Event-ID`` to replay what it missed.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import anyio
import msgspec
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

_ENCODER = msgspec.json.Encoder()
# Events a subscriber may have waiting before it counts as fallen behind and is dropped.
SUBSCRIBER_BUFFER = 1000


@dataclass(slots=True)
class Event:
    id: int
    name: str
    data: dict[str, Any]
    queue_id: str | None = None
    job_id: str | None = None
    _frame: bytes | None = field(default=None, init=False, repr=False, compare=False)

    def frame(self) -> bytes:
        """The event as one server-sent-events frame, encoded once for every stream."""
        if self._frame is None:
            data = _ENCODER.encode(self.data)  # one line: JSON holds no raw line breaks
            self._frame = b"id: %d\r\nevent: %s\r\ndata: %s\r\n\r\n" % (
                self.id,
                self.name.encode(),
                data,
            )
        return self._frame


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events a subscriber sees; ``None`` fields match everything."""

    queue_id: str | None = None
    job_id: str | None = None

    def matches(self, event: Event) -> bool:
        if self.queue_id is not None and event.queue_id != self.queue_id:
            return False
        return self.job_id is None or event.job_id == self.job_id


@dataclass(slots=True)
class _Subscriber:
    filter: EventFilter
    send: MemoryObjectSendStream[Event]


@dataclass
class EventBus:
    replay_size: int = 2000
    subscriber_buffer: int = SUBSCRIBER_BUFFER
    _next_id: int = field(default_factory=lambda: int(time.time() * 1000) * 1000)
    _buffer: deque[Event] = field(init=False)
    _by_token: dict[int, _Subscriber] = field(default_factory=dict)
    # Subscribers by what they follow: a job's id, a queue's id, or everything ("").
    _by_job: dict[str, dict[int, _Subscriber]] = field(default_factory=dict)
    _by_queue: dict[str, dict[int, _Subscriber]] = field(default_factory=dict)
    # In a cluster, takes each published event to every node (graphq.queue.event_relay),
    # which hands it back through :meth:`deliver` with its cluster-wide id.
    relay: Callable[[str, dict[str, Any], str | None, str | None], None] | None = None

    def __post_init__(self) -> None:
        self._buffer = deque(maxlen=self.replay_size)

    def publish(
        self,
        name: str,
        data: dict[str, Any],
        *,
        queue_id: str | None = None,
        job_id: str | None = None,
    ) -> None:
        if self.relay is not None:
            self.relay(name, data, queue_id, job_id)
            return
        self.deliver(Event(self._next_id, name, data, queue_id, job_id))
        self._next_id += 1

    def deliver(self, event: Event) -> None:
        """Buffer the event for replay and hand it to the streams that follow it."""
        self._buffer.append(event)
        if not self._by_token:
            return
        queue_id, job_id = event.queue_id, event.job_id
        for group in (
            self._by_queue.get(""),
            self._by_queue.get(queue_id) if queue_id else None,
            self._by_job.get(job_id) if job_id else None,
        ):
            for token, subscriber in list(group.items()) if group else ():
                if not subscriber.filter.matches(event):
                    continue
                try:
                    subscriber.send.send_nowait(event)
                except (anyio.WouldBlock, anyio.BrokenResourceError, anyio.ClosedResourceError):
                    # Fallen behind or gone: dropped; it reconnects with Last-Event-ID.
                    self.unsubscribe(token)

    def replay(self, after_id: int, event_filter: EventFilter) -> Iterator[Event]:
        return (e for e in list(self._buffer) if e.id > after_id and event_filter.matches(e))

    def subscribe(self, event_filter: EventFilter) -> tuple[int, MemoryObjectReceiveStream[Event]]:
        """A stream of the events ``event_filter`` lets through."""
        send, receive = anyio.create_memory_object_stream[Event](self.subscriber_buffer)
        token = id(send)
        subscriber = _Subscriber(event_filter, send)
        self._by_token[token] = subscriber
        self._group_of(event_filter)[token] = subscriber
        return token, receive

    def unsubscribe(self, token: int) -> None:
        subscriber = self._by_token.pop(token, None)
        if subscriber is None:
            return
        subscriber.send.close()
        group_key = subscriber.filter.job_id or subscriber.filter.queue_id or ""
        index = self._by_job if subscriber.filter.job_id is not None else self._by_queue
        group = index.get(group_key, {})
        group.pop(token, None)
        if not group:
            index.pop(group_key, None)

    def _group_of(self, event_filter: EventFilter) -> dict[int, _Subscriber]:
        if event_filter.job_id is not None:
            return self._by_job.setdefault(event_filter.job_id, {})
        return self._by_queue.setdefault(event_filter.queue_id or "", {})

    @property
    def subscriber_count(self) -> int:
        return len(self._by_token)
