"""Reading a server-sent event stream from the app, event by event, with deadlines.

``AsyncTestClient`` buffers a whole response before returning it, and an event stream never
ends, so this drives the ASGI app directly: body chunks arrive as the app sends them, and
leaving the context sends ``http.disconnect`` as a client closing its connection would.
The app lives on the test client's portal (its own event loop in a thread), so the reading
runs there too, waited for from a worker thread so the test can make requests meanwhile.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import anyio
from anyio.streams.memory import MemoryObjectReceiveStream

from tests.conftest import Service

_EVENT_END = re.compile(rb"\r\n\r\n|\n\n|\r\r")


@dataclass(frozen=True)
class SseEvent:
    id: int | None
    name: str
    data: str


class EventReader:
    def __init__(self, chunks: MemoryObjectReceiveStream[bytes], status: int) -> None:
        self.status = status
        self._chunks = chunks
        self._buffer = b""

    async def next_event(self, timeout_s: float = 10) -> SseEvent:
        """The next event (comments skipped); TimeoutError if none arrives in time."""
        with anyio.fail_after(timeout_s):
            while True:
                match = _EVENT_END.search(self._buffer)
                if match is None:
                    self._buffer += await self._chunks.receive()
                    continue
                block, self._buffer = self._buffer[: match.start()], self._buffer[match.end() :]
                event = _parse(block.decode())
                if event is not None:
                    return event

    async def raw_for(self, seconds: float) -> bytes:
        """Everything the stream sends in ``seconds`` (or until the server ends it), unparsed."""
        with anyio.move_on_after(seconds):
            try:
                while True:
                    self._buffer += await self._chunks.receive()
            except anyio.EndOfStream:
                pass
        raw, self._buffer = self._buffer, b""
        return raw

    async def events_until(self, name: str, timeout_s: float = 20) -> list[SseEvent]:
        """Every event up to and including the first one called ``name``."""
        seen: list[SseEvent] = []
        with anyio.fail_after(timeout_s):
            while not seen or seen[-1].name != name:
                seen.append(await self.next_event(timeout_s))
        return seen


def _parse(block: str) -> SseEvent | None:
    fields: dict[str, list[str]] = {}
    for line in re.split(r"\r\n|\r|\n", block):
        if not line or line.startswith(":"):
            continue
        key, _, value = line.partition(":")
        fields.setdefault(key, []).append(value.removeprefix(" "))
    if "data" not in fields and "event" not in fields:
        return None
    raw_id = fields.get("id", [""])[-1]
    return SseEvent(
        id=int(raw_id) if raw_id else None,
        name=fields.get("event", ["message"])[-1],
        data="\n".join(fields.get("data", [])),
    )


@asynccontextmanager
async def event_stream(
    app: Any, path: str, headers: dict[str, str], timeout_s: float = 10
) -> AsyncIterator[EventReader]:
    """Open ``path`` on the app as an event stream; yields once the response has started."""
    send_chunk, chunks = anyio.create_memory_object_stream[bytes](1000)
    started = anyio.Event()
    disconnected = anyio.Event()
    response: dict[str, Any] = {}
    request_sent = False

    async def receive() -> dict[str, Any]:
        nonlocal request_sent
        if not request_sent:
            request_sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await disconnected.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            response["status"] = message["status"]
            started.set()
        elif message["type"] == "http.response.body":
            if message.get("body"):
                await send_chunk.send(message["body"])
            if not message.get("more_body", False):
                send_chunk.close()  # the server ended the stream

    target, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": target,
        "raw_path": target.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    async with anyio.create_task_group() as tg:
        tg.start_soon(app, scope, receive, send)
        with anyio.fail_after(timeout_s):
            await started.wait()
        try:
            yield EventReader(chunks, response["status"])
        finally:
            disconnected.set()
            tg.cancel_scope.cancel()


async def read_events(
    app: Any, path: str, headers: dict[str, str], until: str, timeout_s: float
) -> list[SseEvent]:
    """Connect, read every event up to the first called ``until``, then disconnect."""
    async with event_stream(app, path, headers, timeout_s) as reader:
        assert reader.status == 200
        return await reader.events_until(until, timeout_s)


async def collect_events(
    service: Service,
    path: str,
    until: str,
    *,
    last_event_id: int | None = None,
    timeout_s: float = 20,
) -> list[SseEvent]:
    """:func:`read_events` on the app's own event loop, as a client with the admin key."""
    headers = {"host": "testserver", "authorization": f"Bearer {service.admin_key}"}
    if last_event_id is not None:
        headers["last-event-id"] = str(last_event_id)
    portal = service.client.blocking_portal
    return await anyio.to_thread.run_sync(
        portal.call, read_events, service.client.app, path, headers, until, timeout_s
    )


async def read_raw(app: Any, path: str, headers: dict[str, str], seconds: float) -> bytes:
    async with event_stream(app, path, headers) as reader:
        return await reader.raw_for(seconds)


async def listen_raw(service: Service, path: str, seconds: float) -> bytes:
    """:func:`read_raw` on the app's own event loop, as a client with the admin key."""
    headers = {"host": "testserver", "authorization": f"Bearer {service.admin_key}"}
    portal = service.client.blocking_portal
    return await anyio.to_thread.run_sync(
        portal.call, read_raw, service.client.app, path, headers, seconds
    )


async def _ends_once(
    app: Any, path: str, headers: dict[str, str], trigger: Any, timeout_s: float
) -> bool:
    async with event_stream(app, path, headers) as reader:
        await reader.raw_for(0.2)
        trigger()
        with anyio.move_on_after(timeout_s):
            try:
                while True:
                    await reader._chunks.receive()
            except anyio.EndOfStream:
                return True
    return False


async def stream_ends_after(
    service: Service, path: str, key: str, trigger: Any, timeout_s: float
) -> bool:
    """Open ``path`` with ``key``, call ``trigger()``; whether the server then ends the
    stream within ``timeout_s``."""
    headers = {"host": "testserver", "authorization": f"Bearer {key}"}
    portal = service.client.blocking_portal
    return await anyio.to_thread.run_sync(
        portal.call, _ends_once, service.client.app, path, headers, trigger, timeout_s
    )
