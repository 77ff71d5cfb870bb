"""Queue statistics, counted from the database."""

from __future__ import annotations

from litestar import Controller, get

from graphq.db.database import Database
from graphq.services import stats
from graphq.services.stats import GlobalStats, QueueStats


class StatsController(Controller):
    path = "/api/stats"
    tags = ["monitoring"]

    @get("/queue/{queue_id:str}")
    async def queue_stats(self, db: Database, queue_id: str) -> QueueStats:
        """Queue statistics.

        Counts by status, depth, running jobs and durations of one queue.
        """
        return await stats.queue_stats(db, queue_id)

    @get("/global")
    async def global_stats(self, db: Database) -> GlobalStats:
        """Global statistics.

        Counts by status across every queue, and the dead-letter queue's size.
        """
        return await stats.global_stats(db)
