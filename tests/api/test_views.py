"""ORM rows to API shapes: fields by name, the few the API names or shapes differently by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from graphq.api import views
from graphq.db.models import ExtractionResult, GraphImage, Job
from graphq.queue.vocabulary import JobStatus, Priority

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


def _image() -> GraphImage:
    return GraphImage(
        id="img-1",
        product_id="prod-1",
        filename="id_vds.png",
        file_path="images/img-1.png",
        upload_date=NOW,
        description="output characteristics",
        status="completed",
        file_size=1234,
        mime_type="image/png",
        width=640,
        height=480,
        sha256="0" * 64,
        graph_type="output",
        graph_meta={"graphType": "output", "curves": 3},
        created_at=NOW,
        updated_at=NOW,
    )


def _job(**fields: object) -> Job:
    row = {
        "id": "job-1",
        "product_id": "prod-1",
        "image_id": "img-1",
        "queue_id": "queue-1",
        "kind": "digitize",
        "status": "dead",
        "priority": "urgent",
        "progress": 40.0,
        "current_step": "tracing curve 1",
        "attempts": 3,
        "max_attempts": 3,
        "error_code": "AXIS_UNREAD",
        "error_message": "no tick labels read",
        "extraction_method": "standard",
        "parameters": None,
        "needs_review": False,
        "created_at": NOW,
        "updated_at": NOW,
    }
    return Job(**{**row, **fields})


def test_an_image_row_keeps_its_metadata_and_size_under_the_api_names() -> None:
    out = views.image(_image())
    assert out.metadata == {"graphType": "output", "curves": 3}
    assert (out.dimensions.width, out.dimensions.height) == (640, 480)
    encoded = msgspec.json.decode(msgspec.json.encode(out))
    assert encoded["graphType"] == "output" and encoded["mimeType"] == "image/png"
    assert encoded["datasheetId"] is None and "graphMeta" not in encoded


def test_a_job_row_reads_its_status_and_priority_as_the_queue_words() -> None:
    out = views.job(_job())
    assert out.status is JobStatus.DEAD and out.priority is Priority.URGENT
    assert out.error is not None and out.error.code == "AXIS_UNREAD"
    assert out.parameters == {}
    encoded = msgspec.json.decode(msgspec.json.encode(out))
    assert (encoded["status"], encoded["priority"]) == ("dead", "urgent")


def test_a_job_without_an_error_code_has_no_error() -> None:
    assert views.job(_job(status="queued", error_code=None, error_message=None)).error is None


def test_a_result_row_lists_its_review_reasons_and_metadata() -> None:
    row = ExtractionResult(
        id="res-1",
        job_id="job-1",
        product_id="prod-1",
        image_id="img-1",
        csv_data="x,y\n",
        result_metadata={"axesSource": "ocr"},
        confidence=0.8,
        data_points=120,
        processing_time=1.5,
        extraction_method="standard",
        parameters={},
        needs_review=True,
        review_reasons=[{"code": "axis_guessed", "message": "the x axis was read by OCR"}],
        created_at=NOW,
    )
    out = views.result(row)
    assert out.metadata == {"axesSource": "ocr"}
    assert [(r.code, r.message) for r in out.reasons] == [
        ("axis_guessed", "the x axis was read by OCR")
    ]
