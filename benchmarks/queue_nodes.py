"""Job throughput of 1, 2 and 3 graphq nodes on one PostgreSQL, against procrastinate.

Two workloads, each set against procrastinate in the same run on the same throwaway
PostgreSQL 15 cluster (:mod:`tests.postgres`), each size on a fresh database:

- no-op jobs, where the queue and the database are the limit;
- digitize: the same fixed set of generated graph images (:mod:`tests.datagen`, seeds 0…n-1)
  through graphq's ``digitize`` jobs, or through procrastinate tasks calling the same
  function (:func:`graphq.jobs.digitize.digitize_file`) and writing the CSV and overlay as
  the job does. The graphq nodes share one data directory, as several nodes do in production;
  each has :data:`DIGITIZE_SLOTS_PER_NODE` worker processes, and procrastinate as many worker
  processes per node, each running one task at a time (a task holds a CPU and the GIL).

Each graphq node and each procrastinate "node" (its worker processes) is a session of its
own: Linux's autogroup scheduler (where ``/proc/sys/kernel/sched_autogroup_enabled`` is 1)
shares the CPU between sessions first, so on a machine shared with other work a session
with two digitizing workers gets what a session with one does. A graphq node's worker
processes are in the node's session; procrastinate's of one node share one session too.

No-op jobs:

- graphq: ``--nodes`` real ``graphq serve`` processes, 4 worker slots each, sharing one
  queue (``maxConcurrentJobs`` = 4 × nodes). The jobs (``bench_noop``, which stores one result
  row) go in over HTTP into a paused queue; the clock starts when the queue is resumed.
- procrastinate: as many worker processes as nodes, ``concurrency=4`` each, a no-op task.
  The jobs are deferred scheduled an hour ahead; the clock starts when one UPDATE makes them
  all due (the workers poll every 50 ms while idle).

Digitize images go in the same way (graphq: an upload with ``autoExtract`` into the paused
queue; procrastinate: deferred an hour ahead). So both clocks run from "every job waits in the
database" to "every job is done", with all processes already up. Each figure is jobs (or
images) per second, and CPU milliseconds per job over the same span: of the system's
processes (:class:`benchmarks.process_cpu.CpuMeter`; in brackets, each node's leading process
alone, see :class:`Run`) and of PostgreSQL's. CPU per job hardly moves with the load of a
shared machine, where jobs per second do; the 1-minute load average is printed beside each
figure.
Benchmark-only dependency: ``pip install procrastinate``.

    .venv/bin/python -m benchmarks.queue_nodes [--jobs 2000] [--images 40] [--nodes 1 2 3]
        [--workloads noop digitize] [--repeats 1]
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
import msgspec
from tests.datagen.generate import generate_graph
from tests.postgres import PostgresCluster, free_port

from benchmarks.process_cpu import CpuMeter
from benchmarks.queue_images import digitize_one
from graphq.config import load_settings
from graphq.db.migrate import upgrade
from graphq.queue.event_relay import asyncpg_dsn

REPO_ROOT = Path(__file__).resolve().parents[1]
SLOTS_PER_NODE = 4
# A digitize holds one CPU for a second or two: two worker processes per node, the cores of the
# machine the figures were taken on; procrastinate gets as many worker processes.
DIGITIZE_SLOTS_PER_NODE = 2
HTTP_BATCH = 1000
POLL_S = 0.02
# procrastinate's idle poll: small, so its start is not held back by the poll interval.
PROCRASTINATE_POLL_S = 0.05
TEMPLATE = "bench_migrated"
# What a node logs once its worker pool is up (graphq.queue.workers).
WORKERS_READY = "worker processes ready"


def _env(
    data_dir: Path, port: int, database_url: str, slots: int = SLOTS_PER_NODE
) -> dict[str, str]:
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
        "GRAPHQ_QUEUE_WORKER_SLOTS": str(slots),
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


class Run(msgspec.Struct, frozen=True):
    """One timed run: its seconds, and the CPU seconds spent meanwhile by the system's
    processes (``main``: each node's leading process alone: a graphq node without its worker
    processes; a procrastinate node is its worker when it runs one, and with several only
    waits on them) and by PostgreSQL's."""

    seconds: float
    cpu_s: float
    main_cpu_s: float
    db_cpu_s: float


def _meter(cluster: PostgresCluster, leaders: list[int]) -> CpuMeter:
    """A :class:`CpuMeter` of the sessions ``leaders`` lead and of ``cluster``'s server."""
    postmaster = int((cluster.data_dir / "postmaster.pid").read_text().split()[0])
    return CpuMeter(postmaster, leaders)


def _run(meter: CpuMeter, seconds: float) -> Run:
    return Run(seconds, *meter.stop())


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


async def _report_failed(dsn: str, sql: str) -> None:
    """Say how many jobs failed: the figures count them as done."""
    conn = await asyncpg.connect(dsn)
    try:
        failed = await conn.fetchval(sql)
    finally:
        await conn.close()
    if failed:
        print(f"  ({failed} failed)")


async def run_graphq(cluster: PostgresCluster, nodes: int, jobs: int, tmp: Path) -> Run:
    """``nodes`` graphq nodes running ``jobs`` waiting no-op jobs."""
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
        meter = _meter(cluster, [server.pid for server in servers])
        began = time.monotonic()
        await first.post(f"/api/queue/{queue_id}/resume")
        completed = "SELECT count(*) FROM jobs WHERE status = 'completed'"
        return _run(meter, await _count_until(asyncpg_dsn(url), completed, jobs) - began)
    finally:
        _stop(servers)
        cluster.drop_database(url)


async def run_graphq_digitize(
    cluster: PostgresCluster, nodes: int, graphs: list[tuple[bytes, str]], tmp: Path
) -> Run:
    """``nodes`` graphq nodes, sharing one data directory, digitizing ``graphs``."""
    url = cluster.create_database(template=TEMPLATE)
    data_dir = Path(tempfile.mkdtemp(dir=tmp))
    ports = [free_port() for _ in range(nodes)]
    node_dirs = [Path(tempfile.mkdtemp(dir=tmp)) for _ in ports]
    servers = []
    for port, node_dir in zip(ports, node_dirs, strict=True):
        # At INFO, so that the log says when the node's worker processes are ready.
        env = {
            **_env(data_dir, port, url, DIGITIZE_SLOTS_PER_NODE),
            "GRAPHQ_SERVER_LOG_LEVEL": "INFO",
        }
        servers.append(_start(["-m", "graphq.cli", "serve"], env, node_dir))
    try:
        clients = [httpx.AsyncClient(base_url=f"http://127.0.0.1:{p}", timeout=120) for p in ports]
        for client, server, node_dir in zip(clients, servers, node_dirs, strict=True):
            await _until_healthy(client, server)
            await _until_logged(node_dir / "out.log", WORKERS_READY, server)
        first = clients[0]
        product = (await first.post("/api/products", json={"name": "d", "partNumber": "D"})).json()
        slots = DIGITIZE_SLOTS_PER_NODE * nodes
        queue = await first.post(
            "/api/queue/create", json={"name": "dig", "maxConcurrentJobs": slots}
        )
        queue_id = queue.json()["id"]
        await first.post(f"/api/queue/{queue_id}/pause")
        for n, (data, meta) in enumerate(graphs):
            uploaded = await clients[n % nodes].post(
                f"/api/product/{product['id']}/images",
                files=[("files", ("graph.png", data, "image/png"))],
                data={"metadata": f"[{meta}]", "autoExtract": "true", "queueId": queue_id},
            )
            assert uploaded.status_code == 201, uploaded.text[:300]
        meter = _meter(cluster, [server.pid for server in servers])
        began = time.monotonic()
        await first.post(f"/api/queue/{queue_id}/resume")
        ended = "SELECT count(*) FROM jobs WHERE status IN ('completed', 'dead')"
        run = _run(meter, await _count_until(asyncpg_dsn(url), ended, len(graphs)) - began)
        await _report_failed(asyncpg_dsn(url), "SELECT count(*) FROM jobs WHERE status = 'dead'")
        return run
    finally:
        _stop(servers)
        cluster.drop_database(url)


async def _until_logged(log: Path, text: str, server: subprocess.Popen[bytes]) -> None:
    """Wait until ``log`` holds ``text``: a node's worker processes start after its HTTP
    server answers, and their start (imports, seconds on a busy machine) is not job time."""
    while text not in await asyncio.to_thread(log.read_text, errors="replace"):
        if server.poll() is not None:
            raise RuntimeError("a graphq node exited during start-up")
        await asyncio.sleep(0.1)


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

    @app.task(name="digitize", queue="bench")
    def digitize(path: str, meta: dict[str, Any], out_dir: str, name: str) -> None:
        """What a graphq digitize job computes and writes to files, as a procrastinate task."""
        digitize_one(path, meta, out_dir, name)

    return app, {"noop": noop, "digitize": digitize}


async def run_procrastinate(cluster: PostgresCluster, nodes: int, jobs: int, tmp: Path) -> Run:
    """One procrastinate worker per node running ``jobs`` waiting no-op jobs."""
    return await _run_procrastinate(cluster, nodes, 1, SLOTS_PER_NODE, "noop", [{}] * jobs, tmp)


async def run_procrastinate_digitize(
    cluster: PostgresCluster, nodes: int, graphs: list[tuple[bytes, str]], tmp: Path
) -> Run:
    """Procrastinate, as many worker processes as ``nodes`` graphq nodes have, digitizing
    ``graphs``."""
    images, out_dir = Path(tempfile.mkdtemp(dir=tmp)), Path(tempfile.mkdtemp(dir=tmp))
    tasks = []
    for n, (data, meta) in enumerate(graphs):
        (images / f"{n}.png").write_bytes(data)
        path, name = str(images / f"{n}.png"), str(n)
        tasks.append(
            {"path": path, "meta": msgspec.json.decode(meta), "out_dir": str(out_dir), "name": name}
        )
    return await _run_procrastinate(
        cluster, nodes, DIGITIZE_SLOTS_PER_NODE, 1, "digitize", tasks, tmp
    )


async def _run_procrastinate(
    cluster: PostgresCluster,
    nodes: int,
    per_node: int,
    concurrency: int,
    task: str,
    deferred: list[dict[str, Any]],
    tmp: Path,
) -> Run:
    """``nodes`` × ``per_node`` worker processes, each node's in one session, running
    ``task`` once per kwargs of ``deferred``."""
    url = cluster.create_database()
    dsn = asyncpg_dsn(url)
    app, tasks = _procrastinate_app(dsn)
    processes = []
    try:
        async with app.open_async():
            await app.schema_manager.apply_schema_async()
            later = datetime.now(UTC) + timedelta(hours=1)
            await tasks[task].configure(schedule_at=later).batch_defer_async(*deferred)
        for _ in range(nodes):
            work_dir = Path(tempfile.mkdtemp(dir=tmp))
            env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
            args = ["-m", "benchmarks.queue_nodes", "--procrastinate-worker", dsn]
            options = ["--concurrency", str(concurrency), "--workers", str(per_node)]
            processes.append(_start([*args, *options], env, work_dir))
        workers = nodes * per_node
        await _until(dsn, "SELECT count(*) FROM procrastinate_workers", workers, processes)
        conn = await asyncpg.connect(dsn)
        try:
            meter = _meter(cluster, [process.pid for process in processes])
            began = time.monotonic()
            await conn.execute("UPDATE procrastinate_jobs SET scheduled_at = now()")
        finally:
            await conn.close()
        ended = "SELECT count(*) FROM procrastinate_jobs WHERE status IN ('succeeded', 'failed')"
        run = _run(meter, await _count_until(dsn, ended, len(deferred)) - began)
        await _report_failed(dsn, "SELECT count(*) FROM procrastinate_jobs WHERE status = 'failed'")
        return run
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


def procrastinate_node(conninfo: str, concurrency: int, workers: int) -> None:
    """``workers`` procrastinate worker processes in this process's session (a node's)."""
    if workers == 1:
        procrastinate_worker(conninfo, concurrency)
        return
    args = [sys.executable, "-m", "benchmarks.queue_nodes", "--procrastinate-worker", conninfo]
    children = [
        subprocess.Popen([*args, "--concurrency", str(concurrency)]) for _ in range(workers)
    ]
    for child in children:
        child.wait()


def procrastinate_worker(conninfo: str, concurrency: int) -> None:
    app, _ = _procrastinate_app(conninfo)

    async def work() -> None:
        async with app.open_async():
            await app.run_worker_async(
                queues=["bench"],
                concurrency=concurrency,
                fetch_job_polling_interval=PROCRASTINATE_POLL_S,
            )

    asyncio.run(work())


Runner = Callable[..., Coroutine[Any, Any, Run]]
# Per workload: what one size counts, graphq's run, procrastinate's.
WORKLOADS: dict[str, tuple[str, Runner, Runner]] = {
    "noop": ("jobs", run_graphq, run_procrastinate),
    "digitize": ("images", run_graphq_digitize, run_procrastinate_digitize),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--images", type=int, default=40, help="digitize: generated graphs")
    parser.add_argument("--nodes", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--workloads", nargs="+", choices=list(WORKLOADS), default=list(WORKLOADS))
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--procrastinate-worker", metavar="DSN", help=argparse.SUPPRESS)
    parser.add_argument("--concurrency", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.procrastinate_worker:
        procrastinate_node(args.procrastinate_worker, args.concurrency, args.workers)
        return
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    graphs = []
    if "digitize" in args.workloads:
        made = (generate_graph(seed) for seed in range(args.images))
        graphs = [(g.data, msgspec.json.encode(g.meta).decode()) for g in made]
    runs: dict[tuple[str, str, int], list[tuple[Run, float]]] = {}
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
            for workload in args.workloads:
                unit, ours, theirs = WORKLOADS[workload]
                work = graphs if workload == "digitize" else args.jobs
                count = len(graphs) if workload == "digitize" else args.jobs
                for nodes in args.nodes:
                    # Alternate: both systems share the machine alike.
                    for name, runner in (("graphq", ours), ("procrastinate", theirs)):
                        run = asyncio.run(runner(cluster, nodes, work, Path(tmp)))
                        load = os.getloadavg()[0]
                        runs.setdefault((workload, name, nodes), []).append((run, load))
                        print(
                            f"{workload}, {name}, {nodes} node(s): {count / run.seconds:.2f} "
                            f"{unit}/s, CPU ms/{unit[:-1]}: {_cpu(run, count)}, load {load:.1f}"
                        )
    for workload in args.workloads:
        _table(workload, args, runs)


def _cpu(run: Run, count: int) -> str:
    """CPU milliseconds per job: the system's all (its main processes'), PostgreSQL's."""
    per = 1000 / count
    return f"{run.cpu_s * per:.1f} ({run.main_cpu_s * per:.1f}), db {run.db_cpu_s * per:.1f}"


def _table(
    workload: str,
    args: argparse.Namespace,
    runs: dict[tuple[str, str, int], list[tuple[Run, float]]],
) -> None:
    unit = WORKLOADS[workload][0]
    count = args.images if workload == "digitize" else args.jobs
    if workload == "digitize":
        slots = DIGITIZE_SLOTS_PER_NODE
        print(f"\n{args.images} generated graphs digitized, {slots} worker processes per node")
    else:
        print(f"\n{args.jobs} no-op jobs, {SLOTS_PER_NODE} slots per node, one PostgreSQL 15")
    print(
        f"| nodes | graphq {unit}/s | procrastinate {unit}/s | ratio | "
        f"CPU ms/{unit[:-1]} graphq (main), db | procrastinate, db | load |"
    )
    print("|---|---|---|---|---|---|---|")
    # Images per second are a few: two decimals.
    places = 2 if workload == "digitize" else 1
    for nodes in args.nodes:
        ours, theirs = runs[(workload, "graphq", nodes)], runs[(workload, "procrastinate", nodes)]
        ours_rate = statistics.median(count / run.seconds for run, _ in ours)
        theirs_rate = statistics.median(count / run.seconds for run, _ in theirs)
        loads = [load for _, load in ours + theirs]
        print(
            f"| {nodes} | {ours_rate:.{places}f} | {theirs_rate:.{places}f} | "
            f"{ours_rate / theirs_rate:.2f} | {_median_cpu(ours, count)} | "
            f"{_median_cpu(theirs, count)} | {min(loads):.1f}–{max(loads):.1f} |"
        )


def _median_cpu(runs: list[tuple[Run, float]], count: int) -> str:
    """:func:`_cpu` of the run of median CPU."""
    ordered = sorted((run for run, _ in runs), key=lambda run: run.cpu_s)
    return _cpu(ordered[len(ordered) // 2], count)


if __name__ == "__main__":
    main()
