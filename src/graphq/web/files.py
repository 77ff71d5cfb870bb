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
from litestar.response import File

from graphq.runtime import Runtime
from graphq.services import images, results
from graphq.web.access import Visitor


class FilePages(Controller):
    path = "/files"

    @get("/images/{image_id:str}")
    async def image_file(self, rt: Runtime, visitor: Visitor, image_id: str) -> File:
        image, path = await images.image_file(rt, image_id)
        return File(path, media_type=image.mime_type, content_disposition_type="inline")

    @get("/jobs/{job_id:str}/overlay.png")
    async def overlay(
        self,
        rt: Runtime,
        visitor: Visitor,
        job_id: str,
        image_id: Annotated[str | None, QueryParameter(name="imageId")] = None,
    ) -> File:
        row = await results.job_result(rt, job_id, image_id)
        path = results.stored_file(rt, row.overlay_file_path, "overlay")
        return File(path, media_type="image/png", content_disposition_type="inline")

    @get("/models/{model_id:str}/report.png")
    async def report(self, rt: Runtime, visitor: Visitor, model_id: str) -> File:
        model = await results.get_model(rt, model_id)
        path = results.stored_file(rt, model.report_file_path, "report")
        return File(path, media_type="image/png", content_disposition_type="inline")

    @get("/models/{model_id:str}/model.lib")
    async def model_file(self, rt: Runtime, visitor: Visitor, model_id: str) -> File:
        model = await results.get_model(rt, model_id)
        path = results.stored_file(rt, model.model_file_path, "model")
        return File(path, filename=f"{model.name}.lib", media_type="text/plain")
