"""Extraction results and SPICE models: reading them and starting fits."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec
from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import defer
from sqlalchemy.orm.attributes import set_committed_value

from graphq.db.database import Database
from graphq.db.models import ExtractionResult, Job, Product, SpiceModel
from graphq.errors import GraphqError
from graphq.queue.front import QueueFront
from graphq.queue.vocabulary import Priority
from graphq.services.jobs import JobRequest, create_jobs
from graphq.services.lookup import fetch
from graphq.services.pages import Keyset
from graphq.spice.inputs import default_model_type
from graphq.storage import Storage


async def job_result(db: Database, job_id: str, image_id: str | None = None) -> ExtractionResult:
    """The job's result; of a job that stored several (a datasheet job, one per graph), the
    one for ``image_id``, which must then be given."""
    query = select(ExtractionResult).where(ExtractionResult.job_id == job_id)
    if image_id is not None:
        query = query.where(ExtractionResult.image_id == image_id)
    async with db.read() as session:
        rows = list((await session.execute(query.order_by(ExtractionResult.created_at))).scalars())
        if not rows:
            job = await session.get(Job, job_id)
            detail = (
                f"job {job_id} has no result"
                + (f" for image {image_id}" if image_id is not None else "")
                + (f" (it is {job.status})" if job else " (no such job)")
            )
            raise GraphqError("NOT_FOUND", detail)
    if len(rows) > 1:
        raise GraphqError(
            "MULTIPLE_RESULTS",
            f"job {job_id} stored {len(rows)} results, one per graph; choose one with ?imageId=",
            detail={"imageIds": [row.image_id for row in rows]},
        )
    return rows[0]


# Oldest first; the id breaks ties, so a cursor names one place in the order.
RESULT_ORDER = Keyset(
    (ExtractionResult.created_at, ExtractionResult.id), (datetime, str), descending=False
)


async def product_results(
    db: Database, product_id: str, *, limit: int | None = None, cursor: str | None = None
) -> list[ExtractionResult]:
    """The product's results, oldest first: all of them, or a page of ``limit`` after
    ``cursor`` (a range of ``ix_extraction_results_product``)."""
    query = select(ExtractionResult).where(ExtractionResult.product_id == product_id)
    if cursor is not None:
        query = query.where(RESULT_ORDER.after(cursor))
    async with db.read() as session:
        await fetch(session, Product, product_id, "product")
        rows = await session.execute(query.order_by(*RESULT_ORDER.order_by()).limit(limit))
        return list(rows.scalars())


class CurveName(msgspec.Struct, omit_defaults=True):
    """What a list of graphs shows of a stored curve: its name and colour, not its points."""

    label: Any = None
    color: Any = None


class CurveNames(msgspec.Struct, omit_defaults=True):
    curves: list[CurveName] | None = None


async def newest_image_results(db: Database, product_id: str) -> list[ExtractionResult]:
    """The newest result of each of the product's images, for a page that lists them.

    Each row's ``result_metadata`` is abridged to its curves' labels and colours: the
    metadata is read as text and decoded past the points, since building thousands of
    point lists per graph on every refresh costs more (and feeds the garbage collector)
    than the rest of the page. Older versions are neither read nor decoded.
    """
    ranked = (
        select(
            ExtractionResult.id,
            func.row_number()
            .over(
                partition_by=ExtractionResult.image_id,
                order_by=(ExtractionResult.created_at.desc(), ExtractionResult.id.desc()),
            )
            .label("rank"),
        )
        .where(ExtractionResult.product_id == product_id)
        .subquery()
    )
    query = (
        select(ExtractionResult, cast(ExtractionResult.result_metadata, Text))
        .options(defer(ExtractionResult.result_metadata))
        .join(ranked, ranked.c.id == ExtractionResult.id)
        .where(ranked.c.rank == 1)
    )
    async with db.read() as session:
        rows = (await session.execute(query)).all()
    for row, text in rows:
        names = msgspec.json.decode(text or "{}", type=CurveNames)
        set_committed_value(row, "result_metadata", msgspec.to_builtins(names))
    return [row for row, _ in rows]


async def image_results(db: Database, product_id: str, image_id: str) -> list[ExtractionResult]:
    """One image's results, oldest first (a range of ``ix_extraction_results_product``)."""
    query = select(ExtractionResult).where(
        ExtractionResult.product_id == product_id, ExtractionResult.image_id == image_id
    )
    async with db.read() as session:
        rows = await session.execute(query.order_by(*RESULT_ORDER.order_by()))
        return list(rows.scalars())


def stored_file(storage: Storage, relative: str | None, what: str) -> Path:
    path = storage.absolute(relative) if relative else None
    if path is None or not path.is_file():
        raise GraphqError("NOT_FOUND", f"the {what} file is not available")
    return path


async def start_fit(
    db: Database,
    front: QueueFront,
    product_id: str,
    *,
    model_type: str | None,
    name: str | None,
    priority: Priority,
    queue_id: str | None,
) -> Job:
    async with db.read() as session:
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
    (job,) = await create_jobs(db, front, [request])
    return job


async def product_models(db: Database, product_id: str) -> list[SpiceModel]:
    async with db.read() as session:
        await fetch(session, Product, product_id, "product")
        rows = await session.execute(
            select(SpiceModel)
            .where(SpiceModel.product_id == product_id)
            .order_by(SpiceModel.version)
        )
        return list(rows.scalars())


def dialect_text(model: SpiceModel, dialect: str) -> str:
    """The model written in another simulator's dialect (stored with the fit, verified in
    ngspice like the model file); NOT_FOUND when the fit wrote none in it."""
    text = ((model.fit_report or {}).get("dialects") or {}).get(dialect)
    if text is None:
        raise GraphqError("NOT_FOUND", f"model {model.id} has no {dialect!r} dialect")
    return str(text)


async def get_model(db: Database, model_id: str) -> SpiceModel:
    async with db.read() as session:
        return await fetch(session, SpiceModel, model_id, "SPICE model")
