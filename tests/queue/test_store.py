"""A group's completions and result rows as the completing transaction writes them, on the
backend the suite runs on (``--backend``)."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from sqlalchemy import Connection, Table, func, select

from graphq.db.models import DeadLetter, ExtractionResult, Job
from graphq.queue import store
from graphq.queue.registry import HandlerRegistry
from tests.queue.handlers import NoopHandler
from tests.queue.helpers import claimed_jobs, job_columns, queue_database

OWNER = "host:1:abcd"
OTHER = "host:2:ef01"
# What the tests read of each job.
COMPLETION = (Job.status, Job.lease_owner, Job.actual_duration)
RESULTS = cast(Table, ExtractionResult.__table__)


async def test_a_groups_completion_refuses_only_the_job_another_owner_holds(
    tmp_path: Path,
) -> None:
    async with queue_database(tmp_path) as db:
        ours = await claimed_jobs(db, OWNER, 2)
        (theirs,) = await claimed_jobs(db, OTHER, 1)
        runs = [(ours[0], store.utcnow()), (theirs, store.utcnow()), (ours[1], None)]
        outcomes = await db.transact(lambda conn: store.mark_all_completed(conn, OWNER, runs))
        rows = await job_columns(db, [*ours, theirs], *COMPLETION)
    assert outcomes == [True, False, True]
    assert rows[theirs][:2] == ("processing", OTHER)
    assert rows[ours[0]][:2] == rows[ours[1]][:2] == ("completed", None)
    assert rows[ours[0]][2] is not None  # its duration, from the start it was given
    assert rows[ours[1]][2] is None  # no start given, no duration


class DeadHookFails(NoopHandler):
    """A job kind whose dead-letter hook has a bug of its own."""

    def on_dead_in(self, conn: Connection, job_id: str) -> None:
        raise RuntimeError("the hook's own bug")


async def test_a_dead_letter_hook_that_raises_does_not_keep_the_job_out_of_the_dlq(
    tmp_path: Path,
) -> None:
    registry = HandlerRegistry()
    registry.register(DeadHookFails())
    async with queue_database(tmp_path) as db:
        (job,) = await claimed_jobs(db, OWNER, 1)
        moved = await store.dead_letter(db, registry, job, OWNER, "TIMEOUT", "too slow")
        rows = await job_columns(db, [job], Job.status, Job.lease_owner)
        async with db.read() as session:
            letters = await session.scalar(
                select(func.count()).select_from(DeadLetter).where(DeadLetter.job_id == job)
            )
    assert moved and rows[job] == ("dead", None) and letters == 1
