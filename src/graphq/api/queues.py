"""Queues: the seed-compatible ``/api/queue/*`` paths plus pause, resume and dispatch."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, delete, get, post, put

from graphq.api import views
from graphq.api.auth import admin, operator
from graphq.api.schemas import DispatchOut, DispatchRequest, QueueCreate, QueueOut, QueueUpdate
from graphq.db.database import Database
from graphq.queue.front import QueueFront
from graphq.services import queues


def _settings(data: QueueCreate | QueueUpdate) -> dict[str, Any] | None:
    if data.settings is None:
        return None
    return msgspec.to_builtins(data.settings)


class QueueController(Controller):
    path = "/api"
    tags = ["queues"]

    @post("/queue/create", guards=[admin])
    async def create_queue(self, db: Database, front: QueueFront, data: QueueCreate) -> QueueOut:
        """Create a queue.

        A named queue with its mode (``automatic`` starts jobs by itself, ``manual`` only
        when dispatched), ``maxConcurrentJobs``, priority policy (``priority`` or ``fifo``)
        and ``settings`` (``maxAttempts``, ``retryBaseS``, ``retryCapS``, ``jobTimeoutS``).
        Names are unique (409 DUPLICATE_QUEUE).
        """
        fields = msgspec.structs.asdict(data)
        fields["settings"] = _settings(data) or {}
        return views.queue(front, await queues.create_queue(db, front, fields))

    @get("/queues")
    async def list_queues(self, db: Database, front: QueueFront) -> list[QueueOut]:
        """List queues.

        Every queue with its configuration, its waiting depth and its running jobs.
        """
        return [views.queue(front, q) for q in await queues.list_queues(db)]

    @get("/queue/{queue_id:str}")
    async def get_queue(self, db: Database, front: QueueFront, queue_id: str) -> QueueOut:
        """Get a queue.

        The queue's configuration, its waiting depth and its running jobs.
        """
        return views.queue(front, await queues.get_queue(db, queue_id))

    @put("/queue/{queue_id:str}", guards=[admin])
    async def update_queue(
        self, db: Database, front: QueueFront, queue_id: str, data: QueueUpdate
    ) -> QueueOut:
        """Update a queue.

        Changes the fields given; ``settings`` are merged into the queue's settings.
        ``status`` ``stopped`` refuses new jobs (409 QUEUE_STOPPED) and lets running ones
        finish. The ``default`` queue cannot be renamed.
        """
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not None}
        if data.settings is not None:
            changes["settings"] = _settings(data)
        return views.queue(front, await queues.update_queue(db, front, queue_id, changes))

    @delete("/queue/{queue_id:str}", guards=[admin])
    async def delete_queue(self, db: Database, front: QueueFront, queue_id: str) -> None:
        """Delete a queue.

        Only a queue without unfinished jobs (409 QUEUE_NOT_EMPTY) other than ``default``
        can be deleted; its finished jobs go with it.
        """
        await queues.delete_queue(db, front, queue_id)

    @post("/queue/{queue_id:str}/pause", guards=[operator])
    async def pause_queue(self, db: Database, front: QueueFront, queue_id: str) -> QueueOut:
        """Pause a queue.

        Starts no new jobs from the queue; running jobs finish. Emits
        ``queue:status_changed``.
        """
        return views.queue(
            front, await queues.update_queue(db, front, queue_id, {"status": "paused"})
        )

    @post("/queue/{queue_id:str}/resume", guards=[operator])
    async def resume_queue(self, db: Database, front: QueueFront, queue_id: str) -> QueueOut:
        """Resume a queue.

        The queue starts jobs again. Emits ``queue:status_changed``.
        """
        return views.queue(
            front, await queues.update_queue(db, front, queue_id, {"status": "active"})
        )

    @post("/queue/{queue_id:str}/dispatch", guards=[operator])
    async def dispatch(
        self, db: Database, front: QueueFront, queue_id: str, data: DispatchRequest | None = None
    ) -> DispatchOut:
        """Dispatch jobs from a manual queue.

        Lets a ``manual`` queue start its next ``count`` waiting jobs (default 1), in the
        queue's order. Credits never exceed the jobs waiting: ``dispatched`` says how many
        will start, ``waiting`` how many were waiting. 409 for an automatic queue.
        """
        count = data.count if data else 1
        waiting = await queues.dispatch(db, front, queue_id, count)
        return DispatchOut(queue_id=queue_id, dispatched=min(count, waiting), waiting=waiting)
