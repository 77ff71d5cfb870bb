"""The ``digitize`` job kind: one graph image to curves, CSV and overlay.

The compute half runs in a worker process and touches no database: it gets the file path
and the graph metadata, and returns plain values that the store half writes. Both database
halves are single statements: ``prepare`` marks the image processing and reads it back in
one, and ``store_in`` hands its result row and the image's new status to the queue as plain
rows, so on PostgreSQL they commit in the job's completion statement
(:mod:`graphq.queue.row_completions`), only if the job is still this run's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal, cast

import msgspec
from sqlalchemy import Connection, Table, update
from sqlalchemy.ext.asyncio import AsyncSession

from graphq.db.models import ExtractionResult, GraphImage, utcnow
from graphq.digitizer.metadata import check_graph_fields, checked_graph_meta
from graphq.digitizer.types import Axes, Calibration, GraphType
from graphq.digitizing import DigitizeOutput, digitize_bytes
from graphq.errors import GraphqError
from graphq.llm_client import llm_endpoint
from graphq.queue import new_rows, row_updates
from graphq.queue.new_rows import JOBS
from graphq.queue.registry import HandlerRegistry, JobContext, JobSnapshot, Progress
from graphq.storage import Storage

IMAGES = cast(Table, GraphImage.__table__)
RESULTS = cast(Table, ExtractionResult.__table__)

# One click on the image, [x, y] in pixels.
# Image pixels: finite and within the decoder's largest image side.
_Pixel = Annotated[float, msgspec.Meta(ge=0.0, le=100_000.0)]
_Click = Annotated[list[_Pixel], msgspec.Meta(min_length=2, max_length=2)]


class AddedCurve(msgspec.Struct, forbid_unknown_fields=True):
    """A curve a reviewer clicked along: its label and the clicks, ``[x, y]`` image pixels;
    the digitizer traces the ink between them (``graphq.digitizer.methods.seeded``)."""

    label: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    points: Annotated[list[_Click], msgspec.Meta(min_length=2, max_length=100)]


class DigitizeParameters(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    """What a digitize job may be told: corrections to the image's stored metadata (a re-run
    with a fixed frame, axes or labels). Checked when the job is created, as an upload is."""

    axes: Axes | None = None
    graph_type: GraphType | None = None
    plot_area: list[float] | None = None
    curves: Annotated[int, msgspec.Meta(ge=1, le=64)] | None = None
    labels: list[Annotated[str, msgspec.Meta(max_length=200)]] | None = None
    colors: list[str] | None = None
    description: Annotated[str, msgspec.Meta(max_length=10_000)] | None = None
    calibration: Calibration | None = None
    added_curves: list[AddedCurve] | None = None

    def __post_init__(self) -> None:
        # The rules every route's graph metadata is held to (INVALID_METADATA).
        check_graph_fields(self.axes, self.plot_area, self.calibration)


def digitize_file(payload: dict[str, Any], progress: Progress) -> DigitizeOutput:
    data = Path(payload["path"]).read_bytes()
    return digitize_bytes(
        data,
        payload["meta"],
        progress,
        max_bytes=payload["max_bytes"],
        max_pixels=payload["max_pixels"],
        llm=payload["llm"],
        added=payload.get("added") or [],
    )


class DigitizedImage(msgspec.Struct, frozen=True):
    """What a digitize job's compute hands its store: the digitizer's output, and the graph
    type the image had when the job read it (stored with the result, so the store need not
    read the image again)."""

    output: DigitizeOutput
    graph_type: str


def digitize_job(payload: dict[str, Any], progress: Progress) -> DigitizedImage:
    return DigitizedImage(digitize_file(payload, progress), payload["graph_type"])


# Marks the image processing and reads what the job needs of it: one statement.
_TAKE_IMAGE = (
    update(IMAGES)
    .values(status="processing")
    .returning(IMAGES.c.graph_meta, IMAGES.c.file_path, IMAGES.c.graph_type)
)

# A dead job's image fails with it (run by the dead-letter transaction).
_FAIL_IMAGE = row_updates.fail_subject(IMAGES, JOBS.c.image_id)


class DigitizeHandler:
    kind = "digitize"
    runs_in: Literal["process", "loop"] = "process"
    # Parameters refine the image's stored metadata; the merged whole is decoded in prepare.
    parameters_type = DigitizeParameters
    compute = staticmethod(digitize_job)

    async def prepare(self, ctx: JobContext) -> dict[str, Any]:
        statement = _TAKE_IMAGE.where(IMAGES.c.id == ctx.job.image_id).values(updated_at=utcnow())
        row = await ctx.db.statement(lambda conn: conn.execute(statement).first())
        if row is None:
            raise GraphqError("NOT_FOUND", f"image {ctx.job.image_id} no longer exists")
        graph_meta, file_path, graph_type = row
        # Job parameters refine the image's stored metadata (e.g. a corrected plot area).
        raw = {**(graph_meta or {}), **ctx.job.parameters}
        # Curves clicked along are traced after the digitizer ran, not graph metadata.
        added = raw.pop("addedCurves", None) or []
        path = ctx.settings.data_dir / file_path
        if not path.is_file():
            # Gone from the disk (deleted by hand, a lost volume): trying again cannot help.
            raise GraphqError("NOT_FOUND", f"the file of image {ctx.job.image_id} is missing")
        # Without axes, the metadata is decoded once they are read off the image (compute).
        meta = checked_graph_meta(raw, ctx.job.extraction_method)
        uploads = ctx.settings.uploads
        return {
            "path": str(path),
            "meta": meta,
            "max_bytes": uploads.max_file_mb * 2**20,
            "max_pixels": uploads.max_pixels,
            "llm": llm_endpoint(ctx.settings),
            "added": added,
            "graph_type": graph_type,
        }

    def store_in(self, ctx: JobContext, conn: Connection, digitized: DigitizedImage) -> bool:
        """Write the result files, hand the result row and the image's status to the queue;
        true when the result needs review, which marks the job so (SPEC §4c)."""
        job, output = ctx.job, digitized.output
        needs_review = bool(output.result.get("needsReview"))
        csv_path, overlay_path = _write_files(ctx, output)
        storage = Storage(ctx.settings.data_dir)
        given = {
            "job_id": job.id,
            "product_id": job.product_id,
            "image_id": job.image_id,
            "csv_file_path": storage.relative(csv_path),
            "csv_data": output.csv,
            "overlay_file_path": storage.relative(overlay_path),
            # output.result["axes"] are the axes the curves were read with: the image's, a
            # re-run's corrected ones from the job parameters, or those read by OCR.
            "metadata": {**output.result, "graphType": digitized.graph_type},
            "confidence": output.confidence,
            "data_points": output.data_points,
            "processing_time": output.processing_time_s,
            "extraction_method": job.extraction_method,
            "parameters": job.parameters,
            "needs_review": needs_review,
            "review_reasons": output.result.get("reasons", []),
        }
        new_rows.insert_rows(conn, RESULTS, [new_rows.table_row(RESULTS, given)])
        row_updates.update_rows(conn, IMAGES, [{"id": job.image_id, "status": "completed"}])
        return needs_review

    async def store(
        self, ctx: JobContext, session: AsyncSession, digitized: DigitizedImage
    ) -> bool:
        """``store_in`` on the session's connection (the queue calls ``store_in`` itself)."""
        return await session.run_sync(lambda s: self.store_in(ctx, s.connection(), digitized))

    def on_dead_in(self, conn: Connection, job_id: str) -> None:
        conn.execute(_FAIL_IMAGE, {"job_id": job_id})


def _write_files(ctx: JobContext, output: DigitizeOutput) -> tuple[Path, Path]:
    """The CSV and overlay, named by the job and its attempt: on PostgreSQL they are written
    before the completion learns whether the job is still this run's, and a run whose lease
    passed to another must not overwrite the files of the run that completed it. A store that
    runs again for the same run (a retried commit) writes its own files again."""
    storage = Storage(ctx.settings.data_dir)
    csv_path = storage.result_path(ctx.job.product_id, _run_name(ctx.job), ".csv")
    overlay_path = storage.result_path(ctx.job.product_id, _run_name(ctx.job), ".overlay.png")
    storage.write_atomic(csv_path, output.csv.encode())
    storage.write_atomic(overlay_path, output.overlay_png)
    return csv_path, overlay_path


def _run_name(job: JobSnapshot) -> str:
    return f"{job.id}.{job.attempts}"


def register(registry: HandlerRegistry) -> None:
    registry.register(DigitizeHandler())
