"""Calling the app directly over ASGI, for responses the test client cannot wait for.

``AsyncTestClient`` collects a whole response before it returns, so an event stream (which
never ends) would hang it. :func:`call` stops reading at the first body chunk of a
``text/event-stream`` response, so every route, streaming or not, can be probed the same way.
It runs on the test client's portal, the event loop the app's lifespan lives on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import anyio
from litestar.testing import AsyncTestClient
from litestar.types import Message

EVENT_STREAM = "text/event-stream"


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def json(self) -> Any:
        return json.loads(self.body)


async def _call_app(
    app: Any, method: str, path: str, headers: dict[str, str], body: bytes, timeout_s: float
) -> Answer:
    path_only, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path_only,
        "raw_path": path_only.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "extensions": {},
    }
    start: dict[str, Any] = {}
    chunks: list[bytes] = []
    finished = anyio.Event()
    body_sent = False

    async def receive() -> Message:
        nonlocal body_sent
        if not body_sent:
            body_sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await finished.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
            streaming = _headers(start).get("content-type", "").startswith(EVENT_STREAM)
            if streaming or not message.get("more_body", False):
                finished.set()

    with anyio.fail_after(timeout_s):
        async with anyio.create_task_group() as tg:
            tg.start_soon(app, scope, receive, send)
            await finished.wait()
            tg.cancel_scope.cancel()
    return Answer(start["status"], _headers(start), b"".join(chunks))


def _headers(start: dict[str, Any]) -> dict[str, str]:
    return {k.decode().lower(): v.decode() for k, v in start.get("headers", [])}


def call(
    client: AsyncTestClient[Any],
    method: str,
    path: str,
    *,
    key: str | None = None,
    json_body: Any = None,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    timeout_s: float = 15.0,
) -> Answer:
    """One request to ``client.app``; ``key`` goes in the Authorization header when given."""
    headers = {"host": "testserver", **(headers or {})}
    if key is not None:
        headers["authorization"] = f"Bearer {key}"
    body = b""
    if json_body is not None:
        body = json.dumps(json_body).encode()
        headers["content-type"] = "application/json"
        headers["content-length"] = str(len(body))
    if query:
        path = f"{path}?{urlencode(query)}"
    return client.blocking_portal.call(
        _call_app, client.app, method.upper(), path, headers, body, timeout_s
    )
