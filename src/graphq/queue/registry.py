"""Job kinds: what a job does is registered here; the engine knows only this protocol.

A handler splits its work in three so that only the CPU-heavy middle leaves the event loop:
``prepare`` loads inputs (async, database), ``compute`` is a plain picklable module-level
function run in a worker process, ``store`` writes the outcome inside the same transaction
that marks the job completed, so a job is never completed twice. ``store`` runs where that
transaction runs (on SQLite, the database writer's thread and loop, see
:meth:`graphq.db.database.Database.transact_session`): it awaits only its session. ``store``
returns True when what it stored needs a person's look (:mod:`graphq.review`); the queue then
marks the job in the same transaction and says so in ``job:completed``. A kind whose result
is plain rows may also define ``store_in(ctx, connection, output)``, which the queue then
calls in place of ``store``: a plain function that hands its rows to
:func:`graphq.queue.new_rows.insert_rows` (and its changes to existing rows to
:func:`graphq.queue.row_updates.update_rows`) on the completing transaction's own connection,
which spares the ORM session (:mod:`graphq.queue.completions`). It does nothing else with the
database: on PostgreSQL the rows are gathered and go in with the group's completions as one
statement, kept to the jobs still ours (:mod:`graphq.queue.row_completions`), and the
statement may run again. Files it writes are therefore named by the run (the job and its
attempt): they are written before the run learns whether the job is still its own.
A handler may also define ``on_dead_in(connection, job_id)``: a plain function that marks what
the job was for (its image, its datasheet) as failed. It runs inside the transaction that moves
the job to the dead-letter queue, whether its last run failed or its lease expired, so no reader
sees a dead job whose image still says "processing", and no crash leaves one (a hook that
raises is logged, and the job dead-lettered without it).

A handler names the msgspec Struct its ``parameters`` must decode into (``parameters_type``;
``None`` for free-form parameters), and every route that creates a job checks them through
:meth:`HandlerRegistry.check_parameters`, so no kind's parameters reach its work unchecked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

import msgspec

from graphq.errors import GraphqError

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from graphq.config import Settings
    from graphq.db.database import Database

# Job parameters are a few settings, never data: anything larger is refused at creation, so
# job listings and the monitor stay small whatever clients send.
MAX_PARAMETERS_BYTES = 64 * 1024

# progress(fraction 0..1 of the compute stage, human step)
Progress = Callable[[float, str], None]


def stage_progress(progress: Progress, start: float, span: float) -> Progress:
    """The progress of one stage (0..1 of it) as progress of the whole compute stage."""

    def report(fraction: float, step: str) -> None:
        progress(start + min(max(fraction, 0.0), 1.0) * span, step)

    return report


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

    # What ``parameters`` decode into (unknown fields refused); None leaves them free-form.
    # Read-only, so a handler may name its own Struct subclass.
    @property
    def parameters_type(self) -> type[msgspec.Struct] | None: ...

    async def prepare(self, ctx: JobContext) -> Any: ...

    @property
    def compute(self) -> Callable[[Any, Progress], Any]: ...

    async def store(self, ctx: JobContext, session: AsyncSession, output: Any) -> bool | None: ...


S = TypeVar("S", bound=msgspec.Struct)


def decode_parameters(kind: str, parameters: dict[str, Any], parameters_type: type[S]) -> S:
    """``parameters`` as ``parameters_type``, or ``INVALID_PARAMETERS`` saying what is wrong."""
    try:
        return msgspec.convert(parameters, parameters_type)
    except msgspec.ValidationError as exc:
        raise GraphqError("INVALID_PARAMETERS", f"{kind} job parameters: {exc}") from None


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

    def check_parameters(self, kind: str, parameters: dict[str, Any]) -> None:
        """Raise ``INVALID_PARAMETERS`` unless ``parameters`` suit a job of ``kind``."""
        size = len(msgspec.json.encode(parameters))
        if size > MAX_PARAMETERS_BYTES:
            raise GraphqError(
                "INVALID_PARAMETERS",
                f"job parameters are {size} bytes of JSON; the limit is {MAX_PARAMETERS_BYTES}",
            )
        parameters_type = self.get(kind).parameters_type
        if parameters_type is not None:
            decode_parameters(kind, parameters, parameters_type)

    def kinds(self) -> list[str]:
        return sorted(self._handlers)

    def __contains__(self, kind: str) -> bool:
        return kind in self._handlers
