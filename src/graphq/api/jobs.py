"""Jobs: create, inspect, cancel, re-prioritise, retry, list."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, post, put
from litestar.params import QueryParameter

from graphq.api import views
from graphq.api.auth import operator
from graphq.api.deps import Limit, Offset
from graphq.api.schemas import (
    JobCreate,
    JobCreated,
    JobKind,
    JobList,
    JobOut,
    JobStatus,
    PriorityUpdate,
)
from graphq.runtime import Runtime
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
    async def create_job(self, rt: Runtime, data: JobCreate) -> JobCreated:
        (job,) = await jobs.create_jobs(rt, [job_request(data)])
        position, wait_s = jobs.estimated_wait_s(rt, job)
        return JobCreated(job=views.job(job), queue_position=position, estimated_wait_s=wait_s)

    @get("/job/{job_id:str}")
    async def get_job(self, rt: Runtime, job_id: str) -> JobOut:
        return views.job(await jobs.get_job(rt, job_id))

    @delete("/job/{job_id:str}", guards=[operator], status_code=200)
    async def cancel_job(self, rt: Runtime, job_id: str) -> JobOut:
        return views.job(await jobs.cancel_job(rt, job_id))

    @put("/job/{job_id:str}/priority", guards=[operator])
    async def set_priority(self, rt: Runtime, job_id: str, data: PriorityUpdate) -> JobOut:
        return views.job(await jobs.set_priority(rt, job_id, data.priority))

    @post("/job/{job_id:str}/retry", guards=[operator])
    async def retry_job(self, rt: Runtime, job_id: str) -> JobOut:
        return views.job(await jobs.retry_job(rt, job_id))

    @get("/jobs")
    async def list_jobs(
        self,
        rt: Runtime,
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
    ) -> JobList:
        filters = jobs.JobFilter(status, queue, product, batch, kind, needs_review)
        rows, total = await jobs.list_jobs(rt, filters, limit=limit, offset=offset)
        return JobList(items=[views.job(r) for r in rows], total=total, limit=limit, offset=offset)
