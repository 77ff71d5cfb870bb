"""Products: create, read, update, search, paginate and delete with everything they own."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from graphq.db.models import ExtractionResult, GraphImage, Job
from tests.api.helpers import assert_problem, graph_png, upload
from tests.conftest import Service


async def test_created_product_is_read_back_with_its_fields(service: Service) -> None:
    created = await service.create_product(
        "IRF540N",
        manufacturer="Infineon",
        deviceType="Si-MOSFET",
        package="TO-220",
        description="100 V, 33 A",
    )
    fetched = (await service.client.get(f"/api/products/{created['id']}")).json()
    assert fetched == created
    assert (fetched["partNumber"], fetched["manufacturer"], fetched["package"]) == (
        "IRF540N",
        "Infineon",
        "TO-220",
    )
    assert fetched["status"] == "active"


async def test_update_changes_only_the_fields_given(service: Service) -> None:
    product = await service.create_product("C3M0065090D", manufacturer="Wolfspeed")
    response = await service.client.put(
        f"/api/products/{product['id']}", json={"deviceType": "SiC-MOSFET", "status": "archived"}
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert (updated["deviceType"], updated["status"]) == ("SiC-MOSFET", "archived")
    assert (updated["manufacturer"], updated["partNumber"]) == ("Wolfspeed", "C3M0065090D")


async def test_part_numbers_are_unique(service: Service) -> None:
    await service.create_product("EPC2045")
    response = await service.client.post(
        "/api/products", json={"name": "again", "partNumber": "EPC2045"}
    )
    assert_problem(response, 409, "DUPLICATE_PART_NUMBER")
    other = await service.create_product("EPC2053")
    renamed = await service.client.put(
        f"/api/products/{other['id']}", json={"partNumber": "EPC2045"}
    )
    assert_problem(renamed, 409, "DUPLICATE_PART_NUMBER")


async def test_search_matches_name_part_number_and_manufacturer(service: Service) -> None:
    await service.create_product("IPP60R099", manufacturer="Infineon")
    await service.create_product("GS66508T", manufacturer="GaN Systems")
    await service.create_product("EPC2045", manufacturer="EPC")

    async def found(term: str) -> list[str]:
        page = (await service.client.get("/api/products", params={"search": term})).json()
        assert page["total"] == len(page["items"])
        return sorted(p["partNumber"] for p in page["items"])

    assert await found("infineon") == ["IPP60R099"]
    assert await found("gs665") == ["GS66508T"]
    assert await found("EPC") == ["EPC2045"]
    assert await found("Test") == ["EPC2045", "GS66508T", "IPP60R099"]
    assert await found("nothing like it") == []


async def test_search_matches_wildcards_literally_and_refuses_control_characters(
    service: Service,
) -> None:
    await service.create_product("IPP60R099")
    await service.create_product("GS_100%")

    async def found(term: str) -> list[str]:
        page = (await service.client.get("/api/products", params={"search": term})).json()
        return sorted(p["partNumber"] for p in page["items"])

    assert await found("%") == ["GS_100%"]
    assert await found("_") == ["GS_100%"]
    assert await found("\\") == []
    nul = await service.client.get("/api/products", params={"search": "\x00"})
    assert_problem(nul, 400, "INVALID_REQUEST")


async def test_list_pages_through_products_newest_first(service: Service) -> None:
    numbers = [f"PN{i:02d}" for i in range(7)]
    for number in numbers:
        await service.create_product(number)
    pages = []
    for offset in (0, 3, 6):
        page = (
            await service.client.get("/api/products", params={"limit": 3, "offset": offset})
        ).json()
        assert (page["total"], page["limit"], page["offset"]) == (7, 3, offset)
        pages.append([p["partNumber"] for p in page["items"]])
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [number for page in pages for number in page] == list(reversed(numbers))


async def test_deleting_a_product_removes_its_images_jobs_results_and_files(
    service: Service,
) -> None:
    product = await service.create_product()
    keep = await service.create_product("KEEP-ME")
    images = (
        await upload(
            service, product["id"], [("a.png", graph_png(seed=1)), ("b.png", graph_png(seed=2))]
        )
    ).json()["images"]
    kept_image = (await upload(service, keep["id"], [("k.png", graph_png())])).json()["images"]
    job = (
        await service.client.post(
            "/api/job/create", json={"productId": product["id"], "kind": "noop"}
        )
    ).json()["job"]
    await service.wait_for_job(job["id"], {"completed"})
    product_dir = service.rt.settings.data_dir / "images" / product["id"]
    assert len(list(product_dir.iterdir())) == 2

    response = await service.client.delete(f"/api/products/{product['id']}")
    assert response.status_code == 204
    assert_problem(await service.client.get(f"/api/products/{product['id']}"), 404, "NOT_FOUND")
    for image in images:
        assert_problem(await service.client.get(f"/api/images/{image['id']}"), 404, "NOT_FOUND")
    assert not product_dir.exists()
    async with service.db.read() as session:
        for model, column in (
            (GraphImage, GraphImage.product_id),
            (Job, Job.product_id),
            (ExtractionResult, ExtractionResult.product_id),
        ):
            count = (
                await session.execute(select(func.count(model.id)).where(column == product["id"]))
            ).scalar_one()
            assert count == 0, model.__name__
    still = (await service.client.get(f"/api/images/{kept_image[0]['id']}/file")).status_code
    assert still == 200


async def test_deleting_a_product_cancels_its_running_job(service: Service) -> None:
    product = await service.create_product()
    job = (
        await service.client.post(
            "/api/job/create",
            json={"productId": product["id"], "kind": "sleep", "parameters": {"seconds": 20}},
        )
    ).json()["job"]
    await service.wait_for_job(job["id"], {"processing"})
    response = await service.client.delete(f"/api/products/{product['id']}")
    assert response.status_code == 204
    assert_problem(await service.client.get(f"/api/job/{job['id']}"), 404, "NOT_FOUND")
    assert service.rt.engine.running == {}


# The refusals of a route run in one app, one case after another: starting the app is most of
# a case's cost, and a refused request must leave the app as it found it anyway.
async def test_unknown_product_is_not_found(service: Service, subtests: pytest.Subtests) -> None:
    for method in ("GET", "PUT", "DELETE"):
        with subtests.test(method):
            response = await service.client.request(
                method, "/api/products/nope", json={"name": "x"}
            )
            assert_problem(response, 404, "NOT_FOUND")


INVALID_PRODUCT_BODIES: dict[str, object] = {
    "missing-name": {"partNumber": "NO-NAME"},
    "empty-name": {"name": "", "partNumber": "EMPTY-NAME"},
    "unknown-status": {"name": "x", "partNumber": "BAD-STATUS", "status": "bogus"},
    "number-as-part": {"name": "x", "partNumber": 42},
    "array-body": ["not", "an", "object"],
}


async def test_invalid_product_bodies_are_refused(
    service: Service, subtests: pytest.Subtests
) -> None:
    for case, body in INVALID_PRODUCT_BODIES.items():
        with subtests.test(case):
            response = await service.client.post("/api/products", json=body)
            assert_problem(response, 400, "INVALID_REQUEST")
            assert (await service.client.get("/api/products")).json()["total"] == 0


async def test_malformed_json_body_is_a_bad_request(service: Service) -> None:
    response = await service.client.post(
        "/api/products",
        content=b'{"name": "x", "partNumber": ',
        headers={"content-type": "application/json"},
    )
    assert_problem(response, 400, "INVALID_REQUEST")


async def test_page_size_out_of_range_is_refused(service: Service) -> None:
    response = await service.client.get("/api/products", params={"limit": 0})
    assert_problem(response, 400, "INVALID_REQUEST")
