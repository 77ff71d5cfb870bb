"""Datasheet PDFs: stored all or nothing with one ``datasheet`` job each, listed and shown.

An upload is atomic, as an image upload is (:mod:`graphq.services.images`). Every file is
checked first: its bytes must open as a PDF within the size and page limits. Then the files
are staged beside their final names, and the one transaction that inserts the jobs also adds
the datasheet rows and renames the staged files into place. A failure at any step removes
what was staged or renamed and rolls the rows back, so a rejected upload leaves no row, no
job and no file.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import anyio
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from graphq.config import UploadSettings
from graphq.datasheet.probe import probe_pdf
from graphq.db.database import Database
from graphq.db.models import Datasheet, ExtractionResult, GraphImage, Job, new_id
from graphq.errors import GraphqError
from graphq.queue.front import QueueFront
from graphq.services.images import ExtractOptions
from graphq.services.jobs import JobRequest, create_jobs
from graphq.services.lookup import fetch
from graphq.services.products import get_product
from graphq.services.uploads import Upload, check_file_count, file_error, sanitise_filename
from graphq.storage import Storage

DATASHEET_KIND = "datasheet"


@dataclass(frozen=True)
class CheckedPdf:
    """A file that opened as a PDF within the limits."""

    filename: str
    data: bytes
    pages: int


@dataclass(frozen=True)
class FoundGraph:
    """One graph found in a datasheet: its image and, once stored, its result."""

    image: GraphImage
    result: ExtractionResult | None


@dataclass(frozen=True)
class DatasheetDetail:
    """A datasheet with its newest job and the graphs that job found."""

    datasheet: Datasheet
    job: Job | None
    graphs: list[FoundGraph]


async def check_pdfs(uploads: list[Upload], limits: UploadSettings) -> list[CheckedPdf]:
    """Open every file (in a thread: PDFium parses it); the first bad one raises, named."""
    checked = []
    for index, upload in enumerate(uploads):
        filename = sanitise_filename(upload.filename)
        probe = partial(
            probe_pdf,
            upload.data,
            max_bytes=limits.max_pdf_mb * 2**20,
            max_pages=limits.max_pdf_pages,
        )
        try:
            pages = await anyio.to_thread.run_sync(probe)
        except GraphqError as exc:
            raise file_error(exc, index, filename) from None
        checked.append(CheckedPdf(filename, upload.data, pages))
    return checked


async def upload_datasheets(
    db: Database,
    front: QueueFront,
    storage: Storage,
    limits: UploadSettings,
    product_id: str,
    uploads: list[Upload],
    options: ExtractOptions,
) -> tuple[list[Datasheet], list[Job]]:
    """Check and store the PDFs and queue one ``datasheet`` job for each; all or nothing."""
    await get_product(db, product_id)
    check_file_count(uploads, limits, "PDF")
    if DATASHEET_KIND not in front.registry:
        raise GraphqError(
            "INVALID_PARAMETERS", "this server has no datasheet job kind to read with"
        )
    checked = await check_pdfs(uploads, limits)
    staged: list[tuple[Path, Path]] = []
    published: list[Path] = []
    datasheets: list[Datasheet] = []

    async def add_datasheets(session: AsyncSession) -> None:
        session.add_all(datasheets)
        await session.flush()
        for temporary, final in staged:
            os.replace(temporary, final)
            published.append(final)

    try:
        for pdf in checked:
            datasheet_id = new_id()
            final = storage.datasheet_path(product_id, datasheet_id)
            # Shielded, so a cancelled request still learns the staged name and removes it.
            with anyio.CancelScope(shield=True):
                temporary = await anyio.to_thread.run_sync(storage.stage, final, pdf.data)
            staged.append((temporary, final))
            datasheets.append(
                Datasheet(
                    id=datasheet_id,
                    product_id=product_id,
                    filename=pdf.filename,
                    file_path=storage.relative(final),
                    file_size=len(pdf.data),
                    sha256=hashlib.sha256(pdf.data).hexdigest(),
                    pages=pdf.pages,
                    status="pending",
                )
            )
        requests = [
            JobRequest(
                product_id=product_id,
                kind=DATASHEET_KIND,
                datasheet_id=datasheet.id,
                queue_id=options.queue_id,
                priority=options.priority,
            )
            for datasheet in datasheets
        ]
        jobs = await create_jobs(db, front, requests, alongside=add_datasheets)
    except BaseException:
        for path in [*(temporary for temporary, _ in staged), *published]:
            path.unlink(missing_ok=True)
        raise
    return datasheets, jobs


async def _details(session: AsyncSession, datasheets: list[Datasheet]) -> list[DatasheetDetail]:
    """Each datasheet with its newest job and its graphs in page order (three queries)."""
    ids = [d.id for d in datasheets]
    jobs: dict[str, Job] = {}
    for job in (
        await session.execute(select(Job).where(Job.datasheet_id.in_(ids)).order_by(Job.created_at))
    ).scalars():
        jobs[job.datasheet_id or ""] = job
    images = list(
        (
            await session.execute(
                select(GraphImage)
                .where(GraphImage.datasheet_id.in_(ids))
                .order_by(GraphImage.page, GraphImage.created_at, GraphImage.filename)
            )
        ).scalars()
    )
    results: dict[str, ExtractionResult] = {}
    for result in (
        await session.execute(
            select(ExtractionResult)
            .where(ExtractionResult.image_id.in_([i.id for i in images]))
            .order_by(ExtractionResult.created_at)
        )
    ).scalars():
        results[result.image_id or ""] = result
    return [
        DatasheetDetail(
            datasheet=datasheet,
            job=jobs.get(datasheet.id),
            graphs=[
                FoundGraph(image, results.get(image.id))
                for image in images
                if image.datasheet_id == datasheet.id
            ],
        )
        for datasheet in datasheets
    ]


async def list_datasheets(db: Database, product_id: str) -> list[DatasheetDetail]:
    await get_product(db, product_id)
    async with db.read() as session:
        rows = await session.execute(
            select(Datasheet)
            .where(Datasheet.product_id == product_id)
            .order_by(Datasheet.created_at)
        )
        return await _details(session, list(rows.scalars()))


async def get_datasheet(db: Database, datasheet_id: str) -> DatasheetDetail:
    async with db.read() as session:
        datasheet = await fetch(session, Datasheet, datasheet_id, "datasheet")
        (detail,) = await _details(session, [datasheet])
        return detail
