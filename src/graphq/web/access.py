"""Who is using a page: the session's key, its role, and the checks every form post passes.

The web routes are excluded from the API's Bearer middleware and authenticate here instead,
from the session cookie, with the same ``authenticate`` service, the same role ranks and the
same per-key rate limit on posts. A page request without a live session is sent to the
sign-in page; a post also needs the session's CSRF token and a role that may do it, and the
server refuses otherwise, whatever the page showed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.datastructures import FormMultiDict
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException

from graphq.api.auth import DEVELOPMENT_PRINCIPAL, rate_limited
from graphq.services.keys import Principal, authenticate
from graphq.web.sessions import CSRF_FIELD, SESSION_COOKIE, Session, SessionStore, session_store

CSRF_HEADER = "x-csrf-token"


class LoginRequired(NotAuthorizedException):
    """No live session: the web router answers with a redirect to the sign-in page."""


@dataclass(frozen=True)
class Visitor:
    """The signed-in person as pages see them: who, what they may do, their CSRF token."""

    principal: Principal
    session: Session

    @property
    def csrf(self) -> str:
        return self.session.csrf

    @property
    def can_operate(self) -> bool:
        return self.principal.allows("operator")

    @property
    def can_admin(self) -> bool:
        return self.principal.allows("admin")

    def need(self, role: str) -> None:
        """Refuse the action unless the key has ``role``: the server's check, not the page's."""
        if not self.principal.allows(role):
            raise PermissionDeniedException(
                f"this needs the {role} role; you are signed in as {self.principal.role}"
            )


async def provide_visitor(request: Request[Any, Any, Any]) -> Visitor:
    """The request's visitor; raises :class:`LoginRequired` without a live session."""
    state = request.app.state
    store: SessionStore = session_store(state)
    session = store.get(request.cookies.get(SESSION_COOKIE))
    if session is None:
        raise LoginRequired("sign in with an API key")
    if state.settings.auth.enabled:
        principal = await authenticate(state.db, session.secret)
        if principal is None:
            store.close(request.cookies.get(SESSION_COOKIE))
            raise LoginRequired("the API key was revoked; sign in again")
    else:
        principal = DEVELOPMENT_PRINCIPAL
    return Visitor(principal, session)


async def checked_form(request: Request[Any, Any, Any], visitor: Visitor) -> FormMultiDict:
    """A posted form, once its CSRF token matched and the key's rate limit allowed it."""
    key_id = visitor.principal.key_id or "local"
    wait_s = request.app.state.rate_limiter.check(key_id)
    if wait_s:
        raise rate_limited("this key", wait_s, key_id=key_id)
    form = await request.form()
    token = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
    if not visitor.session.csrf_matches(token if isinstance(token, str) else None):
        raise PermissionDeniedException("the form's CSRF token is missing or stale; reload")
    return form
