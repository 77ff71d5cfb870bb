"""Product pages: list, search, create, upload, fit, delete, each with the server's role check."""

from __future__ import annotations

from typing import Any

import anyio

from tests.api.helpers import graph_png
from tests.web.conftest import Web


async def create(web: Web, part_number: str, **fields: str) -> dict[str, Any]:
    body = {"name": f"Part {part_number}", "partNumber": part_number, **fields}
    response = await web.client.post("/api/products", json=body, headers=web.api())
    assert response.status_code == 201, response.text
    return response.json()


async def wait_for_job(web: Web, job_id: str, statuses: set[str]) -> dict[str, Any]:
    with anyio.fail_after(30):
        while True:
            job = (await web.client.get(f"/api/job/{job_id}", headers=web.api())).json()
            if job["status"] in statuses:
                return job
            await anyio.sleep(0.05)


async def test_the_list_searches_by_part_number_and_name(web: Web) -> None:
    await create(web, "IRF540")
    await create(web, "BSC010", manufacturer="Infineon")
    await web.sign_in("viewer")
    page = (await web.client.get("/products", params={"search": "infineon"})).text
    assert "BSC010" in page and "IRF540" not in page
    assert "1 product matching" in page


async def test_an_operator_creates_a_product_through_the_form(web: Web) -> None:
    await web.sign_in("operator")
    response = await web.post_form(
        "/products", {"name": "Demo FET", "part_number": "DEMO-1", "device_type": "SiC-MOSFET"}
    )
    assert response.status_code == 303
    page = await web.client.get(response.headers["location"])
    assert "DEMO-1" in page.text and "SiC-MOSFET" in page.text
    assert "created DEMO-1" in page.text
    listed = (await web.client.get("/api/products", headers=web.api())).json()
    assert [p["partNumber"] for p in listed["items"]] == ["DEMO-1"]


async def test_a_duplicate_part_number_is_shown_as_the_services_error(web: Web) -> None:
    await create(web, "DUP-1")
    await web.sign_in("operator")
    response = await web.post_form("/products", {"name": "again", "part_number": "DUP-1"})
    page = await web.client.get(response.headers["location"])
    assert "DUPLICATE_PART_NUMBER" in page.text


async def test_a_viewer_is_offered_no_forms_and_the_server_refuses_their_posts(web: Web) -> None:
    product = await create(web, "VIEW-1")
    await web.sign_in("viewer")
    page = (await web.client.get(f"/products/{product['id']}")).text
    assert "Upload graph images" not in page and "Start fit" not in page
    assert "Delete product" not in page
    for path, data in (
        ("/products", {"name": "x", "part_number": "X-1"}),
        (f"/products/{product['id']}/fit", {}),
        (f"/products/{product['id']}/delete", {"confirm": "on"}),
    ):
        response = await web.post_form(path, data)
        assert response.status_code == 403, path
    listed = (await web.client.get("/api/products", headers=web.api())).json()
    assert [p["partNumber"] for p in listed["items"]] == ["VIEW-1"]
    jobs = (await web.client.get("/api/jobs", headers=web.api())).json()
    assert jobs["total"] == 0


async def test_an_operator_cannot_delete_but_an_admin_can(web: Web) -> None:
    product = await create(web, "DEL-1")
    await web.sign_in("operator")
    page = (await web.client.get(f"/products/{product['id']}")).text
    assert "Delete product" not in page
    assert (await web.post_form(f"/products/{product['id']}/delete", {})).status_code == 403
    await web.sign_in("admin")
    response = await web.post_form(f"/products/{product['id']}/delete", {"confirm": "on"})
    assert response.headers["location"] == "/products"
    gone = await web.client.get(f"/api/products/{product['id']}", headers=web.api())
    assert gone.status_code == 404


async def test_a_post_without_the_sessions_csrf_token_is_refused(web: Web) -> None:
    await web.sign_in("admin")
    response = await web.client.post("/products", data={"name": "x", "part_number": "CSRF-1"})
    assert response.status_code == 403
    response = await web.client.post(
        "/products", data={"name": "x", "part_number": "CSRF-1", "csrf": "guessed"}
    )
    assert response.status_code == 403
    listed = (await web.client.get("/api/products", headers=web.api())).json()
    assert listed["total"] == 0


async def test_an_uploaded_image_is_digitized_and_shown_with_its_overlay(
    digitizing_web: Web,
) -> None:
    web = digitizing_web
    product = await create(web, "UP-1")
    await web.sign_in("operator")
    form = {
        "csrf": await web.csrf(f"/products/{product['id']}"),
        "graph_type": "output",
        "labels": "VGS = 10 V",
        "x_min": "0",
        "x_max": "10",
        "x_scale": "linear",
        "y_min": "0",
        "y_max": "100",
        "y_scale": "linear",
        "auto_extract": "true",
        "priority": "high",
    }
    response = await web.client.post(
        f"/products/{product['id']}/images",
        data=form,
        files=[("files", ("output.png", graph_png(320, 240), "image/png"))],
    )
    assert response.status_code == 303
    page = (await web.client.get(response.headers["location"])).text
    assert "uploaded 1 image(s), started 1 job(s)" in page
    jobs = (await web.client.get(f"/api/jobs?product={product['id']}", headers=web.api())).json()
    (job,) = jobs["items"]
    assert job["priority"] == "high"
    await wait_for_job(web, job["id"], {"completed"})
    live = (await web.client.get(f"/products/{product['id']}/live")).text
    overlay = f"/files/jobs/{job['id']}/overlay.png"
    assert overlay in live and "confidence" in live
    image = await web.client.get(overlay, params={"imageId": job["imageId"]})
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")


async def test_a_fit_of_a_product_without_graphs_is_refused_on_the_page(fitting_web: Web) -> None:
    web = fitting_web
    product = await create(web, "FIT-1")
    await web.sign_in("operator")
    response = await web.post_form(f"/products/{product['id']}/fit", {"model_type": "vdmos"})
    page = (await web.client.get(response.headers["location"])).text
    assert "MISSING_CURVES" in page and "started fit job" not in page
    jobs = (await web.client.get(f"/api/jobs?product={product['id']}", headers=web.api())).json()
    assert jobs["items"] == []
