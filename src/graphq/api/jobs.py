"""Jobs: create, inspect, cancel, re-prioritise, retry, list."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, post, put
from litestar.params import QueryParameter

from graphq.api import views
from graphq.api.auth import operator
from graphq.api.deps import Cursor, Limit, Offset
from graphq.api.schemas import (
    JobCreate,
    JobCreated,
    JobKind,
    JobList,
    JobOut,
    JobStatus,
    PriorityUpdate,
)
from graphq.db.database import Database
from graphq.queue.front import QueueFront
from graphq.services import jobs


def job_request(data: JobCreate) -> jobs.JobRequest:
    return jobs.JobRequest(
        product_id=data.product_id,
        kind=data.kind,
        image_id=data.image_id,
        queue_id=data.queue_id,
        priority=data.priority,
        extraction_method=data.extraction_method,
        parameters=data.parameters,
    )


class JobController(Controller):
    path = "/api"
    tags = ["jobs"]

    @post("/job/create", guards=[operator])
    async def create_job(self, db: Database, front: QueueFront, data: JobCreate) -> JobCreated:
        """Create a job.

        Queues one job: ``kind`` (``digitize`` needs an ``imageId``; ``spice_fit`` a product
        with digitized graphs, else 409 MISSING_CURVES), ``priority`` (``low`` …
        ``urgent``), ``queueId`` (default: the ``default`` queue), ``extractionMethod`` and
        the kind's ``parameters`` (checked at once: 422 INVALID_PARAMETERS). Answers with
        the job, its place in line and an estimated wait in seconds.
        """
        (job,) = await jobs.create_jobs(db, front, [job_request(data)])
        position, wait_s = jobs.estimated_wait_s(front, job)
        return JobCreated(job=views.job(job), queue_position=position, estimated_wait_s=wait_s)

    @get("/job/{job_id:str}")
    async def get_job(self, db: Database, job_id: str) -> JobOut:
        """Get a job.

        The job's status, progress, current step, attempts, error and timings;
        ``needsReview`` once its result needs a person's look.
        """
        return views.job(await jobs.get_job(db, job_id))

    @delete("/job/{job_id:str}", guards=[operator], status_code=200)
    async def cancel_job(self, db: Database, front: QueueFront, job_id: str) -> JobOut:
        """Cancel a job.

        A waiting job never starts; a running one stops within a second and frees its slot.
        409 JOB_FINISHED for a job that has already ended.
        """
        return views.job(await jobs.cancel_job(db, front, job_id))

    @put("/job/{job_id:str}/priority", guards=[operator])
    async def set_priority(
        self, db: Database, front: QueueFront, job_id: str, data: PriorityUpdate
    ) -> JobOut:
        """Change a job's priority.

        Only a waiting job can be re-prioritised (409 JOB_NOT_WAITING); it moves to its new
        place in line.
        """
        return views.job(await jobs.set_priority(db, front, job_id, data.priority))

    @post("/job/{job_id:str}/retry", guards=[operator])
    async def retry_job(self, db: Database, front: QueueFront, job_id: str) -> JobOut:
        """Retry a job.

        Puts a dead, failed or cancelled job back in line with a fresh attempt budget; a
        dead job's dead letter is marked reprocessed. 409 JOB_NOT_RETRYABLE otherwise.
        """
        return views.job(await jobs.retry_job(db, front, job_id))

    @get("/jobs")
    async def list_jobs(
        self,
        db: Database,
        status: JobStatus | None = None,
        queue: str | None = None,
        product: str | None = None,
        batch: str | None = None,
        kind: JobKind | None = None,
        needs_review: Annotated[
            bool | None,
            QueryParameter(
                name="needsReview", description="completed jobs whose result needs review"
            ),
        ] = None,
        limit: Limit = 50,
        offset: Offset = 0,
        cursor: Cursor = None,
    ) -> JobList:
        """List jobs.

        Jobs newest first, filtered by ``status``, ``queue`` (a queue id), ``product``,
        ``batch``, ``kind`` and ``needsReview``, a page at a time.
        """
        filters = jobs.JobFilter(status, queue, product, batch, kind, needs_review)
        rows, total = await jobs.list_jobs(db, filters, limit=limit, offset=offset, cursor=cursor)
        next_cursor = jobs.JOB_ORDER.cursor_of(rows[-1]) if len(rows) == limit else None
        return JobList(
            items=[views.job(r) for r in rows],
            total=total,
            limit=limit,
            offset=offset,
            next_cursor=next_cursor,
        )
