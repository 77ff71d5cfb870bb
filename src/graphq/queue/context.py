"""What the queue engine and each job run share: one bundle instead of five arguments twice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graphq.config import Settings
    from graphq.db.database import Database
    from graphq.queue.events import EventBus
    from graphq.queue.registry import HandlerRegistry
    from graphq.queue.workers import WorkerPool


@dataclass
class QueueContext:
    """The process-wide collaborators of the queue, built once by ``graphq.runtime``.

    The engine and its :class:`~graphq.queue.runs.JobRunner` hold the same instance, so a
    collaborator swapped here (a benchmark's thread pool) is swapped for both.
    """

    db: Database
    settings: Settings
    registry: HandlerRegistry
    events: EventBus
    pool: WorkerPool
