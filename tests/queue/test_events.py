"""The event bus: filtered delivery, one encoding per event, slow subscribers dropped."""

from __future__ import annotations

import json

import anyio

from graphq.queue.events import EventBus, EventFilter


def test_each_subscriber_gets_only_the_events_its_filter_lets_through() -> None:
    bus = EventBus()
    _, everything = bus.subscribe(EventFilter())
    _, queue_a = bus.subscribe(EventFilter(queue_id="a"))
    _, job_1 = bus.subscribe(EventFilter(job_id="1"))
    bus.publish("job:progress_updated", {"n": 1}, queue_id="a", job_id="1")
    bus.publish("job:progress_updated", {"n": 2}, queue_id="b", job_id="2")
    bus.publish("queue:status_changed", {"n": 3}, queue_id="a")

    def received(stream: anyio.abc.ObjectReceiveStream) -> list[int]:
        out = []
        while True:
            try:
                out.append(stream.receive_nowait().data["n"])
            except anyio.WouldBlock:
                return out

    assert received(everything) == [1, 2, 3]
    assert received(queue_a) == [1, 3]
    assert received(job_1) == [1]


def test_an_event_is_encoded_once_into_the_frame_every_stream_sends() -> None:
    bus = EventBus()
    _, first = bus.subscribe(EventFilter())
    _, second = bus.subscribe(EventFilter())
    bus.publish("job:completed", {"jobId": "j", "needsReview": False}, job_id="j")
    one, two = first.receive_nowait(), second.receive_nowait()
    assert one.frame() is two.frame()
    head, data = one.frame().decode().split("data: ")
    assert head == f"id: {one.id}\r\nevent: job:completed\r\n"
    assert data.endswith("\r\n\r\n")
    assert json.loads(data) == {"jobId": "j", "needsReview": False}


def test_a_subscriber_that_falls_behind_is_dropped_and_the_others_keep_receiving() -> None:
    bus = EventBus(subscriber_buffer=2)
    _, slow = bus.subscribe(EventFilter())
    _, fast = bus.subscribe(EventFilter())
    for n in range(3):
        bus.publish("job:progress_updated", {"n": n})
        assert fast.receive_nowait().data == {"n": n}
    assert bus.subscriber_count == 1
    assert [slow.receive_nowait().data["n"] for _ in range(2)] == [0, 1]
