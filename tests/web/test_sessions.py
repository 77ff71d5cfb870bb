"""The server-side session store: tokens, expiry, bounds, and the event streams' cookie."""

from __future__ import annotations

import time

from litestar.datastructures import State

from graphq.web.sessions import SESSION_COOKIE, SessionStore, session_secret, session_store
from tests.web.conftest import Web


def test_a_session_is_found_by_its_token_and_holds_the_key() -> None:
    store = SessionStore()
    token, session = store.open("gq_secret")
    assert store.get(token) is session and session.secret == "gq_secret"
    assert store.get("another") is None and store.get(None) is None
    assert "gq_secret" not in token


def test_a_closed_or_idle_session_is_gone() -> None:
    store = SessionStore(idle_timeout_s=0.05)
    first, _ = store.open("a")
    second, _ = store.open("b")
    store.close(first)
    assert store.get(first) is None
    time.sleep(0.1)
    assert store.get(second) is None


def test_the_store_drops_the_least_recently_used_session_when_full() -> None:
    store = SessionStore(limit=2)
    old, _ = store.open("a")
    kept, _ = store.open("b")
    store.get(kept)
    newest, _ = store.open("c")
    assert store.get(old) is None
    assert store.get(kept) is not None and store.get(newest) is not None


def test_the_csrf_token_matches_only_itself_and_the_flash_shows_once() -> None:
    _, session = SessionStore().open("a")
    assert session.csrf_matches(session.csrf)
    assert not session.csrf_matches("") and not session.csrf_matches(None)
    session.flash = "done"
    assert session.take_flash() == "done" and session.take_flash() is None


def test_the_event_streams_find_the_key_behind_a_cookie() -> None:
    state = State()
    assert session_secret(state, {SESSION_COOKIE: "x"}) is None
    token, _ = session_store(state).open("gq_key")
    assert session_secret(state, {SESSION_COOKIE: token}) == "gq_key"
    assert session_secret(state, {}) is None


async def test_a_signed_in_browser_streams_events_with_its_cookie_alone(web: Web) -> None:
    assert (await web.client.get("/api/events/job/nope")).status_code == 401
    await web.sign_in("viewer")
    response = await web.client.get("/api/events/job/nope")
    assert response.status_code == 404  # authenticated: the job is what is missing
