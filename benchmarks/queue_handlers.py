"""Job kinds for the queue benchmarks: a no-op and a CPU-bound spin.

Both store one result row, as every real job kind does, so the benchmarks exercise the whole
durable path: claim, run, complete with a result, all committed to SQLite. The row goes in as
one plain INSERT on the completing transaction's connection (``store_in`` through
``new_rows.insert_rows``), as Huey's result goes in as one row: what is measured is the queue's
cost, not the ORM's unit of work.
"""

from __future__ import annotations

import time
from typing import Any, Literal, cast

from sqlalchemy import Connection, Table
from sqlalchemy.ext.asyncio import AsyncSession

from graphq.db.models import ExtractionResult
from graphq.queue import new_rows
from graphq.queue.registry import HandlerRegistry, JobContext, Progress

_RESULTS = cast(Table, ExtractionResult.__table__)


def do_nothing(payload: dict[str, Any], progress: Progress) -> dict[str, Any]:
    return {}


def spin(payload: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Hold the CPU (and, in a thread, the GIL) in pure Python for ``seconds``."""
    deadline = time.perf_counter() + float(payload.get("seconds", 1.0))
    total = 0
    while time.perf_counter() < deadline:
        for i in range(10_000):
            total += i * i
    return {"total": total % 1000}


class _BenchHandler:
    kind: str
    runs_in: Literal["process", "loop"]
    parameters_type = None

    async def prepare(self, ctx: JobContext) -> dict[str, Any]:
        return ctx.job.parameters

    def store_in(self, ctx: JobContext, conn: Connection, output: Any) -> None:
        row = {
            "job_id": ctx.job.id,
            "product_id": ctx.job.product_id,
            "metadata": output,
            "extraction_method": "bench",
        }
        new_rows.insert_rows(conn, _RESULTS, [new_rows.table_row(_RESULTS, row)])

    async def store(self, ctx: JobContext, session: AsyncSession, output: Any) -> None:
        """Unused while ``store_in`` exists; the registry's protocol asks for it."""
        await session.run_sync(lambda s: self.store_in(ctx, s.connection(), output))


class NoopHandler(_BenchHandler):
    kind = "bench_noop"
    runs_in: Literal["process", "loop"] = "loop"
    compute = staticmethod(do_nothing)


class SpinHandler(_BenchHandler):
    kind = "bench_spin"
    runs_in: Literal["process", "loop"] = "process"
    compute = staticmethod(spin)


def register(registry: HandlerRegistry) -> None:
    registry.register(NoopHandler())
    registry.register(SpinHandler())
