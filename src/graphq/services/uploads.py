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

import anyio

from graphq.config import UploadSettings
from graphq.digitizer import GraphMeta, ImageInfo, load_image, validate_meta
from graphq.digitizer.metadata import decode_graph_meta, invalid_metadata, parse_metadata_json
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
        )


def file_error(exc: GraphqError, index: int, filename: str) -> GraphqError:
    """``exc`` about the ``index``-th file of an upload: the message and detail name it."""
    return GraphqError(
        exc.code,
        f"file {index + 1} ({filename}): {exc.message}",
        detail={"index": index, "filename": filename},
    )


def decode_metadata(raw: bytes | str | None, file_count: int) -> list[GraphMeta | None]:
    """One :class:`GraphMeta` (or ``None``) per file, from the ``metadata`` part's JSON array.

    A ``null`` entry, or no part at all, stores that file without graph metadata; axes can
    then be given later as job parameters, or read off the image. Each entry is decoded by
    :func:`graphq.digitizer.metadata.decode_graph_meta`, as every route's metadata is.
    """
    if raw is None:
        return [None] * file_count
    entries = parse_metadata_json(raw)
    if not isinstance(entries, list):
        raise GraphqError(
            "MALFORMED_METADATA", "metadata must be a JSON array with one object per file"
        )
    if len(entries) != file_count:
        raise invalid_metadata(
            f"metadata has {len(entries)} entries for {file_count} files; give one per file, "
            "in file order"
        )
    return [
        None if entry is None else decode_graph_meta(entry, index=index)
        for index, entry in enumerate(entries)
    ]


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
                raise invalid_metadata(exc.message, index=index) from None
        info = ImageInfo(
            format=image.format, mime_type=image.mime_type, width=image.width, height=image.height
        )
        checked.append(CheckedUpload(filename, upload.data, info, meta))
    return checked
