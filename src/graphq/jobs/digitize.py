"""The ``digitize`` job kind: one graph image to curves, CSV and overlay.

The compute half runs in a worker process and touches no database: it gets the file path
and the graph metadata, and returns plain values that the store half writes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from graphq.db.models import ExtractionResult, GraphImage
from graphq.digitizer.metadata import check_graph_fields, checked_graph_meta
from graphq.digitizer.types import Axes, Calibration, GraphType
from graphq.digitizing import DigitizeOutput, digitize_bytes
from graphq.errors import GraphqError
from graphq.llm_client import llm_endpoint
from graphq.queue.registry import HandlerRegistry, JobContext, Progress
from graphq.storage import Storage

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


class DigitizeHandler:
    kind = "digitize"
    runs_in: Literal["process", "loop"] = "process"
    # Parameters refine the image's stored metadata; the merged whole is decoded in prepare.
    parameters_type = DigitizeParameters
    compute = staticmethod(digitize_file)

    async def prepare(self, ctx: JobContext) -> dict[str, Any]:
        async with ctx.db.write() as session:
            image = await session.get(GraphImage, ctx.job.image_id)
            if image is None:
                raise GraphqError("NOT_FOUND", f"image {ctx.job.image_id} no longer exists")
            image.status = "processing"
            # Job parameters refine the image's stored metadata (e.g. a corrected plot area).
            raw = {**(image.graph_meta or {}), **ctx.job.parameters}
            # Curves clicked along are traced after the digitizer ran, not graph metadata.
            added = raw.pop("addedCurves", None) or []
            path = ctx.settings.data_dir / image.file_path
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
        }

    async def store(self, ctx: JobContext, session: AsyncSession, output: DigitizeOutput) -> bool:
        """Write the result; true when it needs review, which marks the job so (SPEC §4c)."""
        job = ctx.job
        needs_review = bool(output.result.get("needsReview"))
        storage = Storage(ctx.settings.data_dir)
        csv_path = storage.result_path(job.product_id, job.id, ".csv")
        overlay_path = storage.result_path(job.product_id, job.id, ".overlay.png")
        storage.write_atomic(csv_path, output.csv.encode())
        storage.write_atomic(overlay_path, output.overlay_png)
        image = await session.get(GraphImage, job.image_id)
        if image is not None:
            image.status = "completed"
        session.add(
            ExtractionResult(
                job_id=job.id,
                product_id=job.product_id,
                image_id=job.image_id,
                csv_file_path=storage.relative(csv_path),
                csv_data=output.csv,
                overlay_file_path=storage.relative(overlay_path),
                # output.result["axes"] are the axes the curves were read with: the image's,
                # a re-run's corrected ones from the job parameters, or those read by OCR.
                result_metadata={
                    **output.result,
                    "graphType": image.graph_type if image else "custom",
                },
                confidence=output.confidence,
                data_points=output.data_points,
                processing_time=output.processing_time_s,
                extraction_method=job.extraction_method,
                parameters=job.parameters,
                needs_review=needs_review,
                review_reasons=output.result.get("reasons", []),
            )
        )
        return needs_review

    async def on_dead(self, ctx: JobContext) -> None:
        async with ctx.db.write() as session:
            image = await session.get(GraphImage, ctx.job.image_id)
            if image is not None:
                image.status = "failed"


def register(registry: HandlerRegistry) -> None:
    registry.register(DigitizeHandler())
