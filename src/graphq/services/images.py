"""Graph images: stored all or nothing, listed, served and deleted.

An upload is atomic. Every file and metadata entry is checked before anything is written;
then the files are staged beside their final names, the rows (and the digitize jobs of an
``autoExtract`` upload) are added, the staged files are renamed into place, and only then does
the one transaction commit. A failure at any step, a crash included, removes whatever was
staged or renamed and rolls the rows back, so a rejected upload leaves no row, no job and no
file, and no image is ever stored without the jobs it was sent with.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import anyio
import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from graphq.config import UploadSettings
from graphq.db.database import Database
from graphq.db.models import ExtractionResult, GraphImage, Job, Product, new_id
from graphq.errors import GraphqError
from graphq.queue.front import QueueFront
from graphq.queue.vocabulary import FINISHED, Priority
from graphq.services.jobs import JobRequest, create_jobs
from graphq.services.lookup import fetch
from graphq.services.products import get_product
from graphq.services.queues import resolve_queue
from graphq.services.uploads import (
    EXTENSIONS,
    CheckedUpload,
    Upload,
    check_file_count,
    check_uploads,
    decode_metadata,
)
from graphq.storage import Storage


@dataclass(frozen=True)
class ExtractOptions:
    """``autoExtract`` and its job settings, as the upload form gives them."""

    priority: Priority = Priority.NORMAL
    queue_id: str | None = None


async def upload_images(
    db: Database,
    front: QueueFront,
    storage: Storage,
    limits: UploadSettings,
    product_id: str,
    uploads: list[Upload],
    metadata: bytes | str | None,
    extract: ExtractOptions | None,
) -> tuple[list[GraphImage], list[Job]]:
    """Check, store and optionally start digitizing a set of files; all or nothing."""
    await get_product(db, product_id)
    check_file_count(uploads, limits, "image")
    metas = decode_metadata(metadata, len(uploads))
    if extract is not None:
        await _check_extractable(db, front, extract)
    checked = await check_uploads(uploads, metas, limits)
    staged = await _stage(storage, product_id, checked)
    published: list[Path] = []

    async def add_images(session: AsyncSession) -> None:
        await fetch(session, Product, product_id, "product")
        session.add_all([image for image, _, _ in staged])
        await session.flush()
        for _, temporary, final in staged:
            os.replace(temporary, final)
            published.append(final)

    try:
        if extract is None:
            async with db.write() as session:
                await add_images(session)
            jobs: list[Job] = []
        else:
            requests = [
                JobRequest(
                    product_id=product_id,
                    image_id=image.id,
                    queue_id=extract.queue_id,
                    priority=extract.priority,
                    extraction_method=upload.meta.method if upload.meta else "standard",
                )
                for (image, _, _), upload in zip(staged, checked, strict=True)
            ]
            jobs = await create_jobs(db, front, requests, alongside=add_images)
    except BaseException:
        for path in [*(temporary for _, temporary, _ in staged), *published]:
            path.unlink(missing_ok=True)
        raise
    return [image for image, _, _ in staged], jobs


async def _check_extractable(db: Database, front: QueueFront, extract: ExtractOptions) -> None:
    """Refuse ``autoExtract`` up front when its jobs could not be created or could not run.

    Files without metadata are digitized too: their axes are read off the image.
    """
    if "digitize" not in front.registry:
        raise GraphqError(
            "INVALID_PARAMETERS", "this server has no digitize job kind to extract with"
        )
    await resolve_queue(db, front, extract.queue_id)


def _image_row(
    image_id: str, product_id: str, upload: CheckedUpload, relative_path: str
) -> GraphImage:
    meta = upload.meta
    return GraphImage(
        id=image_id,
        product_id=product_id,
        filename=upload.filename,
        file_path=relative_path,
        description=meta.description if meta else "",
        file_size=len(upload.data),
        mime_type=upload.info.mime_type,
        width=upload.info.width,
        height=upload.info.height,
        sha256=hashlib.sha256(upload.data).hexdigest(),
        graph_type=meta.graph_type if meta else "custom",
        graph_meta=msgspec.to_builtins(meta) if meta else {},
    )


async def _stage(
    storage: Storage, product_id: str, checked: list[CheckedUpload]
) -> list[tuple[GraphImage, Path, Path]]:
    """Each upload's row, staged file and final path; on failure nothing staged remains."""
    staged: list[tuple[GraphImage, Path, Path]] = []
    try:
        for upload in checked:
            image_id = new_id()
            final = storage.image_path(product_id, image_id, EXTENSIONS[upload.info.mime_type])
            # Shielded, so a cancelled request still learns the staged name and removes it.
            with anyio.CancelScope(shield=True):
                temporary = await anyio.to_thread.run_sync(storage.stage, final, upload.data)
            row = _image_row(image_id, product_id, upload, storage.relative(final))
            staged.append((row, temporary, final))
    except BaseException:
        for _, temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    return staged


async def list_images(db: Database, product_id: str) -> list[GraphImage]:
    await get_product(db, product_id)
    async with db.read() as session:
        rows = await session.execute(
            select(GraphImage)
            .where(GraphImage.product_id == product_id)
            .order_by(GraphImage.upload_date, GraphImage.created_at)
        )
        return list(rows.scalars())


async def get_image(db: Database, image_id: str) -> GraphImage:
    async with db.read() as session:
        return await fetch(session, GraphImage, image_id, "image")


async def image_file(db: Database, storage: Storage, image_id: str) -> tuple[GraphImage, Path]:
    image = await get_image(db, image_id)
    path = storage.absolute(image.file_path)
    if not path.is_file():
        raise GraphqError("NOT_FOUND", f"the file of image {image_id} is missing")
    return image, path


async def delete_image(db: Database, front: QueueFront, storage: Storage, image_id: str) -> None:
    """Delete an image with its jobs and results (rows and files); running jobs stop first."""
    await get_image(db, image_id)
    await _remove_images(db, front, storage, [image_id])


async def _remove_images(
    db: Database, front: QueueFront, storage: Storage, image_ids: list[str]
) -> None:
    async with db.read() as session:
        unfinished = (
            await session.execute(
                select(Job.id).where(Job.image_id.in_(image_ids), Job.status.not_in(FINISHED))
            )
        ).scalars()
        job_ids = list(unfinished)
    for job_id in job_ids:
        await front.cancel(job_id)
    files: list[str | None] = []
    async with db.write() as session:
        results = await session.execute(
            select(ExtractionResult).where(ExtractionResult.image_id.in_(image_ids))
        )
        for result in results.scalars():
            files += [result.csv_file_path, result.overlay_file_path]
        for image_id in image_ids:
            image = await session.get(GraphImage, image_id)
            if image is not None:
                files.append(image.file_path)
                await session.delete(image)
    for relative in files:
        if relative:
            storage.remove(storage.absolute(relative))
