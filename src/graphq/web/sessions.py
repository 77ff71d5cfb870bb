"""Browser sessions: the API key a person signed in with, kept on the server.

The cookie holds only a random session token; the key itself never leaves the server again
after the sign-in form posts it, so it is in no URL, no page and no script. Each request
authenticates the stored key afresh (``graphq.services.keys.authenticate``), so revoking a
key ends its sessions at once. Sessions live in memory: a restarted server asks people to
sign in again, which is the safe way for a credential store to fail.

Each session carries its own CSRF token (the synchroniser-token pattern): every form posts it
back, and a post without the session's token is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from litestar.datastructures import Cookie, State

SESSION_COOKIE = "graphq_session"
# Sign-in happens before a session exists: its CSRF token is a double-submit cookie instead.
LOGIN_CSRF_COOKIE = "graphq_login_csrf"
CSRF_FIELD = "csrf"
# A session unused for this long is dropped: a forgotten browser tab does not stay signed in.
IDLE_TIMEOUT_S = 12 * 3600
# Kept in memory, so bounded: past this many, the least recently used sessions go first.
MAX_SESSIONS = 10_000
_STATE_KEY = "web_sessions"


@dataclass
class Session:
    secret: str
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    last_seen: float = field(default_factory=time.monotonic)
    # One message shown on the next page (the outcome of a form post), then cleared.
    flash: str | None = None

    def csrf_matches(self, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf, token or "")

    def take_flash(self) -> str | None:
        message, self.flash = self.flash, None
        return message


class SessionStore:
    """Sessions by the SHA-256 of their token, so a memory dump holds no usable cookie."""

    def __init__(self, idle_timeout_s: float = IDLE_TIMEOUT_S, limit: int = MAX_SESSIONS) -> None:
        self._sessions: dict[str, Session] = {}
        self._idle_timeout_s = idle_timeout_s
        self._limit = limit

    def open(self, secret: str) -> tuple[str, Session]:
        """A new session for ``secret``; returns the cookie's token and the session."""
        self._drop_expired()
        while len(self._sessions) >= self._limit:
            oldest = min(self._sessions, key=lambda k: self._sessions[k].last_seen)
            del self._sessions[oldest]
        token = secrets.token_urlsafe(32)
        session = Session(secret)
        self._sessions[_digest(token)] = session
        return token, session

    def get(self, token: str | None) -> Session | None:
        if not token:
            return None
        digest = _digest(token)
        session = self._sessions.get(digest)
        if session is None:
            return None
        now = time.monotonic()
        if now - session.last_seen > self._idle_timeout_s:
            del self._sessions[digest]
            return None
        session.last_seen = now
        return session

    def close(self, token: str | None) -> None:
        if token:
            self._sessions.pop(_digest(token), None)

    def _drop_expired(self) -> None:
        cutoff = time.monotonic() - self._idle_timeout_s
        for digest in [d for d, s in self._sessions.items() if s.last_seen < cutoff]:
            del self._sessions[digest]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def session_store(state: State) -> SessionStore:
    """The app's store, made on first use (the app has one per process)."""
    store = state.get(_STATE_KEY)
    if store is None:
        store = SessionStore()
        state[_STATE_KEY] = store
    return store


def session_secret(state: State, cookies: dict[str, Any]) -> str | None:
    """The API key behind the request's session cookie, if it has a live session.

    The API's authentication asks this for the event-stream routes, so a signed-in page's
    ``EventSource`` needs no key in its URL.
    """
    store: SessionStore | None = state.get(_STATE_KEY)
    session = store.get(cookies.get(SESSION_COOKIE)) if store else None
    return session.secret if session else None


def strict_cookie(name: str, value: str, *, max_age: int | None) -> Cookie:
    """``Secure``, ``HttpOnly``, ``SameSite=Strict``: never sent cross-site, never to scripts.

    Browsers treat 127.0.0.1 and localhost as secure origins, so ``Secure`` works on the
    default plain-HTTP loopback bind as well as behind a TLS proxy.
    """
    return Cookie(
        key=name,
        value=value,
        max_age=max_age,
        path="/",
        secure=True,
        httponly=True,
        samesite="strict",
    )
