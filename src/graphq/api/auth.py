"""Authentication (Bearer API keys), role guards and per-key rate limits.

EventSource cannot send headers, so the SSE routes also accept the key as the
``access_token`` query parameter; it is never logged.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import ASGIApp, Guard, Method

from graphq.api.ratelimit import RateLimiter
from graphq.errors import GraphqError
from graphq.services.keys import Principal, authenticate

log = logging.getLogger(__name__)

OPEN_PATHS = {"/health", "/ready"}
OPEN_PREFIXES = ("/schema",)
MUTATING: set[Method] = {"POST", "PUT", "PATCH", "DELETE"}  # type: ignore[assignment]
DEVELOPMENT_PRINCIPAL = Principal(None, "auth disabled", "admin")


class ApiKeyMiddleware(AbstractAuthenticationMiddleware):
    def __init__(self, app: ASGIApp, **kwargs: Any) -> None:
        super().__init__(app, exclude=[r"^/health$", r"^/ready$", r"^/schema"], **kwargs)

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        state = connection.app.state
        if not state.settings.auth.enabled:
            principal = DEVELOPMENT_PRINCIPAL
        else:
            secret = _secret_from(connection)
            if not secret:
                raise NotAuthorizedException("an API key is required: Authorization: Bearer <key>")
            found = await authenticate(state.db, secret)
            if found is None:
                raise NotAuthorizedException("the API key is unknown or revoked")
            principal = found
        if connection.scope.get("method") in MUTATING:
            limiter: RateLimiter = state.rate_limiter
            wait_s = limiter.check(principal.key_id or "local")
            if wait_s:
                raise GraphqError(
                    "RATE_LIMITED",
                    f"too many requests for this key; retry in {wait_s} s",
                    status=429,
                    detail={"retryAfterS": wait_s},
                )
        return AuthenticationResult(user=principal, auth=principal.role)


def _secret_from(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    if connection.url.path.startswith("/api/events"):
        return connection.query_params.get("access_token")
    return None


def requires(role: str) -> Guard:
    def guard(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
        principal: Principal = connection.user
        if not principal.allows(role):
            raise PermissionDeniedException(
                f"this needs the {role} role; the key is {principal.role}"
            )

    guard.__name__ = f"requires_{role}"
    return guard


viewer = requires("viewer")
operator = requires("operator")
admin = requires("admin")
