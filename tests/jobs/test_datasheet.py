"""The datasheet job kind on a generated datasheet: compute, progress, and what store writes."""

from __future__ import annotations

import hashlib
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import anyio
import msgspec
import pytest
from PIL import Image
from sqlalchemy import select

from graphq.config import Settings
from graphq.datasheet import read_datasheet
from graphq.datasheet.render import PanelRendering, graph_json
from graphq.db.database import Database
from graphq.db.migrate import upgrade
from graphq.db.models import (
    Datasheet,
    ExtractionQueue,
    ExtractionResult,
    GraphImage,
    Job,
    Product,
)
from graphq.errors import GraphqError
from graphq.jobs.datasheet import DatasheetHandler, DatasheetOutput, read_datasheet_file
from graphq.jobs.spice_fit import latest_graphs
from graphq.queue import store
from graphq.queue.registry import HandlerRegistry, JobContext
from tests.datagen.datasheet_pdf import (
    DatasheetSpec,
    GeneratedDatasheet,
    PageSpec,
    make_datasheet,
)
from tests.datagen.pdf_panels import PanelSpec
from tests.jobs.helpers import first_attempt

_SPEC = DatasheetSpec(
    5,
    (
        PageSpec(kind="spec"),
        PageSpec(
            panels=(
                PanelSpec("output", style={"label_mode": "inline"}),
                PanelSpec("transfer", log_y=True, style={"label_mode": "inline"}),
            )
        ),
    ),
)


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[float, str]] = []

    def __call__(self, fraction: float, step: str) -> None:
        self.calls.append((fraction, step))


@pytest.fixture(scope="module")
def made() -> GeneratedDatasheet:
    return make_datasheet(_SPEC)


@pytest.fixture(scope="module")
def pdf(made: GeneratedDatasheet, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("datasheet") / "part.pdf"
    path.write_bytes(made.pdf)
    return path


def payload(path: Path, dpi: float = 150.0) -> dict[str, object]:
    return {"path": str(path), "datasheet_id": "ds-1", "panel_dpi": dpi}


@pytest.fixture(scope="module")
def output(pdf: Path) -> DatasheetOutput:
    return read_datasheet_file(payload(pdf), Recorder())


def test_compute_passes_the_reading_through_and_renders_every_graph(
    pdf: Path, output: DatasheetOutput
) -> None:
    assert output.result == read_datasheet(pdf.read_bytes())
    assert output.result.graphs and len(output.files) == len(output.result.graphs)
    margin = PanelRendering().margin_pt
    for graph, files in zip(output.result.graphs, output.files, strict=True):
        x0, _, x1, _ = graph.box
        assert files.width == pytest.approx((x1 - x0 + 2 * margin) * 150 / 72, abs=1.5)
        assert Image.open(io.BytesIO(files.png)).size == (files.width, files.height)
        assert files.overlay_png.startswith(b"\x89PNG")
        assert files.csv.splitlines()[0].endswith(",curve")
        px0, _, px1, _ = files.plot_area
        assert px1 - px0 == pytest.approx((x1 - x0) * 150 / 72)


def test_progress_rises_page_by_page_then_through_the_rendering(pdf: Path) -> None:
    recorder = Recorder()
    result = read_datasheet_file(payload(pdf), recorder).result
    fractions = [fraction for fraction, _ in recorder.calls]
    steps = [step for _, step in recorder.calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    for page in range(1, result.pages + 1):
        assert any(f"page {page} of {result.pages}" in step for step in steps), steps
    rendering = [f for f, step in recorder.calls if step.startswith("rendering graph")]
    assert len(rendering) == len(result.graphs)
    assert all(0.85 <= f < 1.0 for f in rendering)


def test_a_pdf_without_graphs_fails_with_no_graphs_found(tmp_path: Path) -> None:
    path = tmp_path / "blank.pdf"
    Image.new("RGB", (200, 280), "white").save(path, "PDF")
    with pytest.raises(GraphqError) as caught:
        read_datasheet_file(payload(path), Recorder())
    assert caught.value.code == "NO_GRAPHS_FOUND"
    assert not caught.value.retryable


@pytest.mark.parametrize("parameters", [{"panelDpi": 100}, {"dpi": 200}])
def test_parameters_refuse_a_panel_below_150_dpi_and_unknown_fields(parameters: dict) -> None:
    registry = HandlerRegistry()
    registry.register(DatasheetHandler())
    with pytest.raises(GraphqError) as caught:
        registry.check_parameters("datasheet", parameters)
    assert caught.value.code == "INVALID_PARAMETERS"


@dataclass
class Stored:
    settings: Settings
    db: Database
    ctx: JobContext
    datasheet_id: str


@pytest.fixture
async def queued(settings: Settings, made: GeneratedDatasheet) -> AsyncIterator[Stored]:
    """A product with the uploaded datasheet and its queued job, as the upload leaves them."""
    await anyio.to_thread.run_sync(upgrade, settings)
    db = Database(settings.database_url)
    stored = settings.data_dir / "datasheets" / "part.pdf"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(made.pdf)
    try:
        async with db.write() as session:
            product = Product(name="Test", part_number="TST-DS")
            queue = ExtractionQueue(name="datasheet-test")
            session.add_all([product, queue])
            await session.flush()
            datasheet = Datasheet(
                product_id=product.id,
                filename="GQ55N20 datasheet.pdf",
                file_path="datasheets/part.pdf",
                file_size=stored.stat().st_size,
                sha256="0" * 64,
                pages=2,
            )
            session.add(datasheet)
            await session.flush()
            job = Job(
                product_id=product.id,
                datasheet_id=datasheet.id,
                queue_id=queue.id,
                kind="datasheet",
            )
            session.add(job)
            await session.flush()
            ctx = JobContext(job=first_attempt(job), db=db, settings=settings)
        yield Stored(settings, db, ctx, datasheet.id)
    finally:
        await db.dispose()


async def run_job(queued: Stored) -> tuple[DatasheetOutput, bool]:
    handler = DatasheetHandler()
    prepared = await handler.prepare(queued.ctx)
    async with queued.db.read() as session:
        datasheet = await session.get(Datasheet, queued.datasheet_id)
        assert datasheet is not None and datasheet.status == "processing"
    output = read_datasheet_file(prepared, Recorder())
    async with queued.db.write() as session:
        needs_review = await handler.store(queued.ctx, session, output)
    return output, needs_review


async def test_store_writes_an_image_and_a_result_per_graph_with_page_and_box(
    queued: Stored,
) -> None:
    output, needs_review = await run_job(queued)
    graphs = output.result.graphs
    async with queued.db.read() as session:
        images = list(
            (await session.execute(select(GraphImage).order_by(GraphImage.filename))).scalars()
        )
        results = {
            r.image_id: r for r in (await session.execute(select(ExtractionResult))).scalars()
        }
        datasheet = await session.get(Datasheet, queued.datasheet_id)
    assert datasheet is not None and (datasheet.status, datasheet.pages) == ("completed", 2)
    assert len(images) == len(results) == len(graphs)
    for index, (graph, image) in enumerate(zip(graphs, images, strict=True), start=1):
        assert image.filename == f"GQ55N20 datasheet p{graph.page} graph {index}.png"
        assert (image.page, image.box, image.datasheet_id) == (
            graph.page,
            graph.box,
            queued.datasheet_id,
        )
        assert (image.mime_type, image.status, image.graph_type) == (
            "image/png",
            "completed",
            graph.graph_type,
        )
        png = (queued.settings.data_dir / image.file_path).read_bytes()
        assert hashlib.sha256(png).hexdigest() == image.sha256
        assert Image.open(io.BytesIO(png)).size == (image.width, image.height)
        assert image.graph_meta["plotArea"] == output.files[index - 1].plot_area
        assert image.graph_meta["axes"] == msgspec.to_builtins(graph.axes)

        result = results[image.id]
        shown = graph_json(graph)
        assert (result.needs_review, result.review_reasons) == (
            shown["needsReview"],
            shown["reasons"],
        )
        metadata = result.result_metadata
        assert metadata["curves"] == shown["curves"]
        assert (metadata["source"], metadata["caption"], metadata["conditions"]) == (
            graph.source,
            graph.caption,
            graph.conditions,
        )
        csv_file = queued.settings.data_dir / (result.csv_file_path or "")
        assert csv_file.read_text() == result.csv_data
        assert (queued.settings.data_dir / (result.overlay_file_path or "")).is_file()
    assert needs_review == any(graph_json(g)["needsReview"] for g in graphs)


async def test_a_store_run_again_after_a_failed_commit_rewrites_its_own_files(
    queued: Stored,
) -> None:
    handler = DatasheetHandler()
    output = read_datasheet_file(await handler.prepare(queued.ctx), Recorder())

    class CommitFailedError(Exception):
        pass

    with pytest.raises(CommitFailedError):
        async with queued.db.write() as session:
            await handler.store(queued.ctx, session, output)
            raise CommitFailedError
    async with queued.db.write() as session:
        await handler.store(queued.ctx, session, output)
    written = sorted(p for p in (queued.settings.data_dir / "images").rglob("*") if p.is_file())
    async with queued.db.read() as session:
        images = list((await session.execute(select(GraphImage))).scalars())
    assert written == sorted(queued.settings.data_dir / i.file_path for i in images)


async def test_spice_fit_takes_the_graphs_a_datasheet_job_stored_with_their_conditions(
    queued: Stored,
) -> None:
    output, _ = await run_job(queued)
    async with queued.db.read() as session:
        graphs = await latest_graphs(session, queued.ctx.job.product_id)
    assert sorted(g["graph_type"] for g in graphs) == sorted(
        g.graph_type for g in output.result.graphs
    )
    for found in graphs:
        read = next(g for g in output.result.graphs if g.graph_type == found["graph_type"])
        assert found["conditions"] == read.conditions
        assert [c["conditions"] for c in found["curves"]] == [c.conditions for c in read.curves]


@pytest.mark.parametrize("owner", ["host:1:abcd", None], ids=["run failed", "lease expired"])
async def test_the_transaction_that_dead_letters_the_job_marks_its_datasheet_failed(
    queued: Stored, owner: str | None
) -> None:
    registry = HandlerRegistry()
    registry.register(DatasheetHandler())
    lapsed = store.utcnow() - timedelta(seconds=1)
    async with queued.db.write() as session:
        job = await session.get(Job, queued.ctx.job.id)
        assert job is not None
        job.status, job.lease_owner, job.lease_expires_at = "processing", owner, lapsed
    moved = await store.dead_letter(
        queued.db, registry, queued.ctx.job.id, owner, "NO_GRAPHS_FOUND", "none"
    )
    async with queued.db.read() as session:
        datasheet = await session.get(Datasheet, queued.datasheet_id)
    assert moved and datasheet is not None and datasheet.status == "failed"
