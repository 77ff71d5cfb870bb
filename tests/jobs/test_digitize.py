"""The digitize job kind: compute on a generated graph, progress, and what store writes."""

from __future__ import annotations

import io
import math
from typing import Any

import anyio
import msgspec
import pytest
from PIL import Image

from graphq.config import Settings
from graphq.db.database import Database
from graphq.db.migrate import upgrade
from graphq.db.models import ExtractionQueue, ExtractionResult, GraphImage, Job, Product
from graphq.digitizer import DigitizeResult
from graphq.digitizer.types import Axis
from graphq.errors import GraphqError
from graphq.jobs.digitize import DigitizeHandler, checked_meta, digitize_bytes, digitize_file
from graphq.queue.registry import JobContext, JobSnapshot
from tests.datagen import generate_graph, score_result
from tests.digitizer.test_autocal import unlabelled_graph
from tests.jobs.helpers import first_attempt

_CLEAN = {"label_mode": "none", "boxes": [], "width_px": 800, "color_mode": "black"}
_LIMITS = {"max_bytes": 20 * 2**20, "max_pixels": 40_000_000}


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[float, str]] = []

    def __call__(self, fraction: float, step: str) -> None:
        self.calls.append((fraction, step))


@pytest.fixture(scope="module")
def graph():
    return generate_graph(7, graph_type="output", style_overrides=_CLEAN)


def test_compute_digitizes_a_generated_graph(graph) -> None:
    output = digitize_bytes(graph.data, graph.meta, Recorder(), **_LIMITS)
    score = score_result(msgspec.convert(output.result, DigitizeResult), graph)
    assert score.recovered_count >= score.truth_count - 1
    assert output.csv.startswith("VDS [V],ID [A],curve\n")
    assert output.overlay_png.startswith(b"\x89PNG")
    assert 0.0 < output.confidence <= 1.0
    assert output.data_points == sum(len(c["points"]) for c in output.result["curves"])


def test_progress_rises_through_every_stage_to_one(graph) -> None:
    recorder = Recorder()
    digitize_bytes(graph.data, graph.meta, recorder, **_LIMITS)
    fractions = [fraction for fraction, _ in recorder.calls]
    steps = [step for _, step in recorder.calls]
    assert fractions == sorted(fractions)
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert all(0.0 <= f <= 1.0 for f in fractions)
    assert "decoding image" in steps and "rendering overlay and CSV" in steps
    tracing = [f for f, step in recorder.calls if step.startswith("tracing curve")]
    # Each curve's step is stageStart + done/total × stageSpan, inside the digitizer's share.
    assert len(tracing) >= 2
    assert all(0.05 < f < 0.9 for f in tracing)


def test_bad_bytes_fail_with_invalid_image(graph) -> None:
    with pytest.raises(GraphqError) as caught:
        digitize_bytes(graph.data[: len(graph.data) // 3], graph.meta, Recorder(), **_LIMITS)
    assert caught.value.code == "INVALID_IMAGE"


async def seed_image(settings: Settings, graph) -> tuple[Database, JobSnapshot]:
    """A migrated database holding one stored graph image and a digitize job for it."""
    await anyio.to_thread.run_sync(upgrade, settings)
    db = Database(settings.database_url)
    image_dir = settings.data_dir / "images"
    image_dir.mkdir(parents=True, exist_ok=True)
    (image_dir / "graph.png").write_bytes(graph.data)
    async with db.write() as session:
        product = Product(name="Test", part_number="TST-DIG")
        queue = ExtractionQueue(name="digitize-test")
        session.add_all([product, queue])
        await session.flush()
        image = GraphImage(
            product_id=product.id,
            filename="graph.png",
            file_path="images/graph.png",
            file_size=len(graph.data),
            mime_type="image/png",
            width=graph.image.shape[1],
            height=graph.image.shape[0],
            sha256="0" * 64,
            graph_type="output",
            graph_meta=msgspec.to_builtins(graph.meta),
        )
        session.add(image)
        await session.flush()
        job = Job(product_id=product.id, image_id=image.id, queue_id=queue.id)
        session.add(job)
        await session.flush()
        return db, first_attempt(job)


async def test_prepare_compute_store_writes_result_row_csv_and_overlay(
    settings: Settings, graph
) -> None:
    db, snapshot = await seed_image(settings, graph)
    try:
        ctx = JobContext(job=snapshot, db=db, settings=settings)
        handler = DigitizeHandler()
        payload = await handler.prepare(ctx)
        output = digitize_file(payload, Recorder())
        async with db.write() as session:
            await handler.store(ctx, session, output)
        async with db.read() as session:
            stored = (
                await session.execute(
                    ExtractionResult.__table__.select().where(
                        ExtractionResult.job_id == snapshot.id
                    )
                )
            ).one()
            image_row = await session.get(GraphImage, snapshot.image_id)
        assert image_row is not None and image_row.status == "completed"
        assert stored.csv_data == output.csv
        assert stored.data_points == output.data_points
        assert (settings.data_dir / stored.csv_file_path).read_text() == output.csv
        overlay = (settings.data_dir / stored.overlay_file_path).read_bytes()
        assert overlay.startswith(b"\x89PNG")
        assert stored.metadata["graphType"] == "output"
        assert stored.metadata["axes"] == msgspec.to_builtins(graph.meta.axes)
        assert len(stored.metadata["curves"]) >= 1
    finally:
        await db.dispose()


async def test_an_image_whose_file_is_gone_fails_for_good_not_as_an_internal_error(
    settings: Settings, graph
) -> None:
    db, snapshot = await seed_image(settings, graph)
    try:
        await anyio.to_thread.run_sync((settings.data_dir / "images" / "graph.png").unlink)
        with pytest.raises(GraphqError) as error:
            await DigitizeHandler().prepare(JobContext(job=snapshot, db=db, settings=settings))
        assert error.value.code == "NOT_FOUND"
        assert not error.value.retryable
    finally:
        await db.dispose()


def _span_error(read: dict[str, Any], truth: Axis) -> float:
    """The larger of the two edges' errors, as a fraction of the span (of decades, on log)."""
    shown = math.log10 if truth.scale == "log" else (lambda value: value)
    span = shown(truth.max) - shown(truth.min)
    return max(
        abs(shown(read["min"]) - shown(truth.min)) / span,
        abs(shown(read["max"]) - shown(truth.max)) / span,
    )


def test_graph_without_axes_is_digitized_against_the_axes_on_its_tick_labels() -> None:
    """Seed 2 is a linear transfer graph whose tick labels OCR reads cleanly."""
    graph = generate_graph(2)
    output = digitize_bytes(graph.data, {"graphType": "transfer"}, Recorder(), **_LIMITS)
    assert output.result["axesSource"] == "ocr"
    for name in ("x", "y"):
        assert _span_error(output.result["axes"][name], getattr(graph.axes, name)) <= 0.01
    score = score_result(msgspec.convert(output.result, DigitizeResult), graph)
    assert score.recovered_count >= score.truth_count - 1


def test_given_axes_are_used_as_given(graph) -> None:
    output = digitize_bytes(graph.data, graph.meta, Recorder(), **_LIMITS)
    assert output.result["axesSource"] == "given"
    assert output.result["axes"] == msgspec.to_builtins(graph.meta.axes)


def test_graph_whose_axes_cannot_be_read_fails_for_good_with_the_reasons() -> None:
    png = io.BytesIO()
    Image.fromarray(unlabelled_graph()).save(png, format="PNG")
    with pytest.raises(GraphqError) as caught:
        digitize_bytes(png.getvalue(), {}, Recorder(), **_LIMITS)
    assert caught.value.code == "AXIS_UNREAD"
    assert not caught.value.retryable
    assert {r["code"] for r in caught.value.detail["reasons"]} == {"axis_unread"}


def test_metadata_without_axes_passes_prepare_unchecked_but_for_its_method() -> None:
    assert checked_meta({"graphType": "output"}, "legacy") == {
        "graphType": "output",
        "method": "legacy",
    }
    with pytest.raises(GraphqError) as caught:
        checked_meta({"axes": {"x": {"min": 0}}})
    assert caught.value.code == "INVALID_PARAMETERS"
