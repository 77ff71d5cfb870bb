"""Graph images: multi-file upload with graph metadata, listing, download and deletion."""

from __future__ import annotations

from litestar import Controller, Request, delete, get, post
from litestar.datastructures import FormMultiDict
from litestar.openapi.spec import OpenAPIType, Schema
from litestar.response import File

from graphq.api import views
from graphq.api.auth import admin, operator
from graphq.api.forms import (
    BOOLEANS,
    JOB_FIELDS,
    file_parts,
    files_field,
    invalid_field,
    job_fields,
    multipart_form,
    multipart_operation,
    raw_field,
    text_field,
)
from graphq.api.openapi import GRAPH_META_REF, PROBLEMS_OPT
from graphq.api.schemas import ImageOut, UploadOut
from graphq.config import Settings
from graphq.db.database import Database
from graphq.queue.front import QueueFront
from graphq.services import images
from graphq.storage import Storage

_UPLOAD_FORM = Schema(
    type=OpenAPIType.OBJECT,
    required=["files"],
    properties={
        "files": files_field(
            "the images (PNG, JPEG, BMP, TIFF or GIF); their bytes decide the type"
        ),
        "metadata": Schema(
            type=OpenAPIType.ARRAY,
            items=Schema(one_of=[GRAPH_META_REF, Schema(type=OpenAPIType.NULL)]),
            description="JSON array, one graph-metadata object (or null) per file, in file "
            "order; a file without one is stored without graph metadata",
        ),
        "autoExtract": Schema(type=OpenAPIType.BOOLEAN, description="start digitize jobs"),
        **JOB_FIELDS,
    },
)


async def _extract_options(form: FormMultiDict) -> images.ExtractOptions | None:
    auto_extract = (await text_field(form, "autoExtract") or "").strip().lower()
    if auto_extract not in BOOLEANS:
        raise invalid_field(f"autoExtract must be true or false, got {auto_extract[:40]!r}")
    priority, queue_id = await job_fields(form)
    if not BOOLEANS[auto_extract]:
        return None
    return images.ExtractOptions(priority=priority, queue_id=queue_id)


class ImageController(Controller):
    path = "/api"
    tags = ["images"]

    @post(
        "/product/{product_id:str}/images",
        guards=[operator],
        status_code=201,
        operation_class=multipart_operation(_UPLOAD_FORM, json_parts=("metadata",)),
        opt={PROBLEMS_OPT: (415,)},
    )
    async def upload_images(
        self,
        db: Database,
        front: QueueFront,
        storage: Storage,
        app_settings: Settings,
        request: Request,
        product_id: str,
    ) -> UploadOut:
        """Upload graph images.

        ``multipart/form-data``: one or more ``files`` parts, an optional ``metadata`` part
        (a JSON array, one graph-metadata object or ``null`` per file, in file order), and
        optional ``autoExtract`` (bool), ``priority`` and ``queueId`` fields. With
        ``autoExtract`` each image gets a ``digitize`` job.

        All or nothing: one bad file or metadata entry rejects the whole upload. The file's
        bytes decide its type, never its name.
        """
        form = await multipart_form(request, "images")
        extract = await _extract_options(form)
        stored, jobs = await images.upload_images(
            db,
            front,
            storage,
            app_settings.uploads,
            product_id,
            await file_parts(form),
            await raw_field(form, "metadata"),
            extract,
        )
        return UploadOut(
            images=[views.image(i) for i in stored],
            jobs=[views.job(j) for j in jobs],
        )

    @get("/product/{product_id:str}/images")
    async def product_images(self, db: Database, product_id: str) -> list[ImageOut]:
        """List a product's images.

        Every image of the product with its graph metadata and status.
        """
        return [views.image(i) for i in await images.list_images(db, product_id)]

    @get("/images/{image_id:str}")
    async def get_image(self, db: Database, image_id: str) -> ImageOut:
        """Get an image.

        The image's fields: filename, size, type, dimensions, hash, graph metadata and
        status.
        """
        return views.image(await images.get_image(db, image_id))

    @get("/images/{image_id:str}/file")
    async def image_file(self, db: Database, storage: Storage, image_id: str) -> File:
        """Download an image.

        The stored bytes, typed by what they decoded as, named by the sanitised filename.
        """
        image, path = await images.image_file(db, storage, image_id)
        return File(
            path,
            filename=image.filename,
            media_type=image.mime_type,
            content_disposition_type="inline",
        )

    @delete("/images/{image_id:str}", guards=[admin])
    async def delete_image(
        self, db: Database, front: QueueFront, storage: Storage, image_id: str
    ) -> None:
        """Delete an image.

        Deletes the image, its jobs and results, and their files.
        """
        await images.delete_image(db, front, storage, image_id)
