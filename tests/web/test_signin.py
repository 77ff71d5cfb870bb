"""Signing in with an API key, the session cookie it sets, and signing out."""

from __future__ import annotations

from tests.web.conftest import Web, csrf_of


async def test_a_page_without_a_session_sends_you_to_sign_in(web: Web) -> None:
    response = await web.client.get("/products", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


async def test_signing_in_sets_a_secure_httponly_strict_cookie_without_the_key(web: Web) -> None:
    page = await web.client.get("/login")
    response = await web.client.post(
        "/login", data={"key": web.keys["viewer"], "csrf": csrf_of(page.text)}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/products"
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith("graphq_session=")
    )
    attributes = {part.strip().lower() for part in cookie.split(";")}
    assert {"secure", "httponly", "samesite=strict"} <= attributes
    assert web.keys["viewer"] not in cookie
    assert (await web.client.get("/products")).status_code == 200


async def test_an_unknown_key_is_refused_and_starts_no_session(web: Web) -> None:
    page = await web.client.get("/login")
    response = await web.client.post("/login", data={"key": "gq_nope", "csrf": csrf_of(page.text)})
    assert response.status_code == 401
    assert "unknown or revoked" in response.text
    assert "graphq_session" not in response.headers.get("set-cookie", "")


async def test_signing_in_without_the_forms_csrf_token_is_refused(web: Web) -> None:
    await web.client.get("/login")
    response = await web.client.post("/login", data={"key": web.keys["admin"], "csrf": "forged"})
    assert response.status_code == 403
    assert (await web.client.get("/products", follow_redirects=False)).status_code == 303


async def test_signing_out_ends_the_session(web: Web) -> None:
    await web.sign_in("operator")
    response = await web.post_form("/logout", {})
    assert response.status_code == 303
    assert (await web.client.get("/products", follow_redirects=False)).status_code == 303


async def test_signing_out_needs_the_csrf_token(web: Web) -> None:
    await web.sign_in("operator")
    response = await web.client.post("/logout", data={"csrf": "forged"})
    assert response.status_code == 403
    assert (await web.client.get("/products")).status_code == 200


async def test_a_revoked_key_ends_its_session_at_once(web: Web) -> None:
    await web.sign_in("operator")
    keys = (await web.client.get("/api/keys", headers=web.api())).json()
    operator = next(k for k in keys if k["role"] == "operator")
    await web.client.delete(f"/api/keys/{operator['id']}", headers=web.api())
    response = await web.client.get("/products", follow_redirects=False)
    assert response.headers["location"] == "/login"
