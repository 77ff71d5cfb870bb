"""Query parameters a route does not take are refused, in one place for every API route.

A misspelt filter (``/api/jobs?queueId=…`` for ``?queue=…``) silently ignored answers with
everything, which looks like a correct answer to the wrong question. The names a route takes
are the ones Litestar itself would read for it (its handler's, its dependencies' and its
layers' query parameters), worked out once per route. Routes left out of the OpenAPI schema
(the web pages, the schema viewer) keep Litestar's lenient default.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from litestar.handlers.http_handlers import HTTPRouteHandler
from litestar.types import ASGIApp, Receive, Scope, Send

from graphq.errors import GraphqError


class KnownQueryMiddleware:
    """400 ``UNKNOWN_PARAMETER`` for a query parameter the matched route does not declare."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._known: dict[int, frozenset[str]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        handler = scope.get("route_handler")
        if scope["type"] == "http" and isinstance(handler, HTTPRouteHandler):
            query = scope["query_string"].decode("latin-1")
            given = {name for name, _ in parse_qsl(query, keep_blank_values=True)}
            unknown = given - self._names(handler, scope["path_params"])
            if unknown and handler.resolve_include_in_schema():
                known = sorted(self._names(handler, scope["path_params"]))
                raise GraphqError(
                    "UNKNOWN_PARAMETER",
                    f"unknown query parameter {', '.join(sorted(unknown))}; this route takes "
                    + (", ".join(known) if known else "none"),
                )
        await self.app(scope, receive, send)

    def _names(self, handler: HTTPRouteHandler, path_params: dict[str, Any]) -> frozenset[str]:
        key = id(handler)
        if key not in self._known:
            path: dict[str, Any] = dict.fromkeys(path_params)
            model = handler.create_kwargs_model(path_parameters=path)
            self._known[key] = frozenset(p.field_alias for p in model.expected_query_params)
        return self._known[key]
