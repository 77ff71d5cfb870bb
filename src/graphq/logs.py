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
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO, cast

from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
job_id: ContextVar[str | None] = ContextVar("job_id", default=None)

# graphq secrets are "gq_" + 43 URL-safe base64 characters (services.keys); the short display
# prefix (``gq_`` + 7) stays readable so a masked key can still be told apart.
_SECRET = re.compile(r"(gq_[A-Za-z0-9_-]{7})[A-Za-z0-9_-]{8,}")


def redact(text: str) -> str:
    """``text`` with every graphq API key cut to its display prefix."""
    return _SECRET.sub(r"\1…", text)


# The keys every JSON line has; a structured line's own fields never replace them.
_BASE_KEYS = frozenset({"time", "level", "logger", "message", "request_id", "job_id"})


def fields(event: str, **values: Any) -> dict[str, Any]:
    """``extra=`` for a structured line: as JSON it carries ``event`` and each value as its
    own key (``{"event": "job.retrying", "code": "TIMEOUT", "delay_s": 0.8}``), so a log
    pipeline can filter on them without parsing the message."""
    return {"fields": {"event": event, **values}}


def set_job_id(value: str) -> None:
    """Tag every later line of the current task with ``value``.

    Each job runs in a task of its own, which starts with a copy of its parent's context, so
    the id stays with that task and needs no resetting.
    """
    job_id.set(value)


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
        extra: dict[str, Any] = getattr(record, "fields", {})
        line.update((key, value) for key, value in extra.items() if key not in _BASE_KEYS)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(line, default=str))


class PlainFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        ids = " ".join(
            f"{name}={value}"
            for name in ("request_id", "job_id")
            if (value := getattr(record, name, None))
        )
        text = super().format(record)
        return redact(f"{text} [{ids}]" if ids else text)


def log_handler(stream: TextIO, *, as_json: bool) -> logging.Handler:
    """A handler writing graphq's lines (plain or JSON, with their ids) to ``stream``."""
    handler = logging.StreamHandler(stream)
    handler.addFilter(_ContextFilter())
    handler.setFormatter(
        JsonFormatter()
        if as_json
        else PlainFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    return handler


def configure_logging(level: str = "INFO", *, as_json: bool = False) -> None:
    root = logging.getLogger()
    root.handlers[:] = [log_handler(sys.stderr, as_json=as_json)]
    root.setLevel(level.upper())
    # uvicorn's access log prints query strings, which may hold an event stream's key.
    logging.getLogger("uvicorn.access").disabled = True


def request_id_of(scope: Scope) -> str:
    """The request's id: the client's ``X-Request-ID`` if sane, else a new one.

    Fixed on first use and kept in the scope's state, so the log lines and the response header
    agree even when the response is sent from outside the middleware: a 404 for an unknown
    path or a 401 from authentication is answered by the app-level exception handler.
    """
    state = scope["state"]
    state.setdefault("started_at", time.perf_counter())
    if "request_id" not in state:
        supplied = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        sane = 0 < len(supplied) <= 64 and supplied.isprintable()
        state["request_id"] = supplied if sane else uuid.uuid4().hex
    return str(state["request_id"])


class RequestIdMiddleware:
    """Puts the request's id in :data:`request_id`, for every log line of the request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = request_id.set(request_id_of(scope))
        try:
            await self.app(scope, receive, send)
        finally:
            request_id.reset(token)


async def add_request_id_header(message: Message, scope: Scope) -> None:
    """Echo the request's id as ``X-Request-ID`` on every response, errors included.

    A ``before_send`` hook, not the middleware: middleware only wraps matched routes.
    """
    if message["type"] == "http.response.start":
        MutableScopeHeaders.from_message(message)["X-Request-ID"] = request_id_of(scope)


_access = logging.getLogger("graphq.access")


async def log_access(message: Message, scope: Scope) -> None:
    """One line per response, in place of uvicorn's access log: method, path without its query
    (which may hold an event stream's key), status, milliseconds since the request arrived and
    the key's id. A ``before_send`` hook, so 404s and 401s answered outside the routes count."""
    if message["type"] != "http.response.start" or scope["type"] != "http":
        return
    method, path = cast("HTTPScope", scope)["method"], scope["path"]
    started = scope["state"].get("started_at")
    elapsed_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    key_id = getattr(scope.get("user"), "key_id", None)
    status = message["status"]
    _access.info(
        "%s %s %d %s ms",
        method,
        path,
        status,
        elapsed_ms,
        extra=fields(
            "http.access",
            method=method,
            path=path,
            status=status,
            duration_ms=elapsed_ms,
            key_id=key_id,
        ),
    )
