"""Multipart upload forms: the parts every upload route reads the same way.

Upload routes read the form themselves rather than through a Litestar ``data`` model, so a
field sent as text or as a file part (``curl -F metadata=@meta.json``) both work and each bad
field gets its own problem document; :func:`multipart_operation` documents the body for the
OpenAPI schema all the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Request
from litestar.datastructures import FormMultiDict, UploadFile
from litestar.openapi.spec import (
    Encoding,
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)

from graphq.errors import GraphqError
from graphq.queue.vocabulary import Priority
from graphq.services.uploads import Upload

# Form fields are text; these spellings of a boolean are accepted, an absent field is false.
BOOLEANS = {
    **dict.fromkeys(("true", "1", "yes", "on"), True),
    **dict.fromkeys(("false", "0", "no", "off", ""), False),
}

JOB_FIELDS = {
    "priority": Schema(type=OpenAPIType.STRING, enum=[p.value for p in Priority]),
    "queueId": Schema(type=OpenAPIType.STRING, description="defaults to the default queue"),
}


def files_field(description: str) -> Schema:
    """The ``files`` parts of an upload: one or more binary files, as ``description`` says."""
    return Schema(
        type=OpenAPIType.ARRAY,
        items=Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY),
        description=description,
    )


# Parts that hold JSON (graph metadata) rather than text.
JSON_PART = Encoding(content_type="application/json")


def multipart_operation(form: Schema, json_parts: tuple[str, ...] = ()) -> type[Operation]:
    """An operation class whose request body is ``form`` as ``multipart/form-data``; the
    ``json_parts`` are documented as JSON documents."""

    @dataclass
    class MultipartOperation(Operation):
        def __post_init__(self) -> None:
            media = OpenAPIMediaType(
                schema=form, encoding=dict.fromkeys(json_parts, JSON_PART) or None
            )
            self.request_body = RequestBody(content={"multipart/form-data": media}, required=True)

    return MultipartOperation


def invalid_field(message: str) -> GraphqError:
    return GraphqError("INVALID_REQUEST", message)


async def multipart_form(request: Request, what: str) -> FormMultiDict:
    """The request's form; 415 unless it was sent as ``multipart/form-data``."""
    media_type, _ = request.content_type
    if media_type != "multipart/form-data":
        raise GraphqError(
            "UNSUPPORTED_MEDIA_TYPE",
            f"send the {what} as multipart/form-data, not {media_type or 'no content type'}",
        )
    return await request.form()


async def raw_field(form: FormMultiDict, name: str) -> str | bytes | None:
    """A form field sent as text or as a file part (``curl -F metadata=@meta.json``)."""
    value = form.get(name)
    if isinstance(value, UploadFile):
        return await value.read()
    return value


async def text_field(form: FormMultiDict, name: str) -> str | None:
    value = await raw_field(form, name)
    return value.decode(errors="replace") if isinstance(value, bytes) else value


async def file_parts(form: FormMultiDict) -> list[Upload]:
    """Every ``files`` part, in order; a text field in their place is refused."""
    uploads = []
    for part in form.getall("files", []):
        if not isinstance(part, UploadFile):
            raise invalid_field("every 'files' part must be a file, not a text field")
        uploads.append(Upload(filename=part.filename or "", data=await part.read()))
    return uploads


async def job_fields(form: FormMultiDict) -> tuple[Priority, str | None]:
    """``priority`` (default ``normal``) and ``queueId`` (default: the default queue)."""
    priority = await text_field(form, "priority") or Priority.NORMAL
    try:
        return Priority(priority), await text_field(form, "queueId") or None
    except ValueError:
        raise invalid_field(f"priority must be one of {', '.join(Priority)}") from None
