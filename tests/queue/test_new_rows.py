"""New rows name every column: the caller's values, then the defaults, made anew per row."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from sqlalchemy import Table, select

from graphq.db.models import ExtractionResult, Job
from graphq.queue import new_rows
from tests.queue.helpers import queue_database

RESULTS = cast(Table, ExtractionResult.__table__)


def test_a_new_row_names_every_column_with_the_given_values_over_the_defaults() -> None:
    row = new_rows.job_row({"product_id": "p", "queue_id": "q", "priority": "high"})
    assert set(row) == set(new_rows.JOBS.c.keys())
    assert (row["priority"], row["status"], row["attempts"], row["max_attempts"]) == (
        "high",
        "queued",
        0,
        3,
    )
    assert row["created_at"] == row["updated_at"] and row["created_at"].tzinfo is not None
    assert row["completed_at"] is None


def test_defaults_made_per_row_are_never_shared_between_rows() -> None:
    first, second = (new_rows.table_row(RESULTS, {"job_id": "j"}) for _ in range(2))
    assert first["id"] != second["id"]
    assert first["review_reasons"] == [] and first["review_reasons"] is not second["review_reasons"]
    first["metadata"]["seen"] = True
    assert second["metadata"] == {}


async def test_enqueued_jobs_are_stored_as_the_rows_that_were_built(tmp_path: Path) -> None:
    given = {"product_id": "p", "queue_id": "q", "kind": "noop", "enqueued_ns": 5}
    async with queue_database(tmp_path) as db:
        await new_rows.enqueue(db, [{"id": "a", **given}, {"id": "b", **given, "priority": "low"}])
        async with db.read() as session:
            rows = (
                await session.execute(select(Job.id, Job.status, Job.priority).order_by(Job.id))
            ).all()
    assert [tuple(row) for row in rows] == [("a", "queued", "normal"), ("b", "queued", "low")]
