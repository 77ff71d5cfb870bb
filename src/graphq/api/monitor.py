"""One monitoring endpoint with several views, all read from the database."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from litestar import Controller, get
from litestar.params import Parameter

from graphq.api import views
from graphq.api.schemas import DeadLetterOut, JobOut
from graphq.config import Settings
from graphq.db.database import Database
from graphq.queue.front import QueueFront
from graphq.schema_base import Struct
from graphq.services import monitor, stats
from graphq.services.monitor import ErrorReport, Health, HourStats, Performance
from graphq.services.stats import GlobalStats, QueueStats

View = Literal[
    "dashboard", "health", "queue", "performance", "errors", "dlq", "recent-jobs", "hourly-stats"
]
DASHBOARD_RECENT_JOBS = 10


class Dashboard(Struct):
    health: Health
    stats: GlobalStats
    queues: list[QueueStats]
    recent_jobs: list[JobOut]
    # Completed jobs whose result needs a person's look (graphq.review).
    needs_review: int


class QueuesView(Struct):
    queues: list[QueueStats]


class DeadLetterView(Struct):
    size: int
    by_code: dict[str, int]
    oldest_at: datetime | None
    items: list[DeadLetterOut]


class RecentJobs(Struct):
    items: list[JobOut]


class HourlyStats(Struct):
    hours: list[HourStats]


MonitorOut = (
    Dashboard
    | Health
    | QueuesView
    | Performance
    | ErrorReport
    | DeadLetterView
    | RecentJobs
    | HourlyStats
)


class MonitorController(Controller):
    path = "/api/monitor"
    tags = ["monitoring"]

    @get("/")
    async def monitor(
        self,
        db: Database,
        front: QueueFront,
        app_settings: Settings,
        view: View = "dashboard",
        limit: Annotated[int, Parameter(ge=1, le=500, description="rows in list views")] = 50,
        hours: Annotated[int, Parameter(ge=1, le=168, description="hourly-stats window")] = 24,
    ) -> MonitorOut:
        """Monitoring views.

        ``view`` picks one: ``dashboard`` (all of it), ``health`` (healthy, degraded or
        unhealthy from the ``[monitor]`` thresholds: queue depth, DLQ size, success rate,
        average duration), ``queue``, ``performance``, ``errors``, ``dlq``, ``recent-jobs``
        or ``hourly-stats`` (over ``hours``).
        """
        if view == "health":
            return await monitor.health(db, app_settings.monitor)
        if view == "queue":
            return QueuesView(queues=await stats.all_queue_stats(db))
        if view == "performance":
            return await monitor.performance(db, front)
        if view == "errors":
            return await monitor.errors(db)
        if view == "dlq":
            size, by_code, oldest, letters = await monitor.dead_letter_summary(db, limit)
            return DeadLetterView(
                size=size,
                by_code=by_code,
                oldest_at=oldest,
                items=[views.dead_letter(d) for d in letters],
            )
        if view == "recent-jobs":
            return RecentJobs(items=[views.job(j) for j in await monitor.recent_jobs(db, limit)])
        if view == "hourly-stats":
            return HourlyStats(hours=await monitor.hourly_stats(db, hours))
        overall, queues = await stats.overview(db)
        return Dashboard(
            health=await monitor.health_of(db, app_settings.monitor, overall, queues),
            stats=overall,
            queues=queues,
            recent_jobs=[
                views.job(j) for j in await monitor.recent_jobs(db, DASHBOARD_RECENT_JOBS)
            ],
            needs_review=await monitor.jobs_needing_review(db),
        )
