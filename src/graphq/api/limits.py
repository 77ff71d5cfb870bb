"""Request limits that hold before a handler sees the request.

A JSON body may be far smaller than an upload: ``server.max_json_kb`` bounds it (413), where
the whole-request limit (``server.max_request_mb``) is sized for multi-file uploads, so a
client cannot make the server decode hundreds of megabytes of JSON. A body that stops
arriving for ``server.body_timeout_s`` ends the request with 408, so a client sending half a
request holds a connection that long at most. Once the body is complete the timeout no longer
applies (an event stream waits on ``receive`` for the client's disconnect).
"""

from __future__ import annotations

from typing import Any

import anyio
from litestar.types import ASGIApp, Receive, ReceiveMessage, Scope, Send

from graphq.errors import GraphqError


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


def _is_json(scope: Scope) -> bool:
    media_type = _header(scope, b"content-type").split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


class RequestLimitsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        server = scope["app"].state.settings.server
        limit = server.max_json_kb * 1024 if _is_json(scope) else None
        declared = _header(scope, b"content-length")
        if limit is not None and declared.isdigit() and int(declared) > limit:
            raise _too_large(limit)
        received = 0
        complete = False

        async def limited_receive() -> ReceiveMessage:
            nonlocal received, complete
            if complete:
                return await receive()
            try:
                with anyio.fail_after(server.body_timeout_s):
                    message: Any = await receive()
            except TimeoutError:
                raise GraphqError(
                    "REQUEST_TIMEOUT",
                    f"the request body stopped arriving for {server.body_timeout_s:g} s",
                ) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                complete = not message.get("more_body", False)
                if limit is not None and received > limit:
                    raise _too_large(limit)
            else:
                complete = True
            return message

        await self.app(scope, limited_receive, send)


def _too_large(limit: int) -> GraphqError:
    return GraphqError(
        "PAYLOAD_TOO_LARGE",
        f"a JSON body may be at most {limit // 1024} KB (server.max_json_kb)",
    )
