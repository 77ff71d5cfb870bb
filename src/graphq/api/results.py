"""Extraction: start it, run it once, read its results and files."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import QueryParameter
from litestar.response import File, Response

from graphq.api import views
from graphq.api.auth import operator
from graphq.api.schemas import ExtractRequest, JobsOut, ResultOut
from graphq.errors import GraphqError
from graphq.runtime import Runtime
from graphq.services import extraction, results

# Names one result of a job that stored several: a datasheet job stores one per graph.
ImageChoice = Annotated[
    str | None, QueryParameter(name="imageId", description="the graph's image, for a datasheet job")
]


class ExtractionController(Controller):
    path = "/api"
    tags = ["extraction"]

    @post("/product/{product_id:str}/extract", guards=[operator])
    async def extract_product(
        self, rt: Runtime, product_id: str, data: ExtractRequest | None = None
    ) -> JobsOut:
        request = data or ExtractRequest()
        jobs = await extraction.extract_product(
            rt,
            product_id,
            image_ids=request.image_ids,
            priority=request.priority,
            method=request.method,
            queue_id=request.queue_id,
        )
        return JobsOut(jobs=[views.job(j) for j in jobs])

    @post("/extract/{method:str}", guards=[operator], status_code=200)
    async def extract_once(self, rt: Runtime, request: Request, method: str) -> dict[str, Any]:
        """Multipart ``file`` and ``metadata`` (JSON): the curves, with nothing stored."""
        if method not in ("standard", "legacy", "llm"):
            raise GraphqError("NOT_FOUND", f"no extraction method {method!r}", status=404)
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise GraphqError("NO_FILES", "send the image as the multipart part 'file'")
        metadata = form.get("metadata")
        if metadata is None:
            raise GraphqError("INVALID_METADATA", "send the graph metadata as the part 'metadata'")
        meta_json = metadata if isinstance(metadata, str) else await metadata.read()
        return await extraction.extract_once(rt, await upload.read(), meta_json, method)

    @get("/product/{product_id:str}/results")
    async def product_results(self, rt: Runtime, product_id: str) -> list[ResultOut]:
        return [views.result(r) for r in await results.product_results(rt, product_id)]

    @get("/job/{job_id:str}/result")
    async def job_result(self, rt: Runtime, job_id: str, image_id: ImageChoice = None) -> ResultOut:
        return views.result(await results.job_result(rt, job_id, image_id))

    @get("/job/{job_id:str}/result.csv", media_type="text/csv")
    async def job_result_csv(
        self, rt: Runtime, job_id: str, image_id: ImageChoice = None
    ) -> Response[str]:
        row = await results.job_result(rt, job_id, image_id)
        if row.csv_data is None:
            raise GraphqError("NOT_FOUND", "this job produced no CSV", status=404)
        return Response(
            row.csv_data,
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{job_id}.csv"'},
        )

    @get("/job/{job_id:str}/overlay.png", media_type="image/png")
    async def job_overlay(self, rt: Runtime, job_id: str, image_id: ImageChoice = None) -> File:
        row = await results.job_result(rt, job_id, image_id)
        path = results.stored_file(rt, row.overlay_file_path, "overlay")
        return File(path, media_type="image/png", content_disposition_type="inline")
