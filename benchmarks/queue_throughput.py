"""Queue throughput: no-op jobs through graphq's durable path, and the same on Huey's SQLite queue.

graphq: each job is committed as ``queued`` (through the job service the API uses, straight
into the queue's table, or as one batch), claimed under a lease, run, and completed together
with its result row, every step committed to one SQLite file. Huey: ``SqliteHuey`` on a file,
a consumer with worker threads, a task that returns ``True`` (so a result is stored). Both
clocks run from the first enqueue until every result is stored, both polled every 5 ms. The
table says which journal mode and ``synchronous`` level each run's connections really had:
Huey's default leaves SQLite's ``synchronous=FULL`` (an fsync per commit), graphq runs
``synchronous=NORMAL`` (WAL: a commit survives a process crash, ``kill -9``; a power cut may
lose the last commits), so the like-for-like peer is Huey with ``synchronous=NORMAL``.

    .venv/bin/python -m benchmarks.queue_throughput [--jobs 1000] [--workers 2]
"""

from __future__ import annotations

import argparse
import logging
import sqlite3
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import anyio

from graphq.config import Settings, load_settings
from graphq.db.migrate import upgrade
from graphq.db.models import new_id
from graphq.queue import new_rows
from graphq.runtime import build_runtime
from graphq.services import jobs, products
from graphq.services.queues import ensure_default_queue

POLL_S = 0.005
SYNCHRONOUS = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}


def graphq_settings(data_dir: Path, workers: int) -> Settings:
    return load_settings(
        Path("/nonexistent/config.toml"),
        environ={},
        overrides={
            "storage": {"data_dir": str(data_dir)},
            "queue": {"worker_slots": workers, "backpressure_depth": 1_000_000},
            "server": {"log_level": "WARNING"},
        },
    )


ENQUEUE_PATHS = {
    "service": "graphq, enqueue via job service",
    "table": "graphq, enqueue via queue table",
    "batch": "graphq, one batch (api/batch/create)",
}


def pragmas(conn: sqlite3.Connection) -> str:
    """The journal mode and durability level a connection really runs with."""
    journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
    synchronous = SYNCHRONOUS[conn.execute("PRAGMA synchronous").fetchone()[0]]
    return f"{journal.upper()}, synchronous={synchronous}"


async def run_graphq(
    count: int, workers: int, data_dir: Path, *, path: str
) -> tuple[float, float, str]:
    """Enqueue one job at a time through the job service (what ``POST /api/job/create`` runs:
    it validates the product, resolves the queue and estimates the wait, then commits), or
    straight into the queue's table and index (one INSERT per job, as Huey does); or all jobs
    in one service call, as ``POST /api/batch/create`` does. Returns the seconds, this
    process's CPU seconds over the same span, and the SQLite settings in force."""
    settings = graphq_settings(data_dir, workers)
    await anyio.to_thread.run_sync(upgrade, settings)
    rt = build_runtime(settings, handler_modules=["benchmarks.queue_handlers"])
    queue = await ensure_default_queue(rt.db, rt.front)
    product = await products.create_product(rt.db, {"name": "bench", "part_number": "BENCH"})

    def request() -> jobs.JobRequest:
        return jobs.JobRequest(product.id, kind="bench_noop", queue_id=queue.id)

    async def enqueue() -> None:
        if path == "service":
            await jobs.create_jobs(rt.db, rt.front, [request()])
            return
        job: dict[str, Any] = {
            "id": new_id(),
            "product_id": product.id,
            "queue_id": queue.id,
            "kind": "bench_noop",
            "status": "queued",
            "priority": "normal",
            "enqueued_ns": time.time_ns(),
            "current_step": "queued",
        }
        await new_rows.enqueue(rt.db, [job])
        rt.engine.enqueued(job["id"], queue.id, job["priority"], job["enqueued_ns"])

    done = completed_counter(data_dir / "graphq.db", "extraction_results")
    async with anyio.create_task_group() as tg:
        await tg.start(rt.engine.run)
        await rt.engine.ctx.pool.started.wait()  # like Huey's consumer: workers up before the clock
        began, cpu_began = time.perf_counter(), time.process_time()
        if path == "batch":
            await jobs.create_jobs(rt.db, rt.front, [request() for _ in range(count)])
        else:
            for _ in range(count):
                await enqueue()
        while done() < count:  # noqa: ASYNC110 - polled like the Huey run, for a fair clock
            await anyio.sleep(POLL_S)
        elapsed, cpu_s = time.perf_counter() - began, time.process_time() - cpu_began
        await rt.engine.shutdown()
    assert rt.db.writer is not None
    with rt.db.writer.engine.connect() as conn:
        settings_used = pragmas(conn.connection.dbapi_connection)  # type: ignore[arg-type]
    await rt.db.dispose()
    return elapsed, cpu_s, settings_used


def completed_counter(db_path: Path, table: str) -> Callable[[], int]:
    """Rows stored in ``table``, which only ever gains rows during a run.

    Read as the largest rowid, which SQLite finds in one index descent: a ``count(*)`` every
    5 ms walks the whole table, and would charge the slower system more, as the table grows.
    """
    conn = sqlite3.connect(db_path, timeout=10, check_same_thread=False)
    sql = f"SELECT coalesce(max(rowid), 0) FROM {table}"
    return lambda: int(conn.execute(sql).fetchone()[0])


def run_huey(
    count: int, workers: int, data_dir: Path, *, synchronous: str | None
) -> tuple[float, float, str]:
    """Huey with its defaults (``synchronous`` None) or with graphq's ``synchronous=NORMAL``."""
    from huey import SqliteHuey  # type: ignore[import-untyped]
    from huey.storage import SqliteStorage  # type: ignore[import-untyped]

    class Storage(SqliteStorage):
        def _create_connection(self) -> sqlite3.Connection:
            conn = super()._create_connection()
            if synchronous is not None:
                conn.execute(f"pragma synchronous={synchronous}")
            return conn

    class Huey(SqliteHuey):
        storage_class = Storage

    db_path = data_dir / f"huey-{synchronous or 'default'}-{time.time_ns()}.db"
    huey = Huey("bench", filename=str(db_path))

    @huey.task()
    def nothing() -> bool:
        return True

    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=False)
    consumer.start()
    try:
        done = completed_counter(db_path, "kv")
        began, cpu_began = time.perf_counter(), time.process_time()
        for _ in range(count):
            nothing()
        while done() < count:
            time.sleep(POLL_S)
        elapsed, cpu_s = time.perf_counter() - began, time.process_time() - cpu_began
        return elapsed, cpu_s, pragmas(huey.storage.conn)
    finally:
        consumer.stop(graceful=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2, help="worker slots / Huey threads")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("huey").setLevel(logging.ERROR)

    rows: list[tuple[str, float, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for path, label in ENQUEUE_PATHS.items():
            data_dir = Path(tmp) / f"graphq-{path}"
            run = partial(run_graphq, args.jobs, args.workers, data_dir, path=path)
            rows.append((label, *anyio.run(run)))
        data_dir = Path(tmp)
        for synchronous in (None, "NORMAL"):
            label = f"huey SqliteHuey ({'synchronous=NORMAL' if synchronous else 'defaults'})"
            run_peer = partial(run_huey, args.jobs, args.workers, data_dir)
            rows.append((label, *run_peer(synchronous=synchronous)))

    print(f"\n{args.jobs} no-op jobs, {args.workers} workers\n")
    print(f"| {'system':<38} | {'sqlite settings':<24} | {'seconds':>8} | {'jobs/s':>8} |")
    print(f"|{'-' * 40}|{'-' * 26}|{'-' * 10}|{'-' * 10}|")
    for name, seconds, _cpu_s, used in rows:
        print(f"| {name:<38} | {used:<24} | {seconds:>8.2f} | {args.jobs / seconds:>8.0f} |")


if __name__ == "__main__":
    main()
