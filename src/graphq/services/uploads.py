"""Checking an image upload before anything of it is stored.

The bytes decide what a file is: :func:`graphq.digitizer.load_image` matches the magic number,
checks the size and the pixel count from the header (so a decompression bomb is refused before
it is decoded) and then decodes the whole image, so a truncated file is refused here and not in
a job hours later. The client's filename is kept as sanitised metadata and never reaches the
filesystem. Graph metadata is decoded into :class:`graphq.digitizer.GraphMeta` and checked
against the image it describes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import partial
from typing import Any

import anyio
import msgspec

from graphq.config import UploadSettings
from graphq.digitizer import Axis, GraphMeta, ImageInfo, load_image, validate_meta
from graphq.errors import GraphqError

# Stored files take their extension from the decoded type, never from the client's name.
EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/tiff": "tif",
    "image/bmp": "bmp",
}
_UNSAFE_FILENAME_CHARS = re.compile(r"[^\w .()+-]+")
MAX_FILENAME_CHARS = 200


@dataclass(frozen=True)
class Upload:
    """One file part as the client sent it."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class CheckedUpload:
    """A file that decoded as an image within the limits, with its graph metadata."""

    filename: str
    data: bytes
    info: ImageInfo
    meta: GraphMeta | None


def sanitise_filename(name: str) -> str:
    """The client's filename reduced to a harmless display name.

    Directories are dropped, anything but letters, digits and ``space . ( ) + - _`` becomes
    ``_``, leading dots go (no hidden or ``..`` names), and the length is capped.
    """
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name))[-1]
    cleaned = _UNSAFE_FILENAME_CHARS.sub("_", base).strip().lstrip(".").strip()
    return cleaned[:MAX_FILENAME_CHARS] or "image"


def check_file_count(uploads: list[Upload], limits: UploadSettings, what: str) -> None:
    """At least one file part and no more than ``uploads.max_files``; ``what`` names them."""
    if not uploads:
        raise GraphqError("NO_FILES", f"send one or more {what} files as multipart parts 'files'")
    if len(uploads) > limits.max_files:
        raise GraphqError(
            "TOO_MANY_FILES",
            f"{len(uploads)} files in one upload; the limit is {limits.max_files}",
            status=413,
        )


def file_error(exc: GraphqError, index: int, filename: str) -> GraphqError:
    """``exc`` about the ``index``-th file of an upload: the message and detail name it."""
    return GraphqError(
        exc.code,
        f"file {index + 1} ({filename}): {exc.message}",
        status=exc.status,
        detail={"index": index, "filename": filename},
    )


def _metadata_error(message: str, *, index: int | None = None, status: int = 422) -> GraphqError:
    detail = {"index": index} if index is not None else None
    prefix = f"metadata[{index}]: " if index is not None else ""
    return GraphqError("INVALID_METADATA", prefix + message, status=status, detail=detail)


def _check_range(name: str, axis: Axis, index: int) -> None:
    if not axis.min < axis.max:
        raise _metadata_error(
            f"{name} axis min must be below max (got {axis.min}..{axis.max})", index=index
        )


def decode_metadata(raw: bytes | str | None, file_count: int) -> list[GraphMeta | None]:
    """One :class:`GraphMeta` (or ``None``) per file, from the ``metadata`` part's JSON array.

    A ``null`` entry, or no part at all, stores that file without graph metadata; axes can
    then be given later as job parameters. Axis ranges must run from min up to max.
    """
    if raw is None:
        return [None] * file_count
    try:
        entries = msgspec.json.decode(raw)
    except msgspec.DecodeError as exc:
        raise _metadata_error(f"metadata is not valid JSON: {exc}", status=400) from None
    if not isinstance(entries, list):
        raise _metadata_error("metadata must be a JSON array with one object per file", status=400)
    if len(entries) != file_count:
        raise _metadata_error(
            f"metadata has {len(entries)} entries for {file_count} files; give one per file, "
            "in file order"
        )
    metas: list[GraphMeta | None] = []
    for index, entry in enumerate(entries):
        if entry is None:
            metas.append(None)
            continue
        if not isinstance(entry, dict):
            raise _metadata_error("each entry must be a JSON object or null", index=index)
        metas.append(_decode_entry(entry, index))
    return metas


def _decode_entry(entry: dict[str, Any], index: int) -> GraphMeta:
    try:
        meta = msgspec.convert(entry, GraphMeta)
    except msgspec.ValidationError as exc:
        raise _metadata_error(str(exc), index=index) from None
    _check_range("x", meta.axes.x, index)
    _check_range("y", meta.axes.y, index)
    return meta


async def check_uploads(
    uploads: list[Upload], metas: list[GraphMeta | None], limits: UploadSettings
) -> list[CheckedUpload]:
    """Decode every file (in a thread: decoding is CPU work) and match it with its metadata.

    The first bad file or entry raises; the error names the file by position and name.
    """
    max_bytes = limits.max_file_mb * 2**20
    checked = []
    for index, (upload, meta) in enumerate(zip(uploads, metas, strict=True)):
        filename = sanitise_filename(upload.filename)
        try:
            image = await anyio.to_thread.run_sync(
                partial(load_image, upload.data, max_bytes=max_bytes, max_pixels=limits.max_pixels)
            )
        except GraphqError as exc:
            raise file_error(exc, index, filename) from None
        if meta is not None:
            try:
                validate_meta(meta, image.width, image.height)
            except GraphqError as exc:
                raise _metadata_error(exc.message, index=index) from None
        info = ImageInfo(
            format=image.format, mime_type=image.mime_type, width=image.width, height=image.height
        )
        checked.append(CheckedUpload(filename, upload.data, info, meta))
    return checked
