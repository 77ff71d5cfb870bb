"""SPICE fits over HTTP: starting one, what it needs, and the model routes' refusals."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.api.helpers import assert_problem, seed_graph_results
from tests.conftest import ONE_WORKER, TEST_HANDLERS, Service, make_settings, start_service


@pytest.fixture
async def fitting_service(tmp_path: Path) -> AsyncIterator[Service]:
    settings = make_settings(tmp_path / "data", queue=ONE_WORKER)
    async for running in start_service(settings, ["graphq.jobs.spice_fit", TEST_HANDLERS]):
        yield running


async def test_model_type_defaults_from_the_device_type(fitting_service: Service) -> None:
    service = fitting_service
    queue = (await service.client.post("/api/queue/create", json={"name": "fits"})).json()
    await service.client.post(f"/api/queue/{queue['id']}/pause")
    gan = await service.create_product("EPC2045", deviceType="GaN-HEMT")
    sic = await service.create_product("C3M0065090D", deviceType="SiC-MOSFET")
    for product in (gan, sic):
        await seed_graph_results(service, product["id"])

    async def fit(product_id: str, **body: str) -> dict[str, object]:
        response = await service.client.post(
            f"/api/product/{product_id}/spice", json={"queueId": queue["id"], **body}
        )
        assert response.status_code == 201, response.text
        return response.json()

    assert (await fit(gan["id"]))["parameters"] == {"modelType": "gan-epc"}
    assert (await fit(sic["id"]))["parameters"] == {"modelType": "vdmos"}
    chosen = await fit(gan["id"], modelType="vdmos", name="EPC2045_alt", priority="high")
    assert chosen["parameters"] == {"modelType": "vdmos", "name": "EPC2045_alt"}
    assert (chosen["kind"], chosen["priority"]) == ("spice_fit", "high")


async def test_a_fit_of_a_product_without_digitized_graphs_is_refused_when_asked_for(
    fitting_service: Service,
) -> None:
    service = fitting_service
    product = await service.create_product()
    spice = await service.client.post(f"/api/product/{product['id']}/spice", json={})
    assert_problem(spice, 409, "MISSING_CURVES")
    body = {"productId": product["id"], "kind": "spice_fit"}
    assert_problem(await service.client.post("/api/job/create", json=body), 409, "MISSING_CURVES")
    batch = await service.client.post("/api/batch/create", json={"jobs": [body]})
    assert_problem(batch, 409, "MISSING_CURVES")
    jobs = (await service.client.get("/api/jobs", params={"product": product["id"]})).json()
    assert jobs["total"] == 0


# The refusals of a route run in one app, one case after another: starting the app is most of
# a case's cost, and a refused request must leave the app as it found it anyway.
INVALID_FIT_REQUESTS: dict[str, dict[str, str]] = {
    "unknown-model-type": {"modelType": "bsim4"},
    "unsafe-name": {"name": "bad name!"},
    "unknown-priority": {"priority": "whenever"},
}


async def test_invalid_fit_requests_are_refused(
    service: Service, subtests: pytest.Subtests
) -> None:
    product = await service.create_product()
    for case, body in INVALID_FIT_REQUESTS.items():
        with subtests.test(case):
            response = await service.client.post(f"/api/product/{product['id']}/spice", json=body)
            assert_problem(response, 400, "INVALID_REQUEST")


async def test_unknown_product_or_model_is_not_found(
    service: Service, subtests: pytest.Subtests
) -> None:
    for method, path in [
        ("POST", "/api/product/missing/spice"),
        ("GET", "/api/product/missing/spice-models"),
        ("GET", "/api/spice-models/missing"),
        ("GET", "/api/spice-models/missing/model.lib"),
        ("GET", "/api/spice-models/missing/report.png"),
    ]:
        with subtests.test(f"{method} {path}"):
            response = await service.client.request(method, path, json={})
            assert_problem(response, 404, "NOT_FOUND")
