"""Queues: the seed-compatible ``/api/queue/*`` paths plus pause, resume and dispatch."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, delete, get, post, put

from graphq.api import views
from graphq.api.auth import admin, operator
from graphq.api.schemas import DispatchOut, DispatchRequest, QueueCreate, QueueOut, QueueUpdate
from graphq.runtime import Runtime
from graphq.services import queues


def _settings(data: QueueCreate | QueueUpdate) -> dict[str, Any] | None:
    if data.settings is None:
        return None
    return msgspec.to_builtins(data.settings)


class QueueController(Controller):
    path = "/api"
    tags = ["queues"]

    @post("/queue/create", guards=[admin])
    async def create_queue(self, rt: Runtime, data: QueueCreate) -> QueueOut:
        fields = msgspec.structs.asdict(data)
        fields["settings"] = _settings(data) or {}
        return views.queue(rt, await queues.create_queue(rt, fields))

    @get("/queues")
    async def list_queues(self, rt: Runtime) -> list[QueueOut]:
        return [views.queue(rt, q) for q in await queues.list_queues(rt)]

    @get("/queue/{queue_id:str}")
    async def get_queue(self, rt: Runtime, queue_id: str) -> QueueOut:
        return views.queue(rt, await queues.get_queue(rt, queue_id))

    @put("/queue/{queue_id:str}", guards=[admin])
    async def update_queue(self, rt: Runtime, queue_id: str, data: QueueUpdate) -> QueueOut:
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not None}
        if data.settings is not None:
            changes["settings"] = _settings(data)
        return views.queue(rt, await queues.update_queue(rt, queue_id, changes))

    @delete("/queue/{queue_id:str}", guards=[admin])
    async def delete_queue(self, rt: Runtime, queue_id: str) -> None:
        await queues.delete_queue(rt, queue_id)

    @post("/queue/{queue_id:str}/pause", guards=[operator])
    async def pause_queue(self, rt: Runtime, queue_id: str) -> QueueOut:
        return views.queue(rt, await queues.update_queue(rt, queue_id, {"status": "paused"}))

    @post("/queue/{queue_id:str}/resume", guards=[operator])
    async def resume_queue(self, rt: Runtime, queue_id: str) -> QueueOut:
        return views.queue(rt, await queues.update_queue(rt, queue_id, {"status": "active"}))

    @post("/queue/{queue_id:str}/dispatch", guards=[operator])
    async def dispatch(
        self, rt: Runtime, queue_id: str, data: DispatchRequest | None = None
    ) -> DispatchOut:
        count = data.count if data else 1
        waiting = await queues.dispatch(rt, queue_id, count)
        return DispatchOut(queue_id=queue_id, dispatched=min(count, waiting), waiting=waiting)
