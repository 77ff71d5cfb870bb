"""The digitize job kind: compute on a generated graph, progress, and what store writes."""

from __future__ import annotations

import anyio
import msgspec
import pytest

from graphq.config import Settings
from graphq.db.database import Database
from graphq.db.migrate import upgrade
from graphq.db.models import ExtractionQueue, ExtractionResult, GraphImage, Job, Product
from graphq.errors import GraphqError
from graphq.jobs.digitize import DigitizeHandler, digitize_file
from graphq.queue.registry import JobContext, JobSnapshot
from tests.datagen import generate_graph
from tests.jobs.helpers import CLEAN_STYLE, Recorder, first_attempt


@pytest.fixture(scope="module")
def graph():
    return generate_graph(7, graph_type="output", style_overrides=CLEAN_STYLE)


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
