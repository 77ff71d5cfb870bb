"""In-process event bus with bounded replay for server-sent events.

Events are ephemeral notifications; the database stays the source of truth. Ids grow
monotonically and start from the boot time in milliseconds, so a client reconnecting after a
restart with an old ``Last-Event-ID`` is simply given everything still buffered.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import anyio
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    name: str
    data: dict[str, Any]
    queue_id: str | None = None
    job_id: str | None = None


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
    subscriber_buffer: int = 1000
    _next_id: int = field(default_factory=lambda: int(time.time() * 1000) * 1000)
    _buffer: deque[Event] = field(init=False)
    _by_token: dict[int, _Subscriber] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._buffer = deque(maxlen=self.replay_size)

    def publish(
        self,
        name: str,
        data: dict[str, Any],
        *,
        queue_id: str | None = None,
        job_id: str | None = None,
    ) -> Event:
        event = Event(self._next_id, name, data, queue_id, job_id)
        self._next_id += 1
        self._buffer.append(event)
        for token, subscriber in list(self._by_token.items()):
            if not subscriber.filter.matches(event):
                continue
            try:
                subscriber.send.send_nowait(event)
            except (anyio.WouldBlock, anyio.BrokenResourceError, anyio.ClosedResourceError):
                # A subscriber that cannot keep up is dropped; it reconnects with
                # Last-Event-ID and replays what it missed.
                subscriber.send.close()
                self._by_token.pop(token, None)
        return event

    def replay(self, after_id: int, event_filter: EventFilter) -> Iterator[Event]:
        return (e for e in list(self._buffer) if e.id > after_id and event_filter.matches(e))

    def subscribe(self, event_filter: EventFilter) -> tuple[int, MemoryObjectReceiveStream[Event]]:
        send, receive = anyio.create_memory_object_stream[Event](self.subscriber_buffer)
        token = id(send)
        self._by_token[token] = _Subscriber(event_filter, send)
        return token, receive

    def unsubscribe(self, token: int) -> None:
        subscriber = self._by_token.pop(token, None)
        if subscriber is not None:
            subscriber.send.close()

    @property
    def subscriber_count(self) -> int:
        return len(self._by_token)
