"""ORM rows to API Structs: the one place that knows both shapes.

Each view is one :func:`msgspec.convert` of the row (fields read by name, values checked
against the Struct's types); only what the API names or shapes differently is given by hand.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, TypeVar

import msgspec
from sqlalchemy import Row

from graphq.api import schemas as s
from graphq.db import models as m
from graphq.queue.front import QueueFront
from graphq.services.batches import batch_status
from graphq.services.datasheets import DatasheetDetail

T = TypeVar("T")


class _Renamed:
    """A row seen with some attributes replaced or added: the API's names for its columns."""

    def __init__(self, row: object, fields: dict[str, Any]) -> None:
        self._row = row
        self.__dict__.update(fields)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, name)


def _view(row: object, shape: type[T], **fields: Any) -> T:
    """``row`` as ``shape``; ``fields`` are those the row holds under another name or form."""
    return msgspec.convert(_Renamed(row, fields) if fields else row, shape, from_attributes=True)


def product(row: m.Product) -> s.ProductOut:
    return _view(row, s.ProductOut)


def image(row: m.GraphImage) -> s.ImageOut:
    # ``dimensions`` reads the row's width and height; ``metadata`` is reserved on ORM classes.
    return _view(row, s.ImageOut, dimensions=row, metadata=row.graph_meta)


def datasheet(detail: DatasheetDetail) -> s.DatasheetOut:
    graphs = [
        _view(
            graph.image,
            s.DatasheetGraphOut,
            image_id=graph.image.id,
            result_id=graph.result.id if graph.result else None,
            needs_review=bool(graph.result and graph.result.needs_review),
        )
        for graph in detail.graphs
    ]
    return _view(
        detail.datasheet,
        s.DatasheetOut,
        job_id=detail.job.id if detail.job else None,
        needs_review=any(graph.needs_review for graph in graphs),
        graphs=graphs,
    )


def queue(front: QueueFront, row: m.ExtractionQueue) -> s.QueueOut:
    """A queue's row with its load now: waiting jobs (``depth``) and running ones."""
    return _view(
        row,
        s.QueueOut,
        settings=row.settings or {},
        depth=front.depth(row.id),
        running=front.running(row.id),
    )


def job(row: m.Job | Row[Any]) -> s.JobOut:
    """A job from its ORM row, or from its table row as :func:`graphq.services.jobs.get_job`
    reads it."""
    error = None
    if row.error_code:
        error = s.JobError(code=row.error_code, message=row.error_message or "")
    return _view(row, s.JobOut, error=error, parameters=row.parameters or {})


def batch(row: m.Batch, jobs: list[m.Job]) -> s.BatchOut:
    counts = Counter(j.status for j in jobs)
    return _view(
        row,
        s.BatchOut,
        status=batch_status(counts),
        counts=dict(counts),
        total=len(jobs),
        jobs=[job(j) for j in jobs],
    )


def dead_letter(row: m.DeadLetter) -> s.DeadLetterOut:
    error = s.JobError(code=row.error_code, message=row.error_message)
    return _view(row, s.DeadLetterOut, error=error)


def result(row: m.ExtractionResult) -> s.ResultOut:
    return _view(row, s.ResultOut, metadata=row.result_metadata, reasons=row.review_reasons or [])


def spice_model(row: m.SpiceModel) -> s.SpiceModelOut:
    return _view(row, s.SpiceModelOut, reasons=row.review_reasons or [])


def api_key(row: m.ApiKey) -> s.KeyOut:
    return _view(row, s.KeyOut)
