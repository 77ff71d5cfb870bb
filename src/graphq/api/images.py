"""Graph images: multi-file upload with graph metadata, listing, download and deletion."""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from litestar import Controller, Request, delete, get, post
from litestar.datastructures import FormMultiDict, UploadFile
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)
from litestar.response import File

from graphq.api import views
from graphq.api.auth import admin, operator
from graphq.api.schemas import ImageOut, Priority, UploadOut
from graphq.errors import GraphqError
from graphq.runtime import Runtime
from graphq.services import images
from graphq.services.uploads import Upload

# Form fields are text; these spellings of a boolean are accepted, an absent field is false.
_BOOLEANS = {
    **dict.fromkeys(("true", "1", "yes", "on"), True),
    **dict.fromkeys(("false", "0", "no", "off", ""), False),
}


_UPLOAD_FORM = Schema(
    type=OpenAPIType.OBJECT,
    required=["files"],
    properties={
        "files": Schema(
            type=OpenAPIType.ARRAY,
            items=Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY),
            description="the images (PNG, JPEG, BMP, TIFF or GIF); their bytes decide the type",
        ),
        "metadata": Schema(
            type=OpenAPIType.STRING,
            description="JSON array, one graph-metadata object (or null) per file, in file order",
        ),
        "autoExtract": Schema(type=OpenAPIType.BOOLEAN, description="start digitize jobs"),
        "priority": Schema(type=OpenAPIType.STRING, enum=list(get_args(Priority))),
        "queueId": Schema(type=OpenAPIType.STRING, description="defaults to the default queue"),
    },
)


@dataclass
class _UploadOperation(Operation):
    """Documents the multipart body that the upload route reads itself (see ``_uploads``)."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            content={"multipart/form-data": OpenAPIMediaType(schema=_UPLOAD_FORM)},
            required=True,
        )


def _invalid_field(message: str) -> GraphqError:
    return GraphqError("INVALID_REQUEST", message, status=400)


async def _raw_field(form: FormMultiDict, name: str) -> str | bytes | None:
    """A form field sent as text or as a file part (``curl -F metadata=@meta.json``)."""
    value = form.get(name)
    if isinstance(value, UploadFile):
        return await value.read()
    return value


async def _text_field(form: FormMultiDict, name: str) -> str | None:
    value = await _raw_field(form, name)
    return value.decode(errors="replace") if isinstance(value, bytes) else value


async def _uploads(form: FormMultiDict) -> list[Upload]:
    uploads = []
    for part in form.getall("files", []):
        if not isinstance(part, UploadFile):
            raise _invalid_field("every 'files' part must be a file, not a text field")
        uploads.append(Upload(filename=part.filename or "", data=await part.read()))
    return uploads


async def _extract_options(form: FormMultiDict) -> images.ExtractOptions | None:
    auto_extract = (await _text_field(form, "autoExtract") or "").strip().lower()
    if auto_extract not in _BOOLEANS:
        raise _invalid_field(f"autoExtract must be true or false, got {auto_extract[:40]!r}")
    priority = await _text_field(form, "priority") or "normal"
    if priority not in get_args(Priority):
        raise _invalid_field(f"priority must be one of {', '.join(get_args(Priority))}")
    queue_id = await _text_field(form, "queueId")
    if not _BOOLEANS[auto_extract]:
        return None
    return images.ExtractOptions(priority=priority, queue_id=queue_id or None)


class ImageController(Controller):
    path = "/api"
    tags = ["images"]

    @post(
        "/product/{product_id:str}/images",
        guards=[operator],
        status_code=201,
        operation_class=_UploadOperation,
    )
    async def upload_images(self, rt: Runtime, request: Request, product_id: str) -> UploadOut:
        """``multipart/form-data``: one or more ``files`` parts, an optional ``metadata`` part
        (a JSON array, one graph-metadata object or ``null`` per file, in file order), and
        optional ``autoExtract`` (bool), ``priority`` and ``queueId`` fields.

        All or nothing: one bad file or metadata entry rejects the whole upload.
        """
        media_type, _ = request.content_type
        if media_type != "multipart/form-data":
            raise GraphqError(
                "UNSUPPORTED_MEDIA_TYPE",
                f"send the images as multipart/form-data, not {media_type or 'no content type'}",
                status=415,
            )
        form = await request.form()
        extract = await _extract_options(form)
        stored, jobs = await images.upload_images(
            rt, product_id, await _uploads(form), await _raw_field(form, "metadata"), extract
        )
        return UploadOut(
            images=[views.image(i) for i in stored],
            jobs=[views.job(j) for j in jobs],
        )

    @get("/product/{product_id:str}/images")
    async def product_images(self, rt: Runtime, product_id: str) -> list[ImageOut]:
        return [views.image(i) for i in await images.list_images(rt, product_id)]

    @get("/images/{image_id:str}")
    async def get_image(self, rt: Runtime, image_id: str) -> ImageOut:
        return views.image(await images.get_image(rt, image_id))

    @get("/images/{image_id:str}/file")
    async def image_file(self, rt: Runtime, image_id: str) -> File:
        """The stored bytes, typed by what they decoded as, named by the sanitised filename."""
        image, path = await images.image_file(rt, image_id)
        return File(
            path,
            filename=image.filename,
            media_type=image.mime_type,
            content_disposition_type="inline",
        )

    @delete("/images/{image_id:str}", guards=[admin])
    async def delete_image(self, rt: Runtime, image_id: str) -> None:
        """Delete the image, its jobs and results, and their files."""
        await images.delete_image(rt, image_id)
