"""Job kinds: what a job does is registered here; the engine knows only this protocol.

A handler splits its work in three so that only the CPU-heavy middle leaves the event loop:
``prepare`` loads inputs (async, database), ``compute`` is a plain picklable module-level
function run in a worker process, ``store`` writes the outcome inside the same transaction
that marks the job completed, so a job is never completed twice. ``store`` runs where that
transaction runs (on SQLite, the database writer's thread and loop, see
:meth:`graphq.db.database.Database.transact_session`): it awaits only its session. A handler
may also define ``async on_dead(ctx)``, called once the job lands in the dead-letter queue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

from graphq.errors import GraphqError

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from graphq.config import Settings
    from graphq.db.database import Database

# progress(fraction 0..1 of the compute stage, human step)
Progress = Callable[[float, str], None]


@dataclass(frozen=True, slots=True)
class JobSnapshot:
    """The job as the handler sees it: plain values, no ORM object crosses await points."""

    id: str
    kind: str
    queue_id: str
    product_id: str
    image_id: str | None
    priority: str
    attempts: int
    max_attempts: int
    extraction_method: str
    parameters: dict[str, Any]


@dataclass(frozen=True, slots=True)
class JobContext:
    job: JobSnapshot
    db: Database
    settings: Settings


class JobHandler(Protocol):
    kind: str
    # "process": compute runs in a worker process (CPU-heavy work; cancellation kills it).
    # "loop": compute is cheap and runs inline on the event loop.
    runs_in: Literal["process", "loop"]

    async def prepare(self, ctx: JobContext) -> Any: ...

    @property
    def compute(self) -> Callable[[Any, Progress], Any]: ...

    async def store(self, ctx: JobContext, session: AsyncSession, output: Any) -> None: ...


class HandlerRegistry:
    def __init__(self) -> None:
        self._handlers: dict[str, JobHandler] = {}

    def register(self, handler: JobHandler) -> None:
        self._handlers[handler.kind] = handler

    def get(self, kind: str) -> JobHandler:
        try:
            return self._handlers[kind]
        except KeyError:
            raise GraphqError("UNKNOWN_JOB_KIND", f"no handler for job kind {kind!r}") from None

    def kinds(self) -> list[str]:
        return sorted(self._handlers)

    def __contains__(self, kind: str) -> bool:
        return kind in self._handlers
