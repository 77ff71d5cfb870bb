"""Files a page shows or offers for download, behind the session rather than a Bearer key.

An ``<img>`` or a download link cannot send ``Authorization``, and the key must not go in
their URLs; these routes serve the same files as the API's ``/api/images/{id}/file``,
``/api/job/{id}/overlay.png``, ``/api/spice-models/{id}/report.png`` and ``/model.lib``,
through the same service calls.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter
from litestar.response import File, Response

from graphq.db.database import Database
from graphq.services import images, results
from graphq.storage import Storage
from graphq.web.access import Visitor


class FilePages(Controller):
    path = "/files"

    @get("/images/{image_id:str}")
    async def image_file(
        self, db: Database, storage: Storage, visitor: Visitor, image_id: str
    ) -> File:
        image, path = await images.image_file(db, storage, image_id)
        return File(path, media_type=image.mime_type, content_disposition_type="inline")

    @get("/jobs/{job_id:str}/overlay.png")
    async def overlay(
        self,
        db: Database,
        storage: Storage,
        visitor: Visitor,
        job_id: str,
        image_id: Annotated[str | None, QueryParameter(name="imageId")] = None,
    ) -> File:
        row = await results.job_result(db, job_id, image_id)
        path = results.stored_file(storage, row.overlay_file_path, "overlay")
        return File(path, media_type="image/png", content_disposition_type="inline")

    @get("/models/{model_id:str}/report.png")
    async def report(self, db: Database, storage: Storage, visitor: Visitor, model_id: str) -> File:
        model = await results.get_model(db, model_id)
        path = results.stored_file(storage, model.report_file_path, "report")
        return File(path, media_type="image/png", content_disposition_type="inline")

    @get("/models/{model_id:str}/model.lib")
    async def model_file(
        self,
        db: Database,
        storage: Storage,
        visitor: Visitor,
        model_id: str,
        dialect: str | None = None,
    ) -> File | Response[str]:
        """The model file, or the same model in another ``dialect`` (as the API gives it)."""
        model = await results.get_model(db, model_id)
        if dialect is None or dialect == model.model_type:
            path = results.stored_file(storage, model.model_file_path, "model")
            return File(path, filename=f"{model.name}.lib", media_type="text/plain")
        disposition = f'attachment; filename="{model.name}.{dialect}.lib"'
        return Response(
            results.dialect_text(model, dialect),
            media_type="text/plain",
            headers={"Content-Disposition": disposition},
        )
