"""graphq's queue against Huey's ``SqliteHuey`` at the same durability, in the same run.

No-op jobs (each stores its result), 2 workers, at each size in ``--sizes``; every system runs
once per round, rounds repeated ``--repeats`` times, so the systems share the machine's
moments alike (the machine may be shared: the load average is printed beside each figure).

- graphq, straight into the queue: one INSERT transaction per job and the engine told, as
  Huey enqueues (``benchmarks.queue_throughput``, path ``table``);
- graphq, one batch through the job service (``POST /api/batch/create``'s path);
- graphq over HTTP: a real server (uvicorn, auth off) fed by ``POST /api/batch/create`` in
  batches of ``--http-batch`` jobs; CPU is the server process's;
- Huey ``SqliteHuey`` with WAL and ``synchronous=NORMAL`` (graphq's durability), a consumer
  of 2 worker threads.

Each figure is jobs/s from the first enqueue until every result is stored, as a median with
the range over the repeats, and CPU milliseconds per job (this process, or the server's). For
the systems that run in this process, the KiB per job it handed to write calls (``wchar``,
setup included: WAL frames, mostly) count what each job makes the database write, whatever
the load.

    .venv/bin/python -m benchmarks.queue_vs_huey [--sizes 1000 10000] [--repeats 3] [--systems 1 4]
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import anyio
import httpx

from benchmarks.process_cpu import process_cpu
from benchmarks.queue_responsiveness import free_port, wait_until_up
from benchmarks.queue_throughput import POLL_S, completed_counter, run_graphq, run_huey

WORKERS = 2
HUEY = "huey SqliteHuey, WAL, synchronous=NORMAL"
SYSTEMS = (
    "graphq, straight into the queue",
    "graphq, one batch via the job service",
    "graphq, HTTP batch create",
    HUEY,
)


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_s: float
    load: float  # 1-minute load average when the run ended
    written: int | None  # bytes this process wrote meanwhile; None when a server did the work


def _cpu_s_of(pid: int) -> float:
    """CPU seconds of a process and its reaped children."""
    used = process_cpu(pid)
    return used.own_s + used.reaped_s


def _written_bytes() -> int:
    """Bytes this process has handed to write calls so far (``/proc/self/io``)."""
    fields = dict(line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())
    return int(fields["wchar"])


def run_http(count: int, data_dir: Path, batch: int) -> tuple[float, float]:
    """Seconds and server CPU seconds for ``count`` jobs sent in batches over HTTP."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.queue_responsiveness", "--serve", "process"],
        env={**os.environ, "BENCH_PORT": str(port), "BENCH_DATA_DIR": str(data_dir)},
        start_new_session=True,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            wait_until_up(client, server)
            product = client.post("/api/products", json={"name": "b", "partNumber": "B"}).json()
            body = {"productId": product["id"], "kind": "bench_noop"}
            probe = client.post("/api/job/create", json=body).json()["job"]["id"]
            while client.get(f"/api/job/{probe}").json()["status"] != "completed":
                time.sleep(POLL_S)  # workers up before the clock, as for Huey's consumer
            done = completed_counter(data_dir / "graphq.db", "extraction_results")
            began, cpu_began = time.perf_counter(), _cpu_s_of(server.pid)
            for first in range(0, count, batch):
                jobs = [body] * min(batch, count - first)
                response = client.post("/api/batch/create", json={"jobs": jobs})
                assert response.status_code == 201, response.text[:300]
            while done() < count + 1:
                time.sleep(POLL_S)
            return time.perf_counter() - began, _cpu_s_of(server.pid) - cpu_began
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def one_run(system: str, count: int, tmp: Path, http_batch: int) -> Run:
    data_dir = Path(tempfile.mkdtemp(dir=tmp))
    measure: Callable[[], tuple[float, float]]
    if system == HUEY:
        measure = partial(_huey, count, data_dir)
    elif system.endswith("HTTP batch create"):
        measure = partial(run_http, count, data_dir, http_batch)
    else:
        path = "table" if "straight" in system else "batch"
        measure = partial(_graphq, count, data_dir, path)
    written_before = _written_bytes()
    seconds, cpu_s = measure()
    written = None if system.endswith("HTTP batch create") else _written_bytes() - written_before
    return Run(seconds, cpu_s, os.getloadavg()[0], written)


def _huey(count: int, data_dir: Path) -> tuple[float, float]:
    seconds, cpu_s, _ = run_huey(count, WORKERS, data_dir, synchronous="NORMAL")
    return seconds, cpu_s


def _graphq(count: int, data_dir: Path, path: str) -> tuple[float, float]:
    seconds, cpu_s, _ = anyio.run(partial(run_graphq, count, WORKERS, data_dir, path=path))
    return seconds, cpu_s


def _spread(values: list[float], fmt: str) -> str:
    return f"{statistics.median(values):{fmt}} ({min(values):{fmt}}–{max(values):{fmt}})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--http-batch", type=int, default=1000, help="jobs per batch request")
    parser.add_argument(
        "--systems",
        type=int,
        nargs="+",
        default=list(range(1, len(SYSTEMS) + 1)),
        help="which systems to run, by number: "
        + ", ".join(f"{n} {name}" for n, name in enumerate(SYSTEMS, 1))
        + " (Huey always runs: the ratios are to it)",
    )
    args = parser.parse_args()
    systems = [s for n, s in enumerate(SYSTEMS, 1) if n in args.systems or s == HUEY]
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("huey").setLevel(logging.ERROR)

    runs: dict[tuple[str, int], list[Run]] = defaultdict(list)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        for repeat in range(args.repeats):
            for count in args.sizes:
                for system in systems:
                    run = one_run(system, count, Path(tmp), args.http_batch)
                    runs[(system, count)].append(run)
                    print(
                        f"round {repeat + 1}: {system}, {count} jobs: "
                        f"{count / run.seconds:.0f} jobs/s, load {run.load:.1f}",
                        file=sys.stderr,
                    )
    loads = [r.load for rs in runs.values() for r in rs]
    print(
        f"\n{WORKERS} workers, no-op jobs, {args.repeats} interleaved rounds; "
        f"{os.cpu_count()} cores, load average {load_before[0]:.1f} at start, "
        f"{min(loads):.1f}–{max(loads):.1f} at the end of runs\n"
    )
    print(
        "| system | jobs | jobs/s median (min–max) | ratio to Huey | CPU ms/job | "
        "KiB written/job | load |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for count in args.sizes:
        huey_rate = statistics.median(count / r.seconds for r in runs[(HUEY, count)])
        for system in systems:
            rs = runs[(system, count)]
            rates = [count / r.seconds for r in rs]
            cpu = [r.cpu_s / count * 1000 for r in rs]
            ratio = statistics.median(rates) / huey_rate
            load = _spread([r.load for r in rs], ".1f")
            written = [r.written / count / 1024 for r in rs if r.written is not None]
            kib = f"{statistics.median(written):.1f}" if written else "–"
            print(
                f"| {system} | {count:,} | {_spread(rates, '.0f')} | {ratio:.2f} | "
                f"{_spread(cpu, '.2f')} | {kib} | {load} |"
            )


if __name__ == "__main__":
    main()
