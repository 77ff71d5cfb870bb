"""Extraction over HTTP: digitizing a product's images into results, and one-off extraction."""

from __future__ import annotations

import json
from typing import Any

import httpx
import msgspec
import pytest

from tests.api.helpers import assert_problem, graph_png, meta, stored_files, upload
from tests.conftest import Service
from tests.datagen.generate import generate_graph

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def graph_meta(seed: int) -> tuple[bytes, dict[str, Any]]:
    graph = generate_graph(seed, graph_type="output")
    return graph.data, msgspec.to_builtins(graph.meta)


async def extract_once(
    service: Service, method: str, parts: list[tuple[str, Any]]
) -> httpx.Response:
    return await service.client.post(f"/api/extract/{method}", files=parts)


async def test_product_extract_digitizes_images_without_a_result_and_stores_curves(
    extracting_service: Service,
) -> None:
    service = extracting_service
    product = await service.create_product()
    data, graph = graph_meta(11)
    (image,) = (await upload(service, product["id"], [("out.png", data)], [graph])).json()["images"]

    response = await service.client.post(f"/api/product/{product['id']}/extract", json={})
    assert response.status_code == 201, response.text
    (job,) = response.json()["jobs"]
    assert (job["imageId"], job["kind"]) == (image["id"], "digitize")
    done = await service.wait_for_job(job["id"], {"completed", "dead"}, timeout_s=60)
    assert done["status"] == "completed", done

    (result,) = (await service.client.get(f"/api/product/{product['id']}/results")).json()
    assert (result["jobId"], result["imageId"]) == (job["id"], image["id"])
    assert result["dataPoints"] > 0 and 0 <= result["confidence"] <= 1
    assert result["metadata"]["curves"]

    csv = await service.client.get(f"/api/job/{job['id']}/result.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0].endswith(",curve")
    overlay = await service.client.get(f"/api/job/{job['id']}/overlay.png")
    assert overlay.content.startswith(PNG_MAGIC)

    again = await service.client.post(f"/api/product/{product['id']}/extract", json={})
    assert again.json()["jobs"] == []


async def test_product_extract_of_named_images_uses_the_requested_settings(
    extracting_service: Service,
) -> None:
    service = extracting_service
    product = await service.create_product()
    images = (
        await upload(
            service,
            product["id"],
            [("a.png", graph_png(seed=1)), ("b.png", graph_png(seed=2))],
            [meta(), meta()],
        )
    ).json()["images"]
    queue = (await service.client.post("/api/queue/create", json={"name": "later"})).json()
    await service.client.post(f"/api/queue/{queue['id']}/pause")
    response = await service.client.post(
        f"/api/product/{product['id']}/extract",
        json={
            "imageIds": [images[1]["id"]],
            "priority": "urgent",
            "method": "legacy",
            "queueId": queue["id"],
        },
    )
    (job,) = response.json()["jobs"]
    assert (job["imageId"], job["priority"], job["extractionMethod"], job["queueId"]) == (
        images[1]["id"],
        "urgent",
        "legacy",
        queue["id"],
    )


async def test_product_extract_refuses_images_of_another_product(service: Service) -> None:
    mine, theirs = await service.create_product("MINE"), await service.create_product("THEIRS")
    (image,) = (await upload(service, theirs["id"], [("t.png", graph_png())])).json()["images"]
    response = await service.client.post(
        f"/api/product/{mine['id']}/extract", json={"imageIds": [image["id"]]}
    )
    assert_problem(response, 404, "NOT_FOUND")
    assert (await service.client.get("/api/jobs")).json()["total"] == 0


async def test_product_extract_of_an_unknown_product_is_not_found(service: Service) -> None:
    response = await service.client.post("/api/product/no-such-product/extract")
    assert_problem(response, 404, "NOT_FOUND")


async def test_one_off_extraction_answers_curves_and_stores_nothing(service: Service) -> None:
    data, graph = graph_meta(12)
    response = await extract_once(
        service,
        "standard",
        [("file", ("graph.png", data, "image/png")), ("metadata", (None, json.dumps(graph)))],
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["plotArea"]) == 4
    assert body["curves"] and all(c["points"] for c in body["curves"])
    assert stored_files(service) == []
    assert (await service.client.get("/api/jobs")).json()["total"] == 0


# The refusals of a route run in one app, one case after another: starting the app is most of
# a case's cost, and a refused request must leave the app as it found it anyway.
BAD_ONE_OFF_EXTRACTIONS: list[tuple[str, str, int, str]] = [
    ("llm", "image+meta", 501, "LLM_NOT_CONFIGURED"),
    ("magic", "image+meta", 404, "NOT_FOUND"),
    ("standard", "meta", 400, "NO_FILES"),
    ("standard", "image", 422, "AXIS_UNREAD"),
    ("standard", "text+meta", 400, "INVALID_IMAGE"),
    ("standard", "image+bad-json", 400, "MALFORMED_METADATA"),
    ("standard", "image+no-axes", 422, "AXIS_UNREAD"),
]


async def test_bad_one_off_extractions_answer_a_problem(
    service: Service, subtests: pytest.Subtests
) -> None:
    available = {
        "image": ("file", ("g.png", graph_png(), "image/png")),
        "text": ("file", ("g.png", b"hello", "image/png")),
        "meta": ("metadata", (None, json.dumps(meta()))),
        "bad-json": ("metadata", (None, "{axes:")),
        "no-axes": ("metadata", (None, json.dumps({"graphType": "output"}))),
    }
    for method, parts, status, code in BAD_ONE_OFF_EXTRACTIONS:
        with subtests.test(f"{method} {parts}"):
            sent = [available[p] for p in parts.split("+")]
            assert_problem(await extract_once(service, method, sent), status, code)


async def test_results_of_unknown_ids_are_not_found(
    service: Service, subtests: pytest.Subtests
) -> None:
    for path in [
        "/api/product/missing/results",
        "/api/job/missing/result.csv",
        "/api/job/missing/overlay.png",
    ]:
        with subtests.test(path):
            assert_problem(await service.client.get(path), 404, "NOT_FOUND")


async def test_product_results_come_in_pages_linked_by_a_cursor(service: Service) -> None:
    product = await service.create_product()
    body = {"productId": product["id"], "kind": "noop"}
    batch = (await service.client.post("/api/batch/create", json={"jobs": [body] * 5})).json()
    for job in batch["jobs"]:
        await service.wait_for_job(job["id"], {"completed"})

    seen: list[str] = []
    url: str | None = f"/api/product/{product['id']}/results?limit=2"
    while url is not None:
        response = await service.client.get(url)
        assert response.status_code == 200, response.text
        seen += [result["jobId"] for result in response.json()]
        link = response.headers.get("link")
        url = link.split(">")[0].lstrip("<") if link else None
    assert sorted(seen) == sorted(job["id"] for job in batch["jobs"])
    assert len(set(seen)) == 5
