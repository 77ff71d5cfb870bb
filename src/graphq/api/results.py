"""Extraction: start it, run it once, read its results and files, and accept a result."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.openapi.spec import OpenAPIFormat, OpenAPIType, Schema
from litestar.params import QueryParameter
from litestar.response import File, Response

from graphq.api import views
from graphq.api.auth import operator
from graphq.api.deps import Cursor
from graphq.api.forms import multipart_operation
from graphq.api.openapi import GRAPH_META_REF, PROBLEMS_OPT
from graphq.api.schemas import ExtractRequest, JobsOut, ResultOut
from graphq.config import Settings
from graphq.db.database import Database
from graphq.errors import GraphqError
from graphq.queue.front import QueueFront
from graphq.services import acceptance, extraction, results
from graphq.storage import Storage

# Results carry their curves' CSV (up to ~150 kB each): a page is kept to a few MB.
ResultsPage = Annotated[int, QueryParameter(ge=1, le=500, description="results per page")]
# Names one result of a job that stored several: a datasheet job stores one per graph.
ImageChoice = Annotated[
    str | None, QueryParameter(name="imageId", description="the graph's image, for a datasheet job")
]

# A datasheet job stored several results: without ``imageId`` the result routes answer 409.
_MANY_RESULTS = {PROBLEMS_OPT: (409,)}

_EXTRACT_FORM = Schema(
    type=OpenAPIType.OBJECT,
    required=["file"],
    properties={
        "file": Schema(
            type=OpenAPIType.STRING,
            format=OpenAPIFormat.BINARY,
            description="the graph image (PNG, JPEG, BMP, TIFF or GIF)",
        ),
        "metadata": Schema(
            all_of=[GRAPH_META_REF],
            description="the graph's metadata as a JSON object; without it, or without its "
            "axes, the axes are read off the image's tick labels",
        ),
    },
)


class ExtractionController(Controller):
    path = "/api"
    tags = ["extraction"]

    @post("/product/{product_id:str}/extract", guards=[operator])
    async def extract_product(
        self, db: Database, front: QueueFront, product_id: str, data: ExtractRequest | None = None
    ) -> JobsOut:
        """Extract a product's images.

        Queues a ``digitize`` job for each image in ``imageIds``, or without it for every
        image of the product that has no completed result yet.
        """
        request = data or ExtractRequest()
        jobs = await extraction.extract_product(
            db,
            front,
            product_id,
            image_ids=request.image_ids,
            priority=request.priority,
            method=request.method,
            queue_id=request.queue_id,
        )
        return JobsOut(jobs=[views.job(j) for j in jobs])

    @post(
        "/extract/{method:str}",
        guards=[operator],
        status_code=200,
        operation_class=multipart_operation(_EXTRACT_FORM, json_parts=("metadata",)),
        opt={PROBLEMS_OPT: (501,)},
    )
    async def extract_once(
        self, front: QueueFront, app_settings: Settings, request: Request, method: str
    ) -> dict[str, Any]:
        """Digitize one image now.

        Multipart ``file`` and optional ``metadata`` (one graph-metadata object; without it
        or its axes, the axes are read off the image): the curves, with nothing stored and
        no job. ``method`` is ``standard``, ``legacy`` or ``llm`` (501 LLM_NOT_CONFIGURED
        without an LLM endpoint).
        """
        if method not in ("standard", "legacy", "llm"):
            raise GraphqError("NOT_FOUND", f"no extraction method {method!r}")
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise GraphqError("NO_FILES", "send the image as the multipart part 'file'")
        # Without metadata (or without its axes) the axes are read off the image.
        metadata = form.get("metadata")
        if metadata is None:
            meta_json: bytes | str = b"{}"
        else:
            meta_json = metadata if isinstance(metadata, str) else await metadata.read()
        return await extraction.extract_once(
            front, app_settings, await upload.read(), meta_json, method
        )

    @get("/product/{product_id:str}/results")
    async def product_results(
        self, db: Database, product_id: str, limit: ResultsPage = 100, cursor: Cursor = None
    ) -> Response[list[ResultOut]]:
        """List a product's results.

        A page of the product's results, oldest first; a ``Link: <…>; rel="next"`` header
        names the next page while there is one.
        """
        rows = await results.product_results(db, product_id, limit=limit, cursor=cursor)
        headers = {}
        if len(rows) == limit:
            after = results.RESULT_ORDER.cursor_of(rows[-1])
            next_page = f"/api/product/{product_id}/results?limit={limit}&cursor={after}"
            headers["Link"] = f'<{next_page}>; rel="next"'
        return Response([views.result(r) for r in rows], headers=headers)

    @post("/result/{result_id:str}/accept", guards=[operator], status_code=200)
    async def accept_result(self, db: Database, request: Request, result_id: str) -> ResultOut:
        """Accept a result.

        A reviewer's sign-off on a graph's result: it is marked accepted by the calling
        key (``acceptedAt``, ``acceptedBy``); its review reasons stay as they were, and a
        fit uses the newest result of each graph as before. Accepting again keeps the first
        sign-off. 409 SUPERSEDED_RESULT when a newer result of the same graph exists.
        """
        row = await acceptance.accept_result(db, result_id, request.user.key_id)
        return views.result(row)

    @get("/job/{job_id:str}/result", opt=_MANY_RESULTS)
    async def job_result(
        self, db: Database, job_id: str, image_id: ImageChoice = None
    ) -> ResultOut:
        """Get a job's result.

        The curves, confidence, points and review reasons a job stored. A datasheet job
        stores one per graph: name it with ``imageId`` (409 MULTIPLE_RESULTS without).
        """
        return views.result(await results.job_result(db, job_id, image_id))

    @get("/job/{job_id:str}/result.csv", media_type="text/csv", opt=_MANY_RESULTS)
    async def job_result_csv(
        self, db: Database, job_id: str, image_id: ImageChoice = None
    ) -> Response[str]:
        """Download a job's result as CSV.

        ``x,y,curve`` rows of the job's result (``imageId`` for a datasheet job's graph).
        """
        row = await results.job_result(db, job_id, image_id)
        if row.csv_data is None:
            raise GraphqError("NOT_FOUND", "this job produced no CSV")
        return Response(
            row.csv_data,
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{job_id}.csv"'},
        )

    @get("/job/{job_id:str}/overlay.png", media_type="image/png", opt=_MANY_RESULTS)
    async def job_overlay(
        self, db: Database, storage: Storage, job_id: str, image_id: ImageChoice = None
    ) -> File:
        """Download a job's overlay.

        The extracted curves drawn over the source image, with a legend (``imageId`` for a
        datasheet job's graph).
        """
        row = await results.job_result(db, job_id, image_id)
        path = results.stored_file(storage, row.overlay_file_path, "overlay")
        return File(path, media_type="image/png", content_disposition_type="inline")
