"""Graph metadata is held to the same rules on every route that takes it: the image upload,
a digitize job's parameters and one-off extraction."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.api.helpers import AXES, assert_problem, graph_png, meta, upload
from tests.conftest import Service

REVERSED_X = {"x": {"min": 10.0, "max": 0.0}, "y": AXES["y"]}
LOG_FROM_ZERO = {"x": AXES["x"], "y": {"min": 0.0, "max": 10.0, "scale": "log"}}


async def _through_upload(
    service: Service, product_id: str, axes: dict[str, Any]
) -> httpx.Response:
    return await upload(service, product_id, [("g.png", graph_png())], [meta(axes=axes)])


async def _through_job_parameters(
    service: Service, product_id: str, axes: dict[str, Any]
) -> httpx.Response:
    stored = await upload(service, product_id, [("g.png", graph_png())], [meta()])
    (image,) = stored.json()["images"]
    body = {
        "productId": product_id,
        "imageId": image["id"],
        "kind": "digitize",
        "parameters": {"axes": axes},
    }
    return await service.client.post("/api/job/create", json=body)


async def _through_extract(
    service: Service, _product_id: str, axes: dict[str, Any]
) -> httpx.Response:
    parts = [
        ("file", ("g.png", graph_png(), "image/png")),
        ("metadata", (None, json.dumps(meta(axes=axes)))),
    ]
    return await service.client.post("/api/extract/standard", files=parts)


ROUTES = {
    "upload": _through_upload,
    "job-parameters": _through_job_parameters,
    "extract": _through_extract,
}


# Every route and rule in one app, one case after another: starting the app (with the
# digitizer's worker) is most of a case's cost, and a refusal leaves the app as it was.
BROKEN_AXES = {
    "reversed-axis": (REVERSED_X, "x axis must run from min up to max"),
    "log-axis-from-zero": (LOG_FROM_ZERO, "both bounds"),
}


async def test_metadata_breaking_a_rule_is_refused_alike_on_every_route(
    extracting_service: Service, subtests: pytest.Subtests
) -> None:
    product = await extracting_service.create_product()
    for route, through in ROUTES.items():
        for rule, (axes, fragment) in BROKEN_AXES.items():
            with subtests.test(f"{route}: {rule}"):
                response = await through(extracting_service, product["id"], axes)
                problem = assert_problem(response, 422, "INVALID_METADATA")
                assert fragment in problem["detail"]
                jobs = await extracting_service.client.get("/api/jobs")
                assert jobs.json()["total"] == 0


async def test_an_unknown_graph_type_is_refused_with_the_valid_ones_listed(
    extracting_service: Service,
) -> None:
    parts = [
        ("file", ("g.png", graph_png(), "image/png")),
        ("metadata", (None, json.dumps(meta(graphType="diode")))),
    ]
    response = await extracting_service.client.post("/api/extract/standard", files=parts)
    detail = assert_problem(response, 422, "INVALID_METADATA")["detail"]
    assert "'diode'" in detail and "body_diode" in detail and "transfer" in detail
