"""Batches of jobs created together."""

from __future__ import annotations

from litestar import Controller, get, post

from graphq.api import views
from graphq.api.auth import operator
from graphq.api.jobs import job_request
from graphq.api.schemas import BatchCreate, BatchOut
from graphq.db.database import Database
from graphq.queue.front import QueueFront
from graphq.services import batches


class BatchController(Controller):
    path = "/api/batch"
    tags = ["batches"]

    @post("/create", guards=[operator])
    async def create_batch(self, db: Database, front: QueueFront, data: BatchCreate) -> BatchOut:
        """Create a batch of jobs.

        Creates every job of ``jobs`` (each a job/create body) in one go, all or none;
        ``queueId`` and ``priority`` apply to jobs that do not name their own.
        """
        requests = [job_request(j) for j in data.jobs]
        batch, jobs = await batches.create_batch(
            db, front, data.name, data.queue_id, data.priority, requests
        )
        return views.batch(batch, jobs)

    @get("/{batch_id:str}")
    async def get_batch(self, db: Database, batch_id: str) -> BatchOut:
        """Get a batch.

        The batch's jobs and its status and counts, derived from them.
        """
        return views.batch(*await batches.get_batch(db, batch_id))

    @post("/{batch_id:str}/cancel", guards=[operator], status_code=200)
    async def cancel_batch(self, db: Database, front: QueueFront, batch_id: str) -> BatchOut:
        """Cancel a batch.

        Cancels every unfinished job of the batch, waiting ones before running ones.
        """
        return views.batch(*await batches.cancel_batch(db, front, batch_id))

    @post("/{batch_id:str}/retry-failed", guards=[operator], status_code=200)
    async def retry_failed(self, db: Database, front: QueueFront, batch_id: str) -> BatchOut:
        """Retry a batch's failed jobs.

        Requeues the batch's dead and failed jobs and marks their dead letters reprocessed.
        """
        return views.batch(*await batches.retry_failed(db, front, batch_id))
