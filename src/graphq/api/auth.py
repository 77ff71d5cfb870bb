"""Authentication (Bearer API keys), role guards and per-key rate limits.

Every route needs a key except ``/health``, ``/ready`` and ``/schema``. The key travels as
``Authorization: Bearer <key>``. A browser's ``EventSource`` cannot set headers, so the
server-sent event routes (``/api/events…``) also accept it as the ``key`` query parameter,
``/api/events?key=<key>``; nowhere else does, so a key never lands in the URL of an ordinary
request. A signed-in web page's streams use its session cookie instead (``graphq.web``).
Query strings are kept out of the logs (``graphq.logs`` switches off uvicorn's access log), so
that key is not logged either.
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
from graphq.logs import fields
from graphq.services.keys import Principal, authenticate
from graphq.web.sessions import session_secret

# The only routes a request without a key may reach (regular expressions on the path).
OPEN_PATTERNS = [r"^/health$", r"^/ready$", r"^/schema"]
MUTATING: set[Method] = {"POST", "PUT", "PATCH", "DELETE"}
EVENTS_PREFIX = "/api/events"
EVENTS_KEY_PARAM = "key"
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="graphq"'}
DEVELOPMENT_PRINCIPAL = Principal(None, "auth disabled", "admin")

log = logging.getLogger(__name__)


class ApiKeyMiddleware(AbstractAuthenticationMiddleware):
    """Resolves the key to a :class:`Principal` and spends a rate-limit token on mutations.

    The rate limit is checked here, before guards and body parsing, so a key over its limit
    costs the server one hash lookup and nothing more. Keyed and keyless traffic are limited
    apart: a request with an unknown key (a guess) spends a token of its client address and is
    answered 429 once the address has none; one with no key costs a header read and is answered
    401 at once, never 429; and a valid key is never held back by what others sent from its
    address (behind a NAT or a proxy, a stranger's bad guesses must not
    lock an admin out).
    """

    def __init__(self, app: ASGIApp, **kwargs: Any) -> None:
        super().__init__(app, exclude=OPEN_PATTERNS, **kwargs)

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        state = connection.app.state
        if not state.settings.auth.enabled:
            principal = DEVELOPMENT_PRINCIPAL
        else:
            principal = await _principal_of(connection)
        if connection.scope.get("method") in MUTATING:
            limiter: RateLimiter = state.rate_limiter
            wait_s = limiter.check(principal.key_id or "local")
            if wait_s:
                raise rate_limited("this key", wait_s, key_id=principal.key_id or "local")
        return AuthenticationResult(user=principal, auth=principal.role)


async def _principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    state = connection.app.state
    secret = _secret_from(connection)
    if not secret:
        raise NotAuthorizedException(
            "an API key is required: Authorization: Bearer <key>", headers=_CHALLENGE
        )
    found = await authenticate(state.db, secret)
    if found is None:
        failures: RateLimiter = state.unauthenticated_limiter
        client = connection.client.host if connection.client else "unknown"
        wait_s = failures.check(client)
        if wait_s:
            raise rate_limited("this address without a valid key", wait_s, client=client)
        raise NotAuthorizedException("the API key is unknown or revoked", headers=_CHALLENGE)
    return found


def rate_limited(whom: str, wait_s: int, **who: str) -> GraphqError:
    """The 429 to raise, logged once: who was held back and for how long (the web
    workbench's form posts log theirs alike)."""
    log.warning(
        "429: too many requests for %s (%s); retry in %d s",
        whom,
        ", ".join(f"{name} {value}" for name, value in who.items()),
        wait_s,
        extra=fields("http.rate_limited", retry_after_s=wait_s, **who),
    )
    return GraphqError(
        "RATE_LIMITED",
        f"too many requests for {whom}; retry in {wait_s} s",
        detail={"retryAfterS": wait_s},
    )


def _secret_from(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    if connection.url.path.startswith(EVENTS_PREFIX):
        return connection.query_params.get(EVENTS_KEY_PARAM) or session_secret(
            connection.app.state, connection.cookies
        )
    return None


def requires(role: str) -> Guard:
    """A guard admitting keys of ``role`` or above; its name says which role it wants."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
        if connection.scope.get("method") == "OPTIONS":
            # Pre-flight and Allow answers carry no key and touch nothing.
            return
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
