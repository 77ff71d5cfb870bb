"""Sign in with an API key, sign out.

The key is posted once in a form body (never a URL), checked with the API's own
``authenticate``, and kept server-side behind a session cookie. Failed attempts spend the
client address's unauthenticated rate-limit tokens, exactly as a bad Bearer key does.
"""

from __future__ import annotations

import secrets
from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Response, Template

from graphq.services.keys import authenticate
from graphq.web.access import Visitor, checked_form
from graphq.web.sessions import (
    CSRF_FIELD,
    IDLE_TIMEOUT_S,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    session_store,
    strict_cookie,
)

HOME = "/products"


def _login_page(error: str | None, status: int = 200) -> Template:
    token = secrets.token_urlsafe(32)
    return Template(
        template_name="login.html",
        context={"csrf": token, "error": error},
        status_code=status,
        cookies=[strict_cookie(LOGIN_CSRF_COOKIE, token, max_age=3600)],
    )


class SignInPages(Controller):
    path = "/"

    @get("/", name="web:home")
    async def home(self, visitor: Visitor) -> Redirect:
        return Redirect(HOME)

    @get("/login", name="web:login", dependencies={})
    async def login_form(self) -> Template:
        return _login_page(None)

    @post("/login", status_code=303)
    async def login(self, request: Request[Any, Any, Any]) -> Response[Any]:
        state = request.app.state
        form = await request.form()
        sent = form.get(CSRF_FIELD)
        expected = request.cookies.get(LOGIN_CSRF_COOKIE)
        if not expected or not isinstance(sent, str) or not secrets.compare_digest(sent, expected):
            return _login_page("the form expired; try again", status=403)
        secret = form.get("key")
        secret = secret.strip() if isinstance(secret, str) else ""
        principal = await authenticate(state.db, secret) if secret else None
        if principal is None:
            client = request.client.host if request.client else "unknown"
            wait_s = state.unauthenticated_limiter.check(client)
            if wait_s:
                return _login_page(f"too many attempts; retry in {wait_s} s", status=429)
            return _login_page("that API key is unknown or revoked", status=401)
        token, _ = session_store(state).open(secret)
        return Redirect(
            HOME,
            status_code=303,
            cookies=[
                strict_cookie(SESSION_COOKIE, token, max_age=IDLE_TIMEOUT_S),
                strict_cookie(LOGIN_CSRF_COOKIE, "", max_age=0),
            ],
        )

    @post("/logout", status_code=303)
    async def logout(self, request: Request[Any, Any, Any], visitor: Visitor) -> Redirect:
        await checked_form(request, visitor)
        session_store(request.app.state).close(request.cookies.get(SESSION_COOKIE))
        return Redirect(
            "/login", status_code=303, cookies=[strict_cookie(SESSION_COOKIE, "", max_age=0)]
        )
