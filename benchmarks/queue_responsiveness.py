"""API latency while CPU-bound jobs run: worker processes (graphq's pool) against threads.

For each mode this starts a real server (this script, re-run as a subprocess: uvicorn and the
app, auth off, ``worker_slots = 2``), measures ``GET /health`` and ``GET /api/job/{id}`` from
this process while the server is idle, then enqueues two jobs that spin in pure Python and
measures again while both run. ``thread`` swaps the engine's pool for one that runs the same
compute function in threads of the server process.

    .venv/bin/python -m benchmarks.queue_responsiveness [--window 3] [--spin 8]
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import httpx

from graphq.queue.workers import OnProgress

MODES = ("process", "thread")


class ThreadWorkerPool:
    """The alternative measured: compute in threads of the server process, sharing its GIL."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.started = anyio.Event()
        self._limiter = anyio.CapacityLimiter(size)

    async def start(self) -> None:
        self.started.set()

    async def run(
        self, fn: Callable[[Any, Any], Any], payload: Any, on_progress: OnProgress
    ) -> Any:
        def report(fraction: float, step: str) -> None:
            anyio.from_thread.run(on_progress, fraction, step)

        return await anyio.to_thread.run_sync(fn, payload, report, limiter=self._limiter)

    async def close(self) -> None:
        return None


def serve(mode: str, port: int, data_dir: Path) -> None:
    """The server side: the real app with the benchmark job kinds, in ``mode``."""
    import uvicorn

    logging.basicConfig(level=logging.ERROR)  # keep the table clean of the auth-off warning

    from graphq.app import create_app
    from graphq.config import load_settings
    from graphq.db.migrate import upgrade
    from graphq.runtime import build_runtime

    settings = load_settings(
        Path("/nonexistent/config.toml"),
        environ={},
        overrides={
            "storage": {"data_dir": str(data_dir)},
            "server": {"port": port, "log_level": "WARNING"},
            "auth": {"enabled": False},
            "queue": {"worker_slots": 2},
        },
    )
    upgrade(settings)
    rt = build_runtime(settings, handler_modules=["benchmarks.queue_handlers"])
    if mode == "thread":
        rt.engine.ctx.pool = ThreadWorkerPool(2)  # type: ignore[assignment]
    config = uvicorn.Config(
        create_app(settings, runtime=rt), host="127.0.0.1", port=port, log_level="warning"
    )
    uvicorn.Server(config).run()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def latencies_ms(client: httpx.Client, path: str, window_s: float) -> list[float]:
    samples = []
    deadline = time.perf_counter() + window_s
    while time.perf_counter() < deadline:
        began = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.text
    return samples


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[98]


def measure(mode: str, window_s: float, spin_s: float) -> dict[str, tuple[float, float, int]]:
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        server = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.queue_responsiveness", "--serve", mode],
            env={**os.environ, "BENCH_PORT": str(port), "BENCH_DATA_DIR": tmp},
            start_new_session=True,
        )
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
                wait_until_up(client, server)
                product = client.post("/api/products", json={"name": "b", "partNumber": "B"})
                body = {
                    "productId": product.json()["id"],
                    "kind": "bench_spin",
                    "parameters": {"seconds": spin_s},
                }
                probe = client.post("/api/job/create", json={**body, "kind": "bench_noop"})
                probe_path = f"/api/job/{probe.json()['job']['id']}"
                time.sleep(1.0)  # let the worker processes finish starting
                figures = {
                    "idle /health": latencies_ms(client, "/health", window_s / 2),
                    "idle /api/job/{id}": latencies_ms(client, probe_path, window_s / 2),
                }
                spinning = [client.post("/api/job/create", json=body).json()["job"]["id"]]
                spinning.append(client.post("/api/job/create", json=body).json()["job"]["id"])
                while any(client.get(f"/api/job/{j}").json()["progress"] < 5 for j in spinning):
                    time.sleep(0.05)
                figures["busy /health"] = latencies_ms(client, "/health", window_s)
                figures["busy /api/job/{id}"] = latencies_ms(client, probe_path, window_s)
                states = {client.get(f"/api/job/{j}").json()["status"] for j in spinning}
                assert states == {"processing"}, f"the window outlasted the jobs ({states})"
        finally:
            os.killpg(server.pid, signal.SIGKILL)  # the spinning jobs are of no further use
            server.wait(timeout=30)
    return {name: (*percentiles(s), len(s)) for name, s in figures.items()}


def wait_until_up(client: httpx.Client, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server exited during start-up"
        try:
            client.get("/health")
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise TimeoutError("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--window", type=float, default=3.0, help="seconds per busy measurement")
    parser.add_argument("--spin", type=float, default=12.0, help="seconds each CPU job spins")
    parser.add_argument("--serve", choices=MODES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, int(os.environ["BENCH_PORT"]), Path(os.environ["BENCH_DATA_DIR"]))
        return

    print(f"\nGET latency, 2 CPU-bound jobs running on {os.cpu_count()} cores\n")
    print(f"| {'pool':<8} | {'request':<20} | {'p50 ms':>7} | {'p99 ms':>7} | {'n':>5} |")
    print(f"|{'-' * 10}|{'-' * 22}|{'-' * 9}|{'-' * 9}|{'-' * 7}|")
    for mode in MODES:
        for name, (p50, p99, n) in measure(mode, args.window, args.spin).items():
            print(f"| {mode:<8} | {name:<20} | {p50:>7.1f} | {p99:>7.1f} | {n:>5} |")


if __name__ == "__main__":
    main()
