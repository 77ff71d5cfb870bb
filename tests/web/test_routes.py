"""The web routes beside the API: offline API docs, local assets, and the API left as it was."""

from __future__ import annotations

import re

from tests.web.conftest import Web


async def test_swagger_ui_loads_only_local_assets(web: Web) -> None:
    for path in ("/schema", "/schema/swagger"):
        page = (await web.client.get(path)).text
        sources = re.findall(r'(?:src|href)="([^"]+)"', page)
        assert "/static/swagger/swagger-ui-bundle.js" in sources
        assert all(s.startswith("/") for s in sources), sources
        assert "http://" not in page.replace("http://www.w3.org", "")
        assert "https://" not in page
    for asset in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        response = await web.client.get(f"/static/swagger/{asset}")
        assert response.status_code == 200 and len(response.content) > 10_000


async def test_the_content_security_policy_allows_only_this_origin(web: Web) -> None:
    policy = (await web.client.get("/login")).headers["content-security-policy"]
    assert "connect-src 'self'" in policy and "form-action 'self'" in policy
    assert "jsdelivr" not in policy


async def test_pages_stay_out_of_the_api_document(web: Web) -> None:
    spec = (await web.client.get("/schema/openapi.json")).json()
    assert all(path.startswith(("/api", "/health", "/ready", "/metrics")) for path in spec["paths"])


async def test_the_api_still_wants_a_bearer_key_from_a_signed_in_browser(web: Web) -> None:
    await web.sign_in("admin")
    assert (await web.client.get("/api/products")).status_code == 401
    assert (await web.client.post("/api/products", json={})).status_code == 401


async def test_static_files_need_no_session_but_files_of_results_do(web: Web) -> None:
    assert (await web.client.get("/static/app.css")).status_code == 200
    response = await web.client.get("/files/images/anything")
    assert response.headers["location"] == "/login"


async def test_a_missing_object_gives_an_error_page_with_its_code(web: Web) -> None:
    await web.sign_in("viewer")
    response = await web.client.get("/products/no-such-product")
    assert response.status_code == 404
    assert "NOT_FOUND" in response.text and "text/html" in response.headers["content-type"]
    assert (await web.client.get("/files/models/nope/model.lib")).status_code == 404
