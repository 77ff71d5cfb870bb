"""Datasheet PDFs: upload (one ``datasheet`` job each), listing, and the graphs found in one."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.openapi.spec import OpenAPIType, Schema

from graphq.api import views
from graphq.api.auth import operator
from graphq.api.forms import (
    JOB_FIELDS,
    file_parts,
    files_field,
    job_fields,
    multipart_form,
    multipart_operation,
)
from graphq.api.openapi import PROBLEMS_OPT
from graphq.api.schemas import DatasheetOut, DatasheetUploadOut
from graphq.config import Settings
from graphq.db.database import Database
from graphq.queue.front import QueueFront
from graphq.services import datasheets
from graphq.services.images import ExtractOptions
from graphq.storage import Storage

_UPLOAD_FORM = Schema(
    type=OpenAPIType.OBJECT,
    required=["files"],
    properties={
        "files": files_field("the datasheet PDFs; their bytes decide the type"),
        **JOB_FIELDS,
    },
)


class DatasheetController(Controller):
    path = "/api"
    tags = ["datasheets"]

    @post(
        "/product/{product_id:str}/datasheets",
        guards=[operator],
        status_code=201,
        operation_class=multipart_operation(_UPLOAD_FORM),
        opt={PROBLEMS_OPT: (415,)},
    )
    async def upload_datasheets(
        self,
        db: Database,
        front: QueueFront,
        storage: Storage,
        app_settings: Settings,
        request: Request,
        product_id: str,
    ) -> DatasheetUploadOut:
        """Upload datasheet PDFs.

        ``multipart/form-data``: one or more ``files`` parts (PDFs), and optional
        ``priority`` and ``queueId`` for their ``datasheet`` jobs.

        All or nothing: one file that is not a readable PDF within the limits rejects the
        whole upload. Each job finds every graph in its PDF and stores one image and one
        result per graph; ``GET /api/datasheets/{id}`` lists them.
        """
        form = await multipart_form(request, "datasheets")
        priority, queue_id = await job_fields(form)
        stored, jobs = await datasheets.upload_datasheets(
            db,
            front,
            storage,
            app_settings.uploads,
            product_id,
            await file_parts(form),
            ExtractOptions(priority, queue_id),
        )
        return DatasheetUploadOut(
            datasheets=[
                views.datasheet(datasheets.DatasheetDetail(datasheet, job, graphs=[]))
                for datasheet, job in zip(stored, jobs, strict=True)
            ],
            jobs=[views.job(j) for j in jobs],
        )

    @get("/product/{product_id:str}/datasheets")
    async def product_datasheets(self, db: Database, product_id: str) -> list[DatasheetOut]:
        """List a product's datasheets.

        Each datasheet with its newest job and the graphs found so far.
        """
        return [views.datasheet(d) for d in await datasheets.list_datasheets(db, product_id)]

    @get("/datasheets/{datasheet_id:str}")
    async def get_datasheet(self, db: Database, datasheet_id: str) -> DatasheetOut:
        """Get a datasheet and its graphs.

        The datasheet, its newest job, and each graph found: image id, page, frame box in
        points, graph type, status and whether it needs review.
        """
        return views.datasheet(await datasheets.get_datasheet(db, datasheet_id))
