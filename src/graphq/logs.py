"""Logging: plain or JSON lines, with the request id or job id on every line.

Ids travel in context variables, so a line logged deep inside a service still carries the
request that caused it.

Secrets never reach a log line. graphq itself never logs a key, but a key can sit in a URL
(``/api/events?key=…``, for EventSource) and third-party loggers print URLs, so uvicorn's access
log is switched off and, as a second line of defence, both formatters mask anything shaped like
a graphq key (``gq_`` and its random part) in the finished line, tracebacks included.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
job_id: ContextVar[str | None] = ContextVar("job_id", default=None)

# graphq secrets are "gq_" + 43 URL-safe base64 characters (services.keys); the short display
# prefix (``gq_`` + 7) stays readable so a masked key can still be told apart.
_SECRET = re.compile(r"(gq_[A-Za-z0-9_-]{7})[A-Za-z0-9_-]{8,}")


def redact(text: str) -> str:
    """``text`` with every graphq API key cut to its display prefix."""
    return _SECRET.sub(r"\1…", text)


class _ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.job_id = job_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in ("request_id", "job_id"):
            value = getattr(record, name, None)
            if value:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(line))


class PlainFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        ids = " ".join(
            f"{name}={value}"
            for name in ("request_id", "job_id")
            if (value := getattr(record, name, None))
        )
        text = super().format(record)
        return redact(f"{text} [{ids}]" if ids else text)


def configure_logging(level: str = "INFO", *, as_json: bool = False) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_ContextFilter())
    handler.setFormatter(
        JsonFormatter()
        if as_json
        else PlainFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # uvicorn's access log prints query strings, which may hold an event stream's key.
    logging.getLogger("uvicorn.access").disabled = True


class RequestIdMiddleware:
    """Takes ``X-Request-ID`` from the client (if sane) or makes one, and echoes it back."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        supplied = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = supplied if 0 < len(supplied) <= 64 and supplied.isprintable() else uuid.uuid4().hex
        token = request_id.set(rid)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode("latin-1"))]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id.reset(token)
