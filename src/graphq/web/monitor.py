"""The queue monitor: health, queues, running jobs and the dead-letter queue, live.

Read through the services behind ``GET /api/monitor`` and ``/api/queues``; pause, resume and
reprocess call what ``POST /api/queue/{id}/pause|resume`` and ``/api/dlq/{id}/reprocess``
call, with the same roles (operator; admin for the DLQ).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from graphq.api import views
from graphq.config import Settings
from graphq.db.database import Database
from graphq.errors import GraphqError
from graphq.queue.front import QueueFront
from graphq.services import dlq, monitor, queues, stats
from graphq.web.access import Visitor, checked_form
from graphq.web.pages import done, failed, fragment, render

RECENT_JOBS_SHOWN = 20
DEAD_LETTERS_SHOWN = 20


async def _monitor_context(db: Database, front: QueueFront, settings: Settings) -> dict[str, Any]:
    queue_rows = await queues.list_queues(db)
    counted = {s.queue_id: s for s in await stats.all_queue_stats(db)}
    size, by_code, _, letters = await monitor.dead_letter_summary(db, DEAD_LETTERS_SHOWN)
    return {
        "health": await monitor.health(db, settings.monitor),
        "queues": [(views.queue(front, q), counted.get(q.id)) for q in queue_rows],
        "jobs": [views.job(j) for j in await monitor.recent_jobs(db, RECENT_JOBS_SHOWN)],
        "needs_review": await monitor.jobs_needing_review(db),
        "dlq_size": size,
        "dlq_by_code": by_code,
        "dead_letters": [views.dead_letter(d) for d in letters],
    }


class MonitorPages(Controller):
    path = "/"

    @get("/monitor")
    async def monitor_page(
        self, db: Database, front: QueueFront, app_settings: Settings, visitor: Visitor
    ) -> Template:
        return render(visitor, "monitor.html", **await _monitor_context(db, front, app_settings))

    @get("/monitor/live")
    async def monitor_live(
        self, db: Database, front: QueueFront, app_settings: Settings, visitor: Visitor
    ) -> Template:
        return fragment(
            visitor, "monitor_live.html", **await _monitor_context(db, front, app_settings)
        )

    @post("/queues/{queue_id:str}/{action:str}", status_code=303)
    async def queue_action(
        self,
        db: Database,
        front: QueueFront,
        request: Request[Any, Any, Any],
        visitor: Visitor,
        queue_id: str,
        action: str,
    ) -> Redirect:
        await checked_form(request, visitor)
        visitor.need("operator")
        status = {"pause": "paused", "resume": "active"}.get(action)
        try:
            if status is None:
                raise GraphqError("NOT_FOUND", f"no queue action {action!r}")
            queue = await queues.update_queue(db, front, queue_id, {"status": status})
        except GraphqError as error:
            return failed(visitor, "/monitor", error)
        return done(visitor, "/monitor", f"queue {queue.name} is {queue.status}")

    @post("/dlq/{dead_letter_id:str}/reprocess", status_code=303)
    async def reprocess(
        self,
        db: Database,
        front: QueueFront,
        request: Request[Any, Any, Any],
        visitor: Visitor,
        dead_letter_id: str,
    ) -> Redirect:
        form = await checked_form(request, visitor)
        visitor.need("admin")
        notes = form.get("notes")
        try:
            _, job = await dlq.reprocess(
                db, front, dead_letter_id, notes if isinstance(notes, str) else "", None
            )
        except GraphqError as error:
            return failed(visitor, "/monitor", error)
        return done(visitor, "/monitor", f"reprocessing as job {job.id}")
