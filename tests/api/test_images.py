"""Graph image upload, listing, download and deletion through the real app."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import msgspec
import pytest
from PIL import Image

from graphq.digitizer import DigitizeResult
from tests.api.helpers import (
    AXES,
    assert_problem,
    graph_png,
    image_rows,
    meta,
    stored_files,
    upload,
)
from tests.conftest import TEST_HANDLERS, Service, make_settings, start_service
from tests.datagen import score_result
from tests.datagen.generate import generate_graph


async def test_multi_file_upload_stores_each_image_with_its_metadata(service: Service) -> None:
    product = await service.create_product()
    first, second = graph_png(seed=1), graph_png(200, 150, seed=2)
    response = await upload(
        service,
        product["id"],
        [("output.png", first), ("transfer.png", second)],
        [
            meta(labels=["VGS = 10 V", "VGS = 5 V"], description="Fig. 1"),
            meta(
                graphType="transfer", axes={**AXES, "y": {"min": 0.1, "max": 100, "scale": "log"}}
            ),
        ],
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["jobs"] == []
    one, two = body["images"]
    assert (one["filename"], one["graphType"], one["description"]) == (
        "output.png",
        "output",
        "Fig. 1",
    )
    assert one["metadata"]["labels"] == ["VGS = 10 V", "VGS = 5 V"]
    assert one["dimensions"] == {"width": 160, "height": 120}
    assert one["sha256"] == hashlib.sha256(first).hexdigest()
    assert one["fileSize"] == len(first)
    assert one["mimeType"] == "image/png"
    assert one["status"] == "pending"
    assert two["graphType"] == "transfer"
    assert two["metadata"]["axes"]["y"]["scale"] == "log"
    assert two["dimensions"] == {"width": 200, "height": 150}

    listed = (await service.client.get(f"/api/product/{product['id']}/images")).json()
    assert [i["id"] for i in listed] == [one["id"], two["id"]]
    fetched = (await service.client.get(f"/api/images/{two['id']}")).json()
    assert fetched == two


async def test_images_are_stored_under_generated_names_inside_the_data_directory(
    service: Service,
) -> None:
    product = await service.create_product()
    response = await upload(service, product["id"], [("../../../etc/evil name?.png", graph_png())])
    image = response.json()["images"][0]
    assert image["filename"] == "evil name_.png"
    (path,) = stored_files(service)
    assert image["filePath"] == f"images/{product['id']}/{image['id']}.png"
    assert path == service.rt.settings.data_dir / image["filePath"]


async def test_the_bytes_decide_the_type_not_the_name_or_the_client_content_type(
    service: Service,
) -> None:
    product = await service.create_product()
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(buffer, format="JPEG")
    jpeg = buffer.getvalue()
    response = await upload(service, product["id"], [("looks-like.png", jpeg)])
    image = response.json()["images"][0]
    assert image["mimeType"] == "image/jpeg"
    assert stored_files(service)[0].suffix == ".jpg"


async def test_file_download_serves_the_stored_bytes_with_their_type_and_name(
    service: Service,
) -> None:
    product = await service.create_product()
    data = graph_png(seed=3)
    image = (await upload(service, product["id"], [("fig-3.png", data)])).json()["images"][0]
    response = await service.client.get(f"/api/images/{image['id']}/file")
    assert response.status_code == 200
    assert response.content == data
    assert response.headers["content-type"] == "image/png"
    assert 'filename="fig-3.png"' in response.headers["content-disposition"]


async def test_failed_multi_file_upload_stores_nothing(service: Service) -> None:
    product = await service.create_product()
    files = [
        ("good-1.png", graph_png(seed=1)),
        ("notes.png", b"these are not the pixels you are looking for"),
        ("good-2.png", graph_png(seed=2)),
    ]
    response = await upload(service, product["id"], files, [meta(), meta(), meta()])
    problem = assert_problem(response, 400, "INVALID_IMAGE")
    assert problem["errors"] == {"index": 1, "filename": "notes.png"}
    assert await image_rows(service) == 0
    assert stored_files(service) == []
    assert (await service.client.get(f"/api/product/{product['id']}/images")).json() == []


async def test_upload_with_one_bad_metadata_entry_stores_nothing(service: Service) -> None:
    product = await service.create_product()
    log_from_zero = {**AXES, "y": {"min": 0, "max": 100, "scale": "log"}}
    response = await upload(
        service,
        product["id"],
        [("a.png", graph_png(seed=1)), ("b.png", graph_png(seed=2))],
        [meta(), meta(axes=log_from_zero)],
    )
    problem = assert_problem(response, 422, "INVALID_METADATA")
    assert problem["errors"] == {"index": 1}
    assert "positive" in problem["detail"]
    assert await image_rows(service) == 0
    assert stored_files(service) == []


TRUNCATED_PNG = graph_png()[:200]


# The refusals run in one app, one case after another: starting the app is most of a case's
# cost, and a refused upload must leave the app as it found it anyway.
BAD_UPLOADS: list[tuple[list[tuple[str, bytes]], Any, dict[str, str], int, str]] = [
    ([("a.txt", b"plain text, not an image")], None, {}, 400, "INVALID_IMAGE"),
    ([("a.png", TRUNCATED_PNG)], None, {}, 400, "INVALID_IMAGE"),
    ([("empty.png", b"")], None, {}, 400, "INVALID_IMAGE"),
    ([], None, {"autoExtract": "false"}, 400, "NO_FILES"),
    ([("a.png", graph_png())], "[{not json", {}, 400, "MALFORMED_METADATA"),
    ([("a.png", graph_png())], '{"graphType": "output"}', {}, 400, "MALFORMED_METADATA"),
    ([("a.png", graph_png())], [meta(), meta()], {}, 422, "INVALID_METADATA"),
    ([("a.png", graph_png())], ["output"], {}, 422, "INVALID_METADATA"),
    ([("a.png", graph_png())], [{"graphType": "output"}], {}, 422, "INVALID_METADATA"),
    ([("a.png", graph_png())], [meta(graphType="pie")], {}, 422, "INVALID_METADATA"),
    (
        [("a.png", graph_png())],
        [meta(axes={**AXES, "x": {"min": 10, "max": 0}})],
        {},
        422,
        "INVALID_METADATA",
    ),
    (
        [("a.png", graph_png())],
        [meta(plotArea=[0, 0, 5000, 5000])],
        {},
        422,
        "INVALID_METADATA",
    ),
    ([("a.png", graph_png())], None, {"priority": "asap"}, 400, "INVALID_REQUEST"),
    ([("a.png", graph_png())], None, {"autoExtract": "maybe"}, 400, "INVALID_REQUEST"),
]
BAD_UPLOAD_CASES = [
    "text-file",
    "truncated-png",
    "empty-file",
    "no-files",
    "metadata-not-json",
    "metadata-not-an-array",
    "metadata-count-mismatch",
    "metadata-entry-not-an-object",
    "metadata-without-axes",
    "unknown-graph-type",
    "axis-min-above-max",
    "plot-area-outside-image",
    "unknown-priority",
    "autoextract-not-a-bool",
]


async def test_bad_uploads_answer_a_problem_and_store_nothing(
    service: Service, subtests: pytest.Subtests
) -> None:
    product = await service.create_product()
    for case, (files, metadata, fields, status, code) in zip(
        BAD_UPLOAD_CASES, BAD_UPLOADS, strict=True
    ):
        with subtests.test(case):
            response = await upload(service, product["id"], files, metadata, **fields)
            assert_problem(response, status, code)
            assert await image_rows(service) == 0
            assert stored_files(service) == []


async def test_upload_that_is_not_multipart_is_refused(service: Service) -> None:
    product = await service.create_product()
    response = await service.client.post(
        f"/api/product/{product['id']}/images", json={"files": ["a.png"]}
    )
    assert_problem(response, 415, "UNSUPPORTED_MEDIA_TYPE")


async def test_upload_to_an_unknown_product_is_not_found(service: Service) -> None:
    response = await upload(service, "no-such-product", [("a.png", graph_png())])
    assert_problem(response, 404, "NOT_FOUND")
    assert stored_files(service) == []


async def test_unknown_image_or_product_ids_are_not_found(
    service: Service, subtests: pytest.Subtests
) -> None:
    for path in ["/api/images/{id}", "/api/images/{id}/file", "/api/product/{id}/images"]:
        with subtests.test(path):
            response = await service.client.get(path.format(id="0000-missing"))
            assert_problem(response, 404, "NOT_FOUND")


async def test_upload_limits_are_enforced_before_anything_is_stored(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path / "data", uploads={"max_files": 2, "max_pixels": 100 * 100, "max_file_mb": 1}
    )
    async for service in start_service(settings, [TEST_HANDLERS]):
        product = await service.create_product()
        three = [(f"{i}.png", graph_png(seed=i)) for i in range(3)]
        assert_problem(await upload(service, product["id"], three), 413, "TOO_MANY_FILES")

        too_many_pixels = graph_png(101, 100)
        response = await upload(service, product["id"], [("big.png", too_many_pixels)])
        assert "pixels" in assert_problem(response, 413, "IMAGE_TOO_LARGE")["detail"]

        noise = Image.frombytes("RGB", (90, 90), bytes(range(256)) * 95)
        buffer = io.BytesIO()
        noise.save(buffer, format="BMP")
        padded = buffer.getvalue() + b"\0" * 2**20
        response = await upload(service, product["id"], [("heavy.bmp", padded)])
        assert "bytes" in assert_problem(response, 413, "IMAGE_TOO_LARGE")["detail"]
        assert stored_files(service) == []


async def test_deleting_an_image_removes_its_row_and_file(service: Service) -> None:
    product = await service.create_product()
    image = (await upload(service, product["id"], [("a.png", graph_png())])).json()["images"][0]
    response = await service.client.delete(f"/api/images/{image['id']}")
    assert response.status_code == 204
    assert_problem(await service.client.get(f"/api/images/{image['id']}"), 404, "NOT_FOUND")
    assert stored_files(service) == []


async def test_auto_extract_creates_one_digitize_job_per_image(
    extracting_service: Service,
) -> None:
    service = extracting_service
    product = await service.create_product()
    queue = (
        await service.client.post("/api/queue/create", json={"name": "held", "mode": "manual"})
    ).json()
    response = await upload(
        service,
        product["id"],
        [("a.png", graph_png(seed=1)), ("b.png", graph_png(seed=2))],
        [meta(), meta(method="legacy")],
        autoExtract="true",
        priority="high",
        queueId=queue["id"],
    )
    assert response.status_code == 201, response.text
    images, jobs = response.json()["images"], response.json()["jobs"]
    assert [j["imageId"] for j in jobs] == [i["id"] for i in images]
    assert {(j["kind"], j["priority"], j["queueId"], j["status"]) for j in jobs} == {
        ("digitize", "high", queue["id"], "queued")
    }
    assert [j["extractionMethod"] for j in jobs] == ["standard", "legacy"]


async def test_auto_extract_reads_the_axes_of_a_file_without_metadata(
    extracting_service: Service,
) -> None:
    """Seed 2 is a linear transfer graph whose tick labels OCR reads cleanly."""
    service = extracting_service
    product = await service.create_product()
    graph = generate_graph(2)
    response = await upload(
        service, product["id"], [("transfer.png", graph.data)], None, autoExtract="true"
    )
    assert response.status_code == 201, response.text
    (job,) = response.json()["jobs"]
    done = await service.wait_for_job(job["id"], {"completed", "dead"}, timeout_s=60)
    assert done["status"] == "completed", done
    result = (await service.client.get(f"/api/job/{job['id']}/result")).json()
    assert result["metadata"]["axesSource"] == "ocr"
    # Curves in the graph's own units: each within 1 % of the span of its truth.
    score = score_result(msgspec.convert(result["metadata"], DigitizeResult), graph)
    assert score.recovered_count >= score.truth_count - 1


async def test_auto_extract_of_a_file_whose_axes_cannot_be_read_fails_without_retrying(
    extracting_service: Service,
) -> None:
    service = extracting_service
    product = await service.create_product()
    response = await upload(
        service, product["id"], [("frame.png", graph_png())], None, autoExtract="true"
    )
    assert response.status_code == 201, response.text
    (job,) = response.json()["jobs"]
    done = await service.wait_for_job(job["id"], {"completed", "dead"}, timeout_s=60)
    assert done["status"] == "dead", done
    assert done["error"]["code"] == "AXIS_UNREAD"
    assert done["attempts"] == 1


async def test_auto_extract_into_an_unknown_queue_stores_nothing(
    extracting_service: Service,
) -> None:
    service = extracting_service
    product = await service.create_product()
    response = await upload(
        service,
        product["id"],
        [("a.png", graph_png())],
        [meta()],
        autoExtract="true",
        queueId="no-such-queue",
    )
    assert_problem(response, 404, "NOT_FOUND")
    assert await image_rows(service) == 0
    assert stored_files(service) == []


async def test_uploaded_graph_is_digitized_into_a_result(extracting_service: Service) -> None:
    service = extracting_service
    product = await service.create_product()
    graph = generate_graph(7, graph_type="output")
    response = await upload(
        service,
        product["id"],
        [("output.png", graph.data)],
        json.dumps([msgspec.to_builtins(graph.meta)]),
        autoExtract="true",
    )
    assert response.status_code == 201, response.text
    (job,) = response.json()["jobs"]
    done = await service.wait_for_job(job["id"], {"completed", "dead"}, timeout_s=60)
    assert done["status"] == "completed", done
    result = (await service.client.get(f"/api/job/{job['id']}/result")).json()
    assert result["dataPoints"] > 0
    image = (await service.client.get(f"/api/images/{job['imageId']}")).json()
    assert image["status"] == "completed"
