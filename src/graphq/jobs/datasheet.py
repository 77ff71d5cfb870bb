"""The ``datasheet`` job kind: one uploaded PDF to an image and a result per graph found.

``prepare`` marks the datasheet as processing and hands its path on; ``compute`` (worker
process, no database) reads the PDF with :func:`graphq.datasheet.read_datasheet`, passing its
per-page progress through, then renders each graph's panel, overlay and CSV; ``store``
creates one :class:`GraphImage` and one :class:`ExtractionResult` per graph and marks the
datasheet completed. A graph the reader could not read with confidence makes its result, and
so the job, need review.

A graph's image id and file names come from the job and the graph's place in the result, so
a ``store`` retried after a failed commit writes the same files again instead of leaving
orphans beside the rows it records.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from pathlib import Path
from typing import Annotated, Any, Literal, cast

import msgspec
from sqlalchemy import Connection, Table
from sqlalchemy.ext.asyncio import AsyncSession

from graphq.datasheet import read_datasheet
from graphq.datasheet.render import (
    PanelRendering,
    graph_csv,
    graph_json,
    graph_meta,
    graph_overlay,
    render_panel,
)
from graphq.datasheet.types import DatasheetGraph, DatasheetResult
from graphq.db.models import Datasheet, ExtractionResult, GraphImage, Job
from graphq.errors import GraphqError
from graphq.queue import row_updates
from graphq.queue.new_rows import JOBS
from graphq.queue.registry import (
    HandlerRegistry,
    JobContext,
    Progress,
    decode_parameters,
    stage_progress,
)
from graphq.storage import Storage

DATASHEETS = cast(Table, Datasheet.__table__)

# A dead job's datasheet fails with it (run by the dead-letter transaction).
_FAIL_DATASHEET = row_updates.fail_subject(DATASHEETS, JOBS.c.datasheet_id)

# Share of the compute stage spent reading the PDF; the rest renders panels and overlays.
_READ_SHARE = 0.85


class DatasheetParameters(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    """What a ``datasheet`` job may be told: the resolution of the panel images it stores."""

    panel_dpi: Annotated[float, msgspec.Meta(ge=150, le=600)] = PanelRendering.dpi


class GraphFiles(msgspec.Struct):
    """What one graph leaves on disk: the panel, its overlay and its CSV."""

    png: bytes
    width: int
    height: int
    plot_area: list[float]
    overlay_png: bytes
    csv: str


class DatasheetOutput(msgspec.Struct):
    datasheet_id: str
    result: DatasheetResult
    files: list[GraphFiles]
    processing_time_s: float


def read_datasheet_file(payload: dict[str, Any], progress: Progress) -> DatasheetOutput:
    """Read the stored PDF and render every graph found; progress goes up page by page."""
    began = time.perf_counter()
    pdf = Path(payload["path"]).read_bytes()
    result = read_datasheet(pdf, progress=stage_progress(progress, 0.0, _READ_SHARE))
    if not result.graphs:
        raise GraphqError(
            "NO_GRAPHS_FOUND", f"no graph panel was found on the {result.pages} pages of the PDF"
        )
    rendering = PanelRendering(dpi=payload["panel_dpi"])
    rendering_progress = stage_progress(progress, _READ_SHARE, 1.0 - _READ_SHARE)
    files = []
    for index, graph in enumerate(result.graphs):
        rendering_progress(
            index / len(result.graphs), f"rendering graph {index + 1} of {len(result.graphs)}"
        )
        panel = render_panel(pdf, graph.page, graph.box, rendering)
        files.append(
            GraphFiles(
                png=panel.png(),
                width=panel.width,
                height=panel.height,
                plot_area=panel.plot_area,
                overlay_png=graph_overlay(panel, graph),
                csv=graph_csv(graph),
            )
        )
    progress(1.0, f"read {len(result.graphs)} graphs on {result.pages} pages")
    return DatasheetOutput(
        datasheet_id=payload["datasheet_id"],
        result=result,
        files=files,
        processing_time_s=time.perf_counter() - began,
    )


def graph_image_id(job_id: str, index: int) -> str:
    """The same id for the same graph of the same job, however often ``store`` runs."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"graphq:job/{job_id}/graph/{index}"))


def _result_metadata(
    shown: dict[str, Any], graph: DatasheetGraph, files: GraphFiles, warnings: list[str]
) -> dict[str, Any]:
    """The graph as the CLI prints it (``shown``), with what the stored image adds; review
    lives in the result's own columns."""
    return {
        **{key: value for key, value in shown.items() if key not in ("needsReview", "reasons")},
        "caption": graph.caption,
        "conditions": dict(graph.conditions),
        "plotArea": files.plot_area,
        "warnings": warnings,
    }


class DatasheetHandler:
    kind = "datasheet"
    runs_in: Literal["process", "loop"] = "process"
    parameters_type = DatasheetParameters
    compute = staticmethod(read_datasheet_file)

    async def prepare(self, ctx: JobContext) -> dict[str, Any]:
        parameters = decode_parameters(self.kind, ctx.job.parameters, DatasheetParameters)
        async with ctx.db.write() as session:
            job = await session.get(Job, ctx.job.id)
            datasheet_id = job.datasheet_id if job is not None else None
            datasheet = await session.get(Datasheet, datasheet_id) if datasheet_id else None
            if datasheet is None:
                raise GraphqError("NOT_FOUND", f"the datasheet of job {ctx.job.id} is gone")
            datasheet.status = "processing"
            path = datasheet.file_path
        return {
            "path": str(ctx.settings.data_dir / path),
            "datasheet_id": datasheet.id,
            "panel_dpi": parameters.panel_dpi,
        }

    async def store(self, ctx: JobContext, session: AsyncSession, output: DatasheetOutput) -> bool:
        job = ctx.job
        storage = Storage(ctx.settings.data_dir)
        datasheet = await session.get(Datasheet, output.datasheet_id)
        stem = Path(datasheet.filename).stem if datasheet is not None else "datasheet"
        needs_review = False
        images: list[GraphImage] = []
        results: list[ExtractionResult] = []
        graphs = zip(output.result.graphs, output.files, strict=True)
        for index, (graph, files) in enumerate(graphs, start=1):
            image_id = graph_image_id(job.id, index)
            image_path = storage.image_path(job.product_id, image_id, "png")
            csv_path = storage.result_path(job.product_id, job.id, f".graph{index}.csv")
            overlay_path = storage.result_path(job.product_id, job.id, f".graph{index}.overlay.png")
            storage.write_atomic(image_path, files.png)
            storage.write_atomic(csv_path, files.csv.encode())
            storage.write_atomic(overlay_path, files.overlay_png)
            images.append(
                GraphImage(
                    id=image_id,
                    product_id=job.product_id,
                    filename=f"{stem} p{graph.page} graph {index}.png",
                    file_path=storage.relative(image_path),
                    description=graph.caption,
                    status="completed",
                    file_size=len(files.png),
                    mime_type="image/png",
                    width=files.width,
                    height=files.height,
                    sha256=hashlib.sha256(files.png).hexdigest(),
                    graph_type=graph.graph_type,
                    graph_meta=msgspec.to_builtins(graph_meta(graph, files.plot_area)),
                    datasheet_id=output.datasheet_id,
                    page=graph.page,
                    box=list(graph.box),
                )
            )
            shown = graph_json(graph)
            needs_review = needs_review or shown["needsReview"]
            confidences = [curve.confidence for curve in graph.curves]
            results.append(
                ExtractionResult(
                    job_id=job.id,
                    product_id=job.product_id,
                    image_id=image_id,
                    csv_file_path=storage.relative(csv_path),
                    csv_data=files.csv,
                    overlay_file_path=storage.relative(overlay_path),
                    result_metadata=_result_metadata(shown, graph, files, output.result.warnings),
                    confidence=sum(confidences) / len(confidences) if confidences else 0.0,
                    data_points=sum(len(curve.points) for curve in graph.curves),
                    processing_time=output.processing_time_s,
                    extraction_method=job.extraction_method,
                    parameters=job.parameters,
                    needs_review=shown["needsReview"],
                    review_reasons=shown["reasons"],
                )
            )
        # The images first: a result refers to its image, and the rows have no relationship
        # that would order their inserts.
        session.add_all(images)
        await session.flush()
        session.add_all(results)
        if datasheet is not None:
            datasheet.status = "completed"
            datasheet.pages = output.result.pages
        return needs_review

    def on_dead_in(self, conn: Connection, job_id: str) -> None:
        conn.execute(_FAIL_DATASHEET, {"job_id": job_id})


def register(registry: HandlerRegistry) -> None:
    registry.register(DatasheetHandler())
