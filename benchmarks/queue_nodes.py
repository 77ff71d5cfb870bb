"""No-op job throughput of 1, 2 and 3 graphq nodes on one PostgreSQL, against procrastinate.

Both systems run in the same run on the same throwaway PostgreSQL 15 cluster
(:mod:`tests.postgres`), each size on a fresh database:

- graphq: ``--nodes`` real ``graphq serve`` processes, 4 worker slots each, sharing one
  queue (``maxConcurrentJobs`` = 4 × nodes). The jobs (``bench_noop``, which stores one result
  row) go in over HTTP into a paused queue; the clock starts when the queue is resumed.
- procrastinate: as many worker processes as nodes, ``concurrency=4`` each, a no-op task.
  The jobs are deferred scheduled an hour ahead; the clock starts when one UPDATE makes them
  all due (the workers poll every 50 ms while idle).

So both clocks run from "every job waits in the database" to "every job is done", with all
processes already up. Each figure is jobs/s; the 1-minute load average is printed beside it
(the machine may be shared). Benchmark-only dependency: ``pip install procrastinate``.

    .venv/bin/python -m benchmarks.queue_nodes [--jobs 2000] [--nodes 1 2 3] [--repeats 1]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from tests.postgres import PostgresCluster, free_port

from graphq.config import load_settings
from graphq.db.migrate import upgrade
from graphq.queue.event_relay import asyncpg_dsn

REPO_ROOT = Path(__file__).resolve().parents[1]
SLOTS_PER_NODE = 4
HTTP_BATCH = 1000
POLL_S = 0.02
# procrastinate's idle poll: small, so its start is not held back by the poll interval.
PROCRASTINATE_POLL_S = 0.05
TEMPLATE = "bench_migrated"


def _env(data_dir: Path, port: int, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
        "GRAPHQ_CONFIG": str(data_dir / "absent.toml"),
        "GRAPHQ_STORAGE_DATA_DIR": str(data_dir),
        "GRAPHQ_STORAGE_DATABASE_URL": database_url,
        "GRAPHQ_SERVER_PORT": str(port),
        "GRAPHQ_SERVER_LOG_LEVEL": "WARNING",
        "GRAPHQ_AUTH_ENABLED": "false",
        "GRAPHQ_QUEUE_HANDLER_MODULES": "benchmarks.queue_handlers",
        "GRAPHQ_QUEUE_WORKER_SLOTS": str(SLOTS_PER_NODE),
    }


def _start(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, *args],
        env=env,
        cwd=cwd,
        stdout=(cwd / "out.log").open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


async def _count_until(dsn: str, sql: str, count: int) -> float:
    """Poll ``sql`` (a count) until it reaches ``count``; the monotonic time it did."""
    conn = await asyncpg.connect(dsn)
    try:
        while True:
            if await conn.fetchval(sql) >= count:
                return time.monotonic()
            await asyncio.sleep(POLL_S)
    finally:
        await conn.close()


async def run_graphq(cluster: PostgresCluster, nodes: int, jobs: int, tmp: Path) -> float:
    """Seconds for ``nodes`` graphq nodes to run ``jobs`` waiting no-op jobs."""
    url = cluster.create_database(template=TEMPLATE)
    ports = [free_port() for _ in range(nodes)]
    servers = []
    for port in ports:
        data_dir = Path(tempfile.mkdtemp(dir=tmp))
        servers.append(_start(["-m", "graphq.cli", "serve"], _env(data_dir, port, url), data_dir))
    try:
        clients = [httpx.AsyncClient(base_url=f"http://127.0.0.1:{p}", timeout=120) for p in ports]
        for client, server in zip(clients, servers, strict=True):
            await _until_healthy(client, server)
        first = clients[0]
        product = (await first.post("/api/products", json={"name": "b", "partNumber": "B"})).json()
        queue = await first.post(
            "/api/queue/create",
            json={"name": "bench", "maxConcurrentJobs": SLOTS_PER_NODE * nodes},
        )
        queue_id = queue.json()["id"]
        await first.post(f"/api/queue/{queue_id}/pause")
        body = {"productId": product["id"], "kind": "bench_noop"}
        for n, start in enumerate(range(0, jobs, HTTP_BATCH)):
            batch = [body] * min(HTTP_BATCH, jobs - start)
            created = await clients[n % nodes].post(
                "/api/batch/create", json={"queueId": queue_id, "jobs": batch}
            )
            assert created.status_code == 201, created.text[:300]
        began = time.monotonic()
        await first.post(f"/api/queue/{queue_id}/resume")
        completed = "SELECT count(*) FROM jobs WHERE status = 'completed'"
        return await _count_until(asyncpg_dsn(url), completed, jobs) - began
    finally:
        _stop(servers)
        cluster.drop_database(url)


async def _until_healthy(client: httpx.AsyncClient, server: subprocess.Popen[bytes]) -> None:
    while True:
        if server.poll() is not None:
            raise RuntimeError("a graphq node exited during start-up")
        try:
            if (await client.get("/health")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)


def _procrastinate_app(conninfo: str) -> tuple[Any, Any]:
    import procrastinate

    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo))

    @app.task(name="noop", queue="bench")
    async def noop() -> None:
        """Does nothing: procrastinate records the job as succeeded."""

    return app, noop


async def run_procrastinate(cluster: PostgresCluster, workers: int, jobs: int, tmp: Path) -> float:
    """Seconds for ``workers`` procrastinate workers to run ``jobs`` waiting no-op jobs."""
    url = cluster.create_database()
    dsn = asyncpg_dsn(url)
    app, noop = _procrastinate_app(dsn)
    processes = []
    try:
        async with app.open_async():
            await app.schema_manager.apply_schema_async()
            later = datetime.now(UTC) + timedelta(hours=1)
            await noop.configure(schedule_at=later).batch_defer_async(*[{}] * jobs)
        for _ in range(workers):
            work_dir = Path(tempfile.mkdtemp(dir=tmp))
            env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
            args = ["-m", "benchmarks.queue_nodes", "--procrastinate-worker", dsn]
            processes.append(_start(args, env, work_dir))
        await _until(dsn, "SELECT count(*) FROM procrastinate_workers", workers, processes)
        conn = await asyncpg.connect(dsn)
        try:
            began = time.monotonic()
            await conn.execute("UPDATE procrastinate_jobs SET scheduled_at = now()")
        finally:
            await conn.close()
        succeeded = "SELECT count(*) FROM procrastinate_jobs WHERE status = 'succeeded'"
        return await _count_until(dsn, succeeded, jobs) - began
    finally:
        _stop(processes)
        cluster.drop_database(url)


async def _until(dsn: str, sql: str, count: int, processes: list[subprocess.Popen[bytes]]) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        while await conn.fetchval(sql) < count:
            if any(p.poll() is not None for p in processes):
                raise RuntimeError("a procrastinate worker exited during start-up")
            await asyncio.sleep(0.1)
    finally:
        await conn.close()


def procrastinate_worker(conninfo: str) -> None:
    app, _ = _procrastinate_app(conninfo)

    async def work() -> None:
        async with app.open_async():
            await app.run_worker_async(
                queues=["bench"],
                concurrency=SLOTS_PER_NODE,
                fetch_job_polling_interval=PROCRASTINATE_POLL_S,
            )

    asyncio.run(work())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--nodes", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--procrastinate-worker", metavar="DSN", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.procrastinate_worker:
        procrastinate_worker(args.procrastinate_worker)
        return
    systems: dict[str, Callable[..., Coroutine[Any, Any, float]]] = {
        "graphq": run_graphq,
        "procrastinate": run_procrastinate,
    }
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    rates: dict[tuple[str, int], list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp, PostgresCluster.started() as cluster:
        cluster.create_database(TEMPLATE)
        upgrade(
            load_settings(
                Path("/nonexistent.toml"),
                environ={},
                overrides={"storage": {"data_dir": tmp, "database_url": cluster.url(TEMPLATE)}},
            )
        )
        for _ in range(args.repeats):
            for nodes in args.nodes:
                for name, run in systems.items():  # alternate: both share the machine alike
                    seconds = asyncio.run(run(cluster, nodes, args.jobs, Path(tmp)))
                    rate, load = args.jobs / seconds, os.getloadavg()[0]
                    rates.setdefault((name, nodes), []).append((rate, load))
                    print(f"{name}, {nodes} node(s): {rate:.0f} jobs/s, load {load:.1f}")
    print(f"\n{args.jobs} no-op jobs, {SLOTS_PER_NODE} slots per node, one PostgreSQL 15")
    print("| nodes | graphq jobs/s | procrastinate jobs/s | ratio | load |")
    print("|---|---|---|---|---|")
    for nodes in args.nodes:
        ours = statistics.median(r for r, _ in rates[("graphq", nodes)])
        theirs = statistics.median(r for r, _ in rates[("procrastinate", nodes)])
        loads = [
            load for key in (("graphq", nodes), ("procrastinate", nodes)) for _, load in rates[key]
        ]
        print(
            f"| {nodes} | {ours:.0f} | {theirs:.0f} | {ours / theirs:.2f} | "
            f"{min(loads):.1f}–{max(loads):.1f} |"
        )


if __name__ == "__main__":
    main()
