"""Polling a job while the queue is busy, and the server's memory with a deep queue.

A real server (uvicorn and the app, auth off, 2 worker processes, the benchmark job kinds; see
``benchmarks.queue_responsiveness``) is started on a free port. From this process,
``--pollers`` clients poll ``GET /api/job/{id}`` concurrently for ``--window`` seconds:

- idle;
- while two CPU-bound jobs hold both cores (pure-Python spins, in the worker processes);
- the same, with ``--streams`` server-sent-event streams open on ``/api/events``.

Then the server's resident memory (its own process, not the workers') is read from ``/proc``:
at rest, with ``--queued`` no-op jobs waiting in a paused queue, and after they all ran.

    .venv/bin/python -m benchmarks.queue_polling [--pollers 8] [--streams 200] [--queued 10000]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import anyio
import httpx

from benchmarks.queue_responsiveness import free_port, percentiles, wait_until_up
from benchmarks.queue_throughput import POLL_S, completed_counter

BATCH = 1000  # jobs per POST /api/batch/create while filling the queue


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


async def poll(base_url: str, path: str, pollers: int, window_s: float) -> list[float]:
    """Latencies in ms of ``pollers`` clients each polling ``path`` back to back."""
    samples: list[float] = []
    limits = httpx.Limits(max_connections=pollers, max_keepalive_connections=pollers)

    async def poller(client: httpx.AsyncClient, deadline: float) -> None:
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            response = await client.get(path)
            samples.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.text[:200]

    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:
        deadline = time.perf_counter() + window_s
        async with anyio.create_task_group() as tg:
            for _ in range(pollers):
                tg.start_soon(poller, client, deadline)
    return samples


async def poll_with_streams(
    base_url: str, path: str, pollers: int, window_s: float, streams: int
) -> list[float]:
    """:func:`poll` while ``streams`` event streams are open and read."""
    opened = 0
    limits = httpx.Limits(max_connections=streams, max_keepalive_connections=0)
    timeout = httpx.Timeout(30, read=None)

    async def stream(client: httpx.AsyncClient, all_open: anyio.Event) -> None:
        nonlocal opened
        async with client.stream("GET", "/api/events") as response:
            assert response.status_code == 200
            opened += 1
            if opened == streams:
                all_open.set()
            async for _ in response.aiter_bytes():
                pass

    all_open = anyio.Event()
    async with (
        httpx.AsyncClient(base_url=base_url, limits=limits, timeout=timeout) as client,
        anyio.create_task_group() as tg,
    ):
        for _ in range(streams):
            tg.start_soon(stream, client, all_open)
        with anyio.fail_after(60):
            await all_open.wait()
        samples = await poll(base_url, path, pollers, window_s)
        tg.cancel_scope.cancel()
    return samples


def measure(args: argparse.Namespace, port: int, data_dir: Path) -> None:
    base_url = f"http://127.0.0.1:{port}"
    rows: list[tuple[str, list[float]]] = []
    memory: list[tuple[str, float]] = []
    server = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.queue_responsiveness", "--serve", "process"],
        env={**os.environ, "BENCH_PORT": str(port), "BENCH_DATA_DIR": str(data_dir)},
        start_new_session=True,
    )
    try:
        with httpx.Client(base_url=base_url, timeout=120) as client:
            wait_until_up(client, server)
            product = client.post("/api/products", json={"name": "b", "partNumber": "B"}).json()
            noop = {"productId": product["id"], "kind": "bench_noop"}
            probe = client.post("/api/job/create", json=noop).json()["job"]["id"]
            path = f"/api/job/{probe}"
            while client.get(path).json()["status"] != "completed":
                time.sleep(POLL_S)
            memory.append(("at rest", rss_mb(server.pid)))
            rows.append(("idle", anyio.run(poll, base_url, path, args.pollers, args.window)))

            spin_s = 2 * args.window + 30  # outlasts both busy windows and the streams' start
            spin = {**noop, "kind": "bench_spin", "parameters": {"seconds": spin_s}}
            spinning = [client.post("/api/job/create", json=spin).json()["job"]["id"]]
            spinning.append(client.post("/api/job/create", json=spin).json()["job"]["id"])
            while any(client.get(f"/api/job/{j}").json()["progress"] < 5 for j in spinning):
                time.sleep(0.05)
            rows.append(
                ("both cores busy", anyio.run(poll, base_url, path, args.pollers, args.window))
            )
            with_streams = anyio.run(
                poll_with_streams, base_url, path, args.pollers, args.window, args.streams
            )
            rows.append((f"both cores busy, {args.streams} SSE streams", with_streams))
            states = {client.get(f"/api/job/{j}").json()["status"] for j in spinning}
            assert states == {"processing"}, f"the windows outlasted the spinning jobs ({states})"
            for job_id in spinning:
                client.delete(f"/api/job/{job_id}")

            queue = client.get("/api/queues").json()[0]  # the default queue, the only one
            client.post(f"/api/queue/{queue['id']}/pause")
            for first in range(0, args.queued, BATCH):
                jobs = [noop] * min(BATCH, args.queued - first)
                response = client.post("/api/batch/create", json={"jobs": jobs})
                assert response.status_code == 201, response.text[:300]
            memory.append((f"{args.queued:,} jobs queued", rss_mb(server.pid)))
            done = completed_counter(data_dir / "graphq.db", "extraction_results")
            client.post(f"/api/queue/{queue['id']}/resume")
            while done() < args.queued + 1:
                time.sleep(0.1)
            memory.append((f"after the {args.queued:,} jobs ran", rss_mb(server.pid)))
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)

    print(f"\nGET /api/job/{{id}}, {args.pollers} concurrent pollers, {args.window:g} s each")
    print(f"({os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})\n")
    print("| while | p50 ms | p99 ms | requests |")
    print("|---|---:|---:|---:|")
    for name, samples in rows:
        p50, p99 = percentiles(samples)
        print(f"| {name} | {p50:.1f} | {p99:.1f} | {len(samples)} |")
    print("\n| server RSS | MB |")
    print("|---|---:|")
    for name, mb in memory:
        print(f"| {name} | {mb:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pollers", type=int, default=8)
    parser.add_argument("--streams", type=int, default=200)
    parser.add_argument("--window", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--queued", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        measure(args, free_port(), Path(tmp))


if __name__ == "__main__":
    main()
