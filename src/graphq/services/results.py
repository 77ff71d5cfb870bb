"""Extraction results and SPICE models: reading them and starting fits."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from graphq.db.models import ExtractionResult, Job, Product, SpiceModel
from graphq.errors import GraphqError
from graphq.runtime import Runtime
from graphq.services.jobs import JobRequest, create_jobs
from graphq.services.lookup import fetch
from graphq.services.pages import Keyset
from graphq.spice.inputs import default_model_type


async def job_result(rt: Runtime, job_id: str, image_id: str | None = None) -> ExtractionResult:
    """The job's result; of a job that stored several (a datasheet job, one per graph), the
    one for ``image_id``, which must then be given."""
    query = select(ExtractionResult).where(ExtractionResult.job_id == job_id)
    if image_id is not None:
        query = query.where(ExtractionResult.image_id == image_id)
    async with rt.db.read() as session:
        rows = list((await session.execute(query.order_by(ExtractionResult.created_at))).scalars())
        if not rows:
            job = await session.get(Job, job_id)
            detail = (
                f"job {job_id} has no result"
                + (f" for image {image_id}" if image_id is not None else "")
                + (f" (it is {job.status})" if job else " (no such job)")
            )
            raise GraphqError("NOT_FOUND", detail, status=404)
    if len(rows) > 1:
        raise GraphqError(
            "MULTIPLE_RESULTS",
            f"job {job_id} stored {len(rows)} results, one per graph; choose one with ?imageId=",
            status=409,
            detail={"imageIds": [row.image_id for row in rows]},
        )
    return rows[0]


# Oldest first; the id breaks ties, so a cursor names one place in the order.
RESULT_ORDER = Keyset(
    (ExtractionResult.created_at, ExtractionResult.id), (datetime, str), descending=False
)


async def product_results(
    rt: Runtime, product_id: str, *, limit: int | None = None, cursor: str | None = None
) -> list[ExtractionResult]:
    """The product's results, oldest first: all of them, or a page of ``limit`` after
    ``cursor`` (a range of ``ix_extraction_results_product``)."""
    query = select(ExtractionResult).where(ExtractionResult.product_id == product_id)
    if cursor is not None:
        query = query.where(RESULT_ORDER.after(cursor))
    async with rt.db.read() as session:
        await fetch(session, Product, product_id, "product")
        rows = await session.execute(query.order_by(*RESULT_ORDER.order_by()).limit(limit))
        return list(rows.scalars())


def stored_file(rt: Runtime, relative: str | None, what: str) -> Path:
    path = rt.storage.absolute(relative) if relative else None
    if path is None or not path.is_file():
        raise GraphqError("NOT_FOUND", f"the {what} file is not available", status=404)
    return path


async def start_fit(
    rt: Runtime,
    product_id: str,
    *,
    model_type: str | None,
    name: str | None,
    priority: str,
    queue_id: str | None,
) -> Job:
    async with rt.db.read() as session:
        product = await fetch(session, Product, product_id, "product")
    parameters = {"modelType": model_type or default_model_type(product.device_type)}
    if name:
        parameters["name"] = name
    request = JobRequest(
        product_id=product_id,
        kind="spice_fit",
        queue_id=queue_id,
        priority=priority,
        parameters=parameters,
    )
    (job,) = await create_jobs(rt, [request])
    return job


async def product_models(rt: Runtime, product_id: str) -> list[SpiceModel]:
    async with rt.db.read() as session:
        await fetch(session, Product, product_id, "product")
        rows = await session.execute(
            select(SpiceModel)
            .where(SpiceModel.product_id == product_id)
            .order_by(SpiceModel.version)
        )
        return list(rows.scalars())


async def get_model(rt: Runtime, model_id: str) -> SpiceModel:
    async with rt.db.read() as session:
        return await fetch(session, SpiceModel, model_id, "SPICE model")
