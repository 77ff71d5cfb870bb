"""Datasheet PDFs through the real app: upload, the job with per-page progress, the graphs
it stores, and refused uploads that leave nothing behind."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from sqlalchemy import func, select

from graphq.db.models import Datasheet, Job
from tests.api.helpers import assert_problem, stored_files
from tests.api.test_events import stream_while
from tests.conftest import ONE_WORKER, Service, make_settings, start_service
from tests.datagen.datasheet_pdf import (
    DatasheetSpec,
    GeneratedDatasheet,
    PageSpec,
    make_datasheet,
)
from tests.datagen.pdf_panels import PanelSpec

_INLINE = {"label_mode": "inline"}
_SPEC = DatasheetSpec(
    11,
    (
        PageSpec(kind="spec"),
        PageSpec(panels=(PanelSpec("output", style=_INLINE), PanelSpec("transfer", style=_INLINE))),
        PageSpec(panels=(PanelSpec("rdson_temperature", style=_INLINE),)),
    ),
)
_LIMITS = {"max_pdf_pages": 3, "max_pdf_mb": 1}


@pytest.fixture(scope="module")
def datasheet() -> GeneratedDatasheet:
    return make_datasheet(_SPEC)


@pytest.fixture
async def reading_service(tmp_path: Path) -> AsyncIterator[Service]:
    """The app with the real ``datasheet`` job kind, and small PDF limits."""
    settings = make_settings(tmp_path / "data", uploads=_LIMITS, queue=ONE_WORKER)
    async for running in start_service(settings, ["graphq.jobs.datasheet"]):
        yield running


def blank_pdf(pages: int = 1) -> bytes:
    """A real PDF of blank pages, as Pillow writes it: a PDF with no graph in it."""
    blank = [Image.new("RGB", (60, 80), "white") for _ in range(pages)]
    buffer = io.BytesIO()
    blank[0].save(buffer, "PDF", save_all=True, append_images=blank[1:])
    return buffer.getvalue()


async def upload_pdfs(
    service: Service, product_id: str, files: list[tuple[str, bytes]], **fields: str
) -> httpx.Response:
    parts: list[tuple[str, Any]] = [
        ("files", (name, content, "application/pdf")) for name, content in files
    ]
    parts += [(name, (None, value)) for name, value in fields.items()]
    return await service.client.post(f"/api/product/{product_id}/datasheets", files=parts)


async def rows(service: Service) -> tuple[int, int]:
    """How many datasheet and job rows the database holds."""
    async with service.db.read() as session:
        datasheets = (await session.execute(select(func.count(Datasheet.id)))).scalar_one()
        jobs = (await session.execute(select(func.count(Job.id)))).scalar_one()
    return datasheets, jobs


async def test_a_multi_page_datasheet_becomes_an_image_and_a_result_per_graph(
    reading_service: Service, datasheet: GeneratedDatasheet
) -> None:
    service = reading_service
    product = await service.create_product("GQ11N20")
    queue = (await service.client.post("/api/queue/create", json={"name": "held"})).json()
    await service.client.post(f"/api/queue/{queue['id']}/pause")
    response = await upload_pdfs(
        service, product["id"], [("GQ11N20.pdf", datasheet.pdf)], queueId=queue["id"]
    )
    assert response.status_code == 201, response.text
    (uploaded,), (job,) = response.json()["datasheets"], response.json()["jobs"]
    assert (uploaded["filename"], uploaded["pages"], uploaded["status"]) == (
        "GQ11N20.pdf",
        3,
        "pending",
    )
    assert (job["kind"], job["datasheetId"], job["queueId"]) == (
        "datasheet",
        uploaded["id"],
        queue["id"],
    )

    async def resume() -> None:
        await service.client.post(f"/api/queue/{queue['id']}/resume")

    events = await stream_while(
        service, f"/api/events/job/{job['id']}", "job:completed", resume, timeout_s=60
    )
    steps = [json.loads(e.data)["currentStep"] for e in events if e.name == "job:progress_updated"]
    for page in (1, 2, 3):
        assert any(f"page {page} of 3" in step for step in steps), steps
    completed = json.loads(events[-1].data)

    shown = (await service.client.get(f"/api/datasheets/{uploaded['id']}")).json()
    assert (shown["status"], shown["jobId"]) == ("completed", job["id"])
    found = sorted((g["page"], g["box"], g["graphType"]) for g in shown["graphs"])
    truth = sorted((g.page, g.box, g.graph_type) for g in datasheet.truth.graphs)
    assert [(page, kind) for page, _, kind in found] == [(page, kind) for page, _, kind in truth]
    for (_, box, _), (_, true_box, _) in zip(found, truth, strict=True):
        assert box == pytest.approx(true_box, abs=1.0)
    assert shown["needsReview"] == any(g["needsReview"] for g in shown["graphs"])
    assert completed["needsReview"] == shown["needsReview"]
    finished = (await service.client.get(f"/api/job/{job['id']}")).json()
    assert finished["needsReview"] == shown["needsReview"]
    listed = (await service.client.get("/api/jobs", params={"needsReview": "true"})).json()
    assert (job["id"] in [j["id"] for j in listed["items"]]) == shown["needsReview"]

    images = (await service.client.get(f"/api/product/{product['id']}/images")).json()
    assert {i["id"] for i in images} == {g["imageId"] for g in shown["graphs"]}
    for graph in shown["graphs"]:
        image = next(i for i in images if i["id"] == graph["imageId"])
        assert (image["page"], image["box"], image["datasheetId"]) == (
            graph["page"],
            graph["box"],
            uploaded["id"],
        )
        file = await service.client.get(f"/api/images/{image['id']}/file")
        panel_width = Image.open(io.BytesIO(file.content)).size[0]
        assert panel_width >= (graph["box"][2] - graph["box"][0]) * 150 / 72

        params = {"imageId": graph["imageId"]}
        result = (await service.client.get(f"/api/job/{job['id']}/result", params=params)).json()
        assert result["id"] == graph["resultId"]
        assert result["needsReview"] == graph["needsReview"]
        assert result["needsReview"] == bool(result["reasons"])
        assert result["metadata"]["source"] == "vector"
        assert all(
            {"label", "value", "conditions", "points", "confidence"} <= set(curve)
            for curve in result["metadata"]["curves"]
        )
        csv = await service.client.get(f"/api/job/{job['id']}/result.csv", params=params)
        assert csv.status_code == 200 and csv.text.endswith("\n")
        overlay = await service.client.get(f"/api/job/{job['id']}/overlay.png", params=params)
        assert overlay.content.startswith(b"\x89PNG")

    ambiguous = await service.client.get(f"/api/job/{job['id']}/result")
    problem = assert_problem(ambiguous, 409, "MULTIPLE_RESULTS")
    assert sorted(problem["errors"]["imageIds"]) == sorted(g["imageId"] for g in shown["graphs"])
    results = (await service.client.get(f"/api/product/{product['id']}/results")).json()
    assert len(results) == len(shown["graphs"])
    (listed_sheet,) = (await service.client.get(f"/api/product/{product['id']}/datasheets")).json()
    assert listed_sheet == shown


# The refusals of a route run in one app, one case after another: starting the app is most of
# a case's cost, and a refused request must leave the app as it found it anyway.
BAD_PDF_UPLOADS: dict[str, tuple[list[tuple[str, bytes]], int, str]] = {
    "not-a-pdf": ([("scan.pdf", b"\x89PNG\r\n\x1a\n not a pdf at all")], 400, "INVALID_PDF"),
    "truncated": ([("cut.pdf", blank_pdf(2)[:300])], 400, "INVALID_PDF"),
    "too-many-pages": ([("long.pdf", blank_pdf(4))], 413, "PDF_TOO_LARGE"),
    "too-many-bytes": ([("huge.pdf", blank_pdf(1) + b"\n%" + b"0" * 2**20)], 413, "PDF_TOO_LARGE"),
    "second-of-two-bad": (
        [("good.pdf", blank_pdf(1)), ("bad.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8)],
        400,
        "INVALID_PDF",
    ),
}


async def test_a_bad_pdf_is_refused_and_its_upload_leaves_nothing_behind(
    reading_service: Service, subtests: pytest.Subtests
) -> None:
    service = reading_service
    product = await service.create_product()
    for case, (files, status, code) in BAD_PDF_UPLOADS.items():
        with subtests.test(case):
            response = await upload_pdfs(service, product["id"], files)
            problem = assert_problem(response, status, code)
            assert problem["errors"]["index"] == len(files) - 1
            assert await rows(service) == (0, 0)
            assert stored_files(service) == []


async def test_an_upload_failing_in_its_transaction_removes_the_files_it_had_placed(
    reading_service: Service,
) -> None:
    service = reading_service
    product = await service.create_product()
    files = [("one.pdf", blank_pdf(1)), ("two.pdf", blank_pdf(2))]
    response = await upload_pdfs(service, product["id"], files, queueId="no-such-queue")
    assert_problem(response, 404, "NOT_FOUND")
    assert await rows(service) == (0, 0)
    assert stored_files(service) == []


async def test_a_pdf_without_graphs_ends_its_job_in_the_dead_letter_queue(
    reading_service: Service,
) -> None:
    service = reading_service
    product = await service.create_product()
    response = await upload_pdfs(service, product["id"], [("blank.pdf", blank_pdf(2))])
    (uploaded,), (job,) = response.json()["datasheets"], response.json()["jobs"]
    dead = await service.wait_for_job(job["id"], {"dead", "completed"}, timeout_s=60)
    assert (dead["status"], dead["error"]["code"]) == ("dead", "NO_GRAPHS_FOUND")
    shown = (await service.client.get(f"/api/datasheets/{uploaded['id']}")).json()
    assert (shown["status"], shown["graphs"]) == ("failed", [])


async def test_an_upload_without_files_or_with_an_unknown_priority_is_refused(
    reading_service: Service,
) -> None:
    service = reading_service
    product = await service.create_product()
    path = f"/api/product/{product['id']}/datasheets"
    no_files = await service.client.post(path, files=[("priority", (None, "high"))])
    assert_problem(no_files, 400, "NO_FILES")
    odd_priority = await upload_pdfs(service, product["id"], [("a.pdf", blank_pdf())], priority="x")
    assert_problem(odd_priority, 400, "INVALID_REQUEST")
    assert await rows(service) == (0, 0)


async def test_uploading_needs_the_operator_role_and_json_is_not_an_upload(
    reading_service: Service,
) -> None:
    service = reading_service
    product = await service.create_product()
    path = f"/api/product/{product['id']}/datasheets"
    viewer = {"Authorization": f"Bearer {await service.key('viewer')}"}
    files = [("files", ("a.pdf", blank_pdf(), "application/pdf"))]
    assert_problem(await service.client.post(path, files=files, headers=viewer), 403, "FORBIDDEN")
    assert_problem(await service.client.post(path, json={}), 415, "UNSUPPORTED_MEDIA_TYPE")


async def test_unknown_datasheet_or_product_ids_are_not_found(
    reading_service: Service, subtests: pytest.Subtests
) -> None:
    for path in ["/api/datasheets/{id}", "/api/product/{id}/datasheets"]:
        with subtests.test(path):
            response = await reading_service.client.get(path.format(id="0000-missing"))
            assert_problem(response, 404, "NOT_FOUND")
