"""Job kinds for exercising the queue: they do real work in real worker processes.

Registered through the ``queue.handler_modules`` plug-in setting, exactly as a deployment
would add a job kind of its own.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from graphq.errors import GraphqError
from graphq.queue.registry import HandlerRegistry, JobContext, Progress

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.ext.asyncio import AsyncSession

# SQLAlchemy and the models are imported where a result is stored, in the server: every test
# app's worker processes import this module, and only to run the functions above.


def sleep_steps(payload: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Sleep ``seconds`` in ``steps`` slices, reporting progress after each."""
    steps = int(payload.get("steps", 4))
    for step in range(steps):
        time.sleep(float(payload.get("seconds", 0.2)) / steps)
        progress((step + 1) / steps, f"slept {step + 1}/{steps}")
    return {"slept": payload.get("seconds", 0.2), "pid_work_done": True}


def fail_with(payload: dict[str, Any], progress: Progress) -> None:
    progress(0.5, "about to fail")
    raise GraphqError(payload.get("code", "FLAKY"), payload.get("message", "failed on purpose"))


def fail_until_file_exists(payload: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """A dependency that is down until someone fixes it (creates the file)."""
    if not Path(payload["path"]).exists():
        raise GraphqError("DEPENDENCY_DOWN", f"{payload['path']} does not exist yet")
    return {"fixed": True}


def noop(payload: dict[str, Any], progress: Progress) -> dict[str, Any]:
    return {}


class _StoringHandler:
    """Stores one result row per completed job, so exactly-once completion is checkable."""

    kind: str
    runs_in: Literal["process", "loop"] = "process"
    # Test kinds read seconds, steps, codes and paths from free-form parameters.
    parameters_type = None

    async def store(self, ctx: JobContext, session: AsyncSession, output: Any) -> None:
        from graphq.db.models import ExtractionResult

        session.add(
            ExtractionResult(
                job_id=ctx.job.id,
                product_id=ctx.job.product_id,
                result_metadata=output or {},
                extraction_method="test",
            )
        )


class SleepHandler(_StoringHandler):
    kind = "sleep"
    compute = staticmethod(sleep_steps)

    async def prepare(self, ctx: JobContext) -> dict[str, Any]:
        return ctx.job.parameters


class FailHandler(_StoringHandler):
    kind = "fail"
    compute = staticmethod(fail_with)

    async def prepare(self, ctx: JobContext) -> dict[str, Any]:
        return ctx.job.parameters


class FlakyHandler(_StoringHandler):
    kind = "flaky"
    compute = staticmethod(fail_until_file_exists)

    async def prepare(self, ctx: JobContext) -> dict[str, Any]:
        return ctx.job.parameters


class NoopHandler(_StoringHandler):
    kind = "noop"
    runs_in: Literal["process", "loop"] = "loop"
    compute = staticmethod(noop)

    async def prepare(self, ctx: JobContext) -> dict[str, Any]:
        return {}


class StoreFailsHandler(NoopHandler):
    """Computes fine, then its ``store`` refuses the output, after adding a result row."""

    kind = "store_fails"

    async def store(self, ctx: JobContext, session: AsyncSession, output: Any) -> None:
        await super().store(ctx, session, output)
        raise GraphqError("INVALID_PARAMETERS", "the output cannot be stored")


class NeedsReviewHandler(NoopHandler):
    """Stores its result and says a person should look at it."""

    kind = "needs_review"

    async def store(self, ctx: JobContext, session: AsyncSession, output: Any) -> bool:
        await super().store(ctx, session, output)
        return True


class RowsHandler(NoopHandler):
    """Stores its result row through ``store_in``, on the completing transaction's connection."""

    kind = "rows"

    def store_in(self, ctx: JobContext, conn: Connection, output: Any) -> None:
        from sqlalchemy import Table

        from graphq.db.models import ExtractionResult
        from graphq.queue import new_rows

        results = cast(Table, ExtractionResult.__table__)
        row = {"job_id": ctx.job.id, "product_id": ctx.job.product_id, "extraction_method": "test"}
        new_rows.insert_rows(conn, results, [new_rows.table_row(results, row)])


class RowsFailHandler(RowsHandler):
    """Inserts its row through ``store_in``, then refuses the output."""

    kind = "rows_fail"

    def store_in(self, ctx: JobContext, conn: Connection, output: Any) -> None:
        super().store_in(ctx, conn, output)
        raise GraphqError("INVALID_PARAMETERS", "the output cannot be stored")


def register(registry: HandlerRegistry) -> None:
    handlers = (
        SleepHandler(),
        FailHandler(),
        FlakyHandler(),
        NoopHandler(),
        StoreFailsHandler(),
        NeedsReviewHandler(),
        RowsHandler(),
        RowsFailHandler(),
    )
    for handler in handlers:
        registry.register(handler)
