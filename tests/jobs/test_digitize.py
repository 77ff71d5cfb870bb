"""The digitize job kind: compute on a generated graph, progress, and what store writes; its
completion stores the result row and the image's status once, through the queue's plain-row
path on both databases (one statement on PostgreSQL), and nothing for a run that lost its
lease."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import anyio
import msgspec
import pytest
from sqlalchemy import func, select

from graphq.config import Settings
from graphq.db.database import Database
from graphq.db.migrate import upgrade
from graphq.db.models import ExtractionQueue, ExtractionResult, GraphImage, Job, Product
from graphq.errors import GraphqError
from graphq.jobs.digitize import DigitizedImage, DigitizeHandler
from graphq.queue import store
from graphq.queue.completions import Completer, Completion
from graphq.queue.registry import HandlerRegistry, JobContext, JobSnapshot
from graphq.queue.state import RunningJob
from tests.api.helpers import upload
from tests.api.test_events import stream_while
from tests.conftest import ONE_WORKER, Service, make_settings, start_service
from tests.datagen import generate_graph
from tests.jobs.helpers import CLEAN_STYLE, Recorder, first_attempt

OWNER = "host:1:abcd"
OTHER = "host:2:ef01"


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
        async with db.read() as session:
            taken = await session.get(GraphImage, snapshot.image_id)
            assert taken is not None and taken.status == "processing"
        digitized = handler.compute(payload, Recorder())
        output = digitized.output
        async with db.write() as session:
            await handler.store(ctx, session, digitized)
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


@pytest.mark.parametrize("owner", ["host:1:abcd", None], ids=["run failed", "lease expired"])
async def test_the_transaction_that_dead_letters_the_job_marks_its_image_failed(
    settings: Settings, graph, owner: str | None
) -> None:
    db, snapshot = await seed_image(settings, graph)
    registry = HandlerRegistry()
    registry.register(DigitizeHandler())
    try:
        async with db.write() as session:
            job = await session.get(Job, snapshot.id)
            assert job is not None
            job.status, job.lease_owner = "processing", owner
            job.lease_expires_at = store.utcnow() - timedelta(seconds=1)
        moved = await store.dead_letter(db, registry, snapshot.id, owner, "TIMEOUT", "too slow")
        async with db.read() as session:
            image = await session.get(GraphImage, snapshot.image_id)
        assert moved and image is not None and image.status == "failed"
    finally:
        await db.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def either_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings on SQLite and on a real PostgreSQL, whatever ``--backend`` says: the queue
    stores a kind's plain rows one way on each."""
    storage = {}
    if request.param == "postgresql":
        storage["database_url"] = request.getfixturevalue("postgres_database")
    yield make_settings(tmp_path / request.param, storage=storage)


async def _digitized(settings: Settings, graph) -> tuple[Database, JobContext, DigitizedImage]:
    """A digitize job claimed by ``OWNER``, prepared and computed: ready to complete."""
    db, snapshot = await seed_image(settings, graph)
    _, claimed = await store.claim(db, [snapshot.id], OWNER, 30.0)
    ctx = JobContext(job=claimed[snapshot.id], db=db, settings=settings)
    handler = DigitizeHandler()
    payload = await handler.prepare(ctx)
    return db, ctx, handler.compute(payload, Recorder())


def _completion(ctx: JobContext, digitized: DigitizedImage) -> Completion:
    run = RunningJob(ctx.job.id, ctx.job.queue_id, ctx.job.priority, 0, started_at=store.utcnow())
    return Completion(ctx, DigitizeHandler(), digitized, run)


async def _stored(db: Database, ctx: JobContext) -> tuple[str, str, bool, int]:
    """The job's status, its image's status, its needs-review mark, its result rows."""
    async with db.read() as session:
        job = await session.get(Job, ctx.job.id)
        image = await session.get(GraphImage, ctx.job.image_id)
        results = await session.scalar(
            select(func.count()).where(ExtractionResult.job_id == ctx.job.id)
        )
    assert job is not None and image is not None
    return job.status, image.status, job.needs_review, int(results or 0)


async def test_a_completed_digitize_stores_its_result_and_image_status_once(
    either_database: Settings, graph
) -> None:
    db, ctx, digitized = await _digitized(either_database, graph)
    try:
        completer = Completer(db, OWNER, 30.0)
        completion = _completion(ctx, digitized)
        assert await completer.complete(completion) is True
        review = bool(digitized.output.result.get("needsReview"))
        assert completion.needs_review is review
        assert await _stored(db, ctx) == ("completed", "completed", review, 1)
        async with db.read() as session:
            result = (await session.execute(select(ExtractionResult))).scalar_one()
        assert result.result_metadata["graphType"] == "output"
        assert result.csv_data == digitized.output.csv
        assert (either_database.data_dir / str(result.csv_file_path)).read_text() == result.csv_data
        # The same run completing again (a commit answered too late, say) stores nothing more.
        assert await completer.complete(_completion(ctx, digitized)) is False
        assert await _stored(db, ctx) == ("completed", "completed", review, 1)
    finally:
        await db.dispose()


async def test_a_digitize_whose_lease_passed_to_another_run_stores_nothing(
    either_database: Settings, graph
) -> None:
    db, ctx, digitized = await _digitized(either_database, graph)
    try:
        # The lease ran out and another node claimed the job again (its attempt 2).
        await db.transact(
            lambda conn: conn.execute(
                Job.__table__.update()
                .where(Job.id == ctx.job.id)
                .values(status="pending", lease_owner=None)
            )
        )
        _, again = await store.claim(db, [ctx.job.id], OTHER, 30.0)
        assert await Completer(db, OWNER, 30.0).complete(_completion(ctx, digitized)) is False
        assert await _stored(db, ctx) == ("processing", "processing", False, 0)
        # Its files are named by its attempt: the other run's files are not overwritten.
        theirs = either_database.data_dir / "results" / ctx.job.product_id
        assert not list(theirs.glob(f"{again[ctx.job.id].id}.2.*"))
    finally:
        await db.dispose()


@pytest.fixture
async def digitizing_service(tmp_path: Path) -> AsyncIterator[Service]:
    """The app with the real ``digitize`` kind, on the ``--backend`` database: on
    PostgreSQL its events go through the outbox."""
    settings = make_settings(tmp_path / "data", queue=ONE_WORKER)
    async for running in start_service(settings, ["graphq.jobs.digitize"]):
        yield running


async def test_a_digitize_job_announces_its_completion_once(digitizing_service: Service) -> None:
    service = digitizing_service
    product = await service.create_product("DIG-EVENTS")
    queue = (await service.client.post("/api/queue/create", json={"name": "held"})).json()
    await service.client.post(f"/api/queue/{queue['id']}/pause")
    graph = generate_graph(7, graph_type="output", style_overrides=CLEAN_STYLE)
    meta = msgspec.to_builtins(graph.meta)
    response = await upload(
        service,
        product["id"],
        [("g.png", graph.data)],
        [meta],
        autoExtract="true",
        queueId=queue["id"],
    )
    assert response.status_code == 201, response.text
    (job,) = response.json()["jobs"]

    async def resume() -> None:
        await service.client.post(f"/api/queue/{queue['id']}/resume")

    path = f"/api/events/job/{job['id']}"
    events = await stream_while(service, path, "job:completed", resume, timeout_s=60)
    done = await service.wait_for_job(job["id"], {"completed", "dead"}, timeout_s=60)
    assert done["status"] == "completed", done
    named = [(e.name, json.loads(e.data).get("status")) for e in events]
    assert named.count(("job:completed", "completed")) == 1
    assert named.count(("job:status_changed", "processing")) == 1
    completed = json.loads(next(e.data for e in events if e.name == "job:completed"))
    assert completed["needsReview"] is done["needsReview"]
    image = (await service.client.get(f"/api/images/{job['imageId']}")).json()
    assert image["status"] == "completed"
    results = (await service.client.get(f"/api/product/{product['id']}/results")).json()
    assert [r["jobId"] for r in results] == [job["id"]]
