"""A deadline for each request's headers, which uvicorn reads before the app sees anything.

uvicorn closes a kept-alive connection that stays silent (``timeout_keep_alive``), but once a
byte arrives it waits for the rest of the headers for ever, and it sets no deadline at all on
a new connection: a client that sends half a request line holds its connection as long as it
likes, and a few hundred such clients use up the server's file descriptors (slowloris). So
the deadline starts when a connection opens and again when each response is complete; a
request whose headers are not all in by then is answered 408 and its connection closed.
Once a request's headers are in, the deadline no longer applies: its body has its own
(``graphq.api.limits``) and a handler may take as long as it needs.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import msgspec

from graphq.api.problems import PROBLEM_JSON, problem_document

if TYPE_CHECKING:

    class _UvicornProtocol(asyncio.Protocol):
        """What the deadline uses of uvicorn's h11 and httptools protocols alike."""

        loop: asyncio.AbstractEventLoop
        transport: asyncio.Transport
        cycle: Any  # the request being answered (None before the first)

        def on_response_complete(self) -> None: ...

        def handle_websocket_upgrade(self, *args: Any) -> None: ...

else:
    _UvicornProtocol = object


def _timeout_response(timeout_s: float) -> bytes:
    """The whole 408 answer: written raw, since no request was parsed to answer through."""
    body = msgspec.json.encode(
        problem_document(
            status=408,
            code="REQUEST_TIMEOUT",
            detail=f"the request's headers did not arrive within {timeout_s:g} s",
            instance="",
        )
    )
    head = (
        "HTTP/1.1 408 Request Timeout\r\n"
        f"content-type: {PROBLEM_JSON}\r\n"
        f"content-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


class _HeaderDeadline(_UvicornProtocol):
    header_timeout_s: float
    _overdue_answer: bytes
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        self._start_header_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # A pipelined request whose headers were already in may have started in its place.
        if self.cycle is None or self.cycle.response_complete:
            self._start_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_header_timer()
        super().connection_lost(exc)

    def handle_websocket_upgrade(self, *args: Any) -> None:
        # The connection is the WebSocket protocol's from here on, headers and all.
        self._stop_header_timer()
        super().handle_websocket_upgrade(*args)

    def _start_header_timer(self) -> None:
        self._stop_header_timer()
        if not self.transport.is_closing():
            self._header_timer = self.loop.call_later(
                self.header_timeout_s, self._headers_overdue, self.cycle
            )

    def _stop_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_overdue(self, answered: Any) -> None:
        """``answered`` is the request the deadline was set after; a new one means the
        headers came in time."""
        self._header_timer = None
        if self.cycle is answered and not self.transport.is_closing():
            self.transport.write(self._overdue_answer)
            self.transport.close()


def with_header_deadline(base: type[asyncio.Protocol], timeout_s: float) -> type[asyncio.Protocol]:
    """uvicorn's HTTP protocol ``base`` (``H11Protocol`` or ``HttpToolsProtocol``), answering
    408 to a request whose headers take longer than ``timeout_s``; for ``uvicorn.Config(http=)``.
    """
    attributes = {"header_timeout_s": timeout_s, "_overdue_answer": _timeout_response(timeout_s)}
    return type(f"HeaderDeadline{base.__name__}", (_HeaderDeadline, base), attributes)
