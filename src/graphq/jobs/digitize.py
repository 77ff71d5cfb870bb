"""The ``digitize`` job kind: one graph image to curves, CSV and overlay.

The compute half runs in a worker process and touches no database: it gets the file path
and the graph metadata, and returns plain values that the store half writes.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec
import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from graphq.db.models import ExtractionResult, GraphImage
from graphq.digitizer import (
    ChatCompletion,
    GraphMeta,
    digitize,
    load_image,
    render_overlay,
    result_to_csv,
)
from graphq.digitizer.autocal import calibrate_image
from graphq.digitizer.types import Axes, Calibration, GraphType
from graphq.errors import GraphqError
from graphq.llm_client import llm_endpoint
from graphq.queue.registry import HandlerRegistry, JobContext, Progress, stage_progress
from graphq.review import Review
from graphq.storage import Storage


class DigitizeOutput(msgspec.Struct):
    result: dict[str, Any]
    csv: str
    overlay_png: bytes
    confidence: float
    data_points: int
    processing_time_s: float


def decode_meta(raw: dict[str, Any], method: str | None = None) -> GraphMeta:
    """Graph metadata from JSON-shaped values; bad metadata is the client's error."""
    if method is not None:
        raw = {**raw, "method": method}
    try:
        return msgspec.convert(raw, GraphMeta)
    except msgspec.ValidationError as exc:
        raise GraphqError("INVALID_PARAMETERS", f"graph metadata: {exc}", status=422) from None


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

    def __post_init__(self) -> None:
        if self.axes is not None:
            for name, axis in (("x", self.axes.x), ("y", self.axes.y)):
                if not axis.min < axis.max:
                    raise ValueError(f"the {name} axis must run from min up to max")
                if axis.scale == "log" and axis.min <= 0:
                    raise ValueError(f"the log {name} axis needs a positive min")


def checked_meta(raw: dict[str, Any], method: str | None = None) -> dict[str, Any]:
    """Graph metadata checked as far as it goes, as JSON-shaped values: whole when it gives
    axes, else with ``method`` set (the axes are read off the image later)."""
    if "axes" in raw:
        return msgspec.to_builtins(decode_meta(raw, method))
    return {**raw, "method": method} if method is not None else dict(raw)


# Shares of the compute stage: decoding, reading the axes off the image when none were
# given, the digitizer itself, then overlay and CSV.
_DECODE_END, _CALIBRATE_END, _DIGITIZE_END = 0.05, 0.15, 0.9


def calibrated_meta(
    pixels: np.ndarray, raw: dict[str, Any], method: str | None = None
) -> tuple[GraphMeta, Review]:
    """The graph metadata to digitize with, and the doubts about it: as given when it has
    axes; otherwise with the axes read off the image's own tick labels (SPEC §4, issue
    "images without axes"). Axes that cannot be read fail the job: digitizing against
    guessed axes would give curves in made-up units.
    """
    if "axes" in raw:
        return decode_meta(raw, method), Review()
    axes, review = calibrate_image(pixels)
    if axes is None:
        why = "; ".join(note.message for note in review.reasons) or "no tick labels read"
        raise GraphqError(
            "AXIS_UNREAD",
            f"no axes were given and none could be read off the image: {why}",
            status=422,
            detail={"reasons": msgspec.to_builtins(review.reasons)},
        )
    return decode_meta({**raw, "axes": msgspec.to_builtins(axes)}, method), review


def digitize_bytes(
    data: bytes,
    meta: GraphMeta | dict[str, Any],
    progress: Progress,
    *,
    method: str | None = None,
    max_bytes: int,
    max_pixels: int,
    with_overlay: bool = True,
    llm: ChatCompletion | None = None,
) -> DigitizeOutput:
    """Decode, digitize and render one image, reporting progress through every stage.

    ``meta`` is the graph metadata, decoded or as JSON-shaped values; without ``axes`` they
    are read off the image. The result holds ``axes`` (the axes used) and ``axesSource``
    (``"given"`` or ``"ocr"``); a calibration's doubts are among its ``reasons``.
    """
    raw_meta = msgspec.to_builtins(meta) if isinstance(meta, GraphMeta) else meta
    began = time.perf_counter()
    progress(0.0, "decoding image")
    image = load_image(data, max_bytes=max_bytes, max_pixels=max_pixels)
    if "axes" not in raw_meta:
        progress(_DECODE_END, "reading the axes off the image")
    used, calibration = calibrated_meta(image.pixels, raw_meta, method)
    digitizing = stage_progress(progress, _CALIBRATE_END, _DIGITIZE_END - _CALIBRATE_END)
    result = digitize(image.pixels, used, progress=digitizing, llm=llm)
    result.review.extend(calibration)
    progress(_DIGITIZE_END, "rendering overlay and CSV")
    overlay = render_overlay(image.pixels, result, used) if with_overlay else b""
    points = sum(len(curve.points) for curve in result.curves)
    confidences = [curve.confidence for curve in result.curves]
    output = DigitizeOutput(
        result={
            **result.to_json(),
            "axes": msgspec.to_builtins(used.axes),
            "axesSource": "given" if "axes" in raw_meta else "ocr",
        },
        csv=result_to_csv(result, used),
        overlay_png=overlay,
        confidence=sum(confidences) / len(confidences) if confidences else 0.0,
        data_points=points,
        processing_time_s=time.perf_counter() - began,
    )
    progress(1.0, "digitized")
    return output


def digitize_file(payload: dict[str, Any], progress: Progress) -> DigitizeOutput:
    data = Path(payload["path"]).read_bytes()
    return digitize_bytes(
        data,
        payload["meta"],
        progress,
        max_bytes=payload["max_bytes"],
        max_pixels=payload["max_pixels"],
        llm=payload["llm"],
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
            path = ctx.settings.data_dir / image.file_path
        if not path.is_file():
            # Gone from the disk (deleted by hand, a lost volume): trying again cannot help.
            raise GraphqError("NOT_FOUND", f"the file of image {ctx.job.image_id} is missing")
        # Without axes, the metadata is decoded once they are read off the image (compute).
        meta = checked_meta(raw, ctx.job.extraction_method)
        uploads = ctx.settings.uploads
        return {
            "path": str(path),
            "meta": meta,
            "max_bytes": uploads.max_file_mb * 2**20,
            "max_pixels": uploads.max_pixels,
            "llm": llm_endpoint(ctx.settings),
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
