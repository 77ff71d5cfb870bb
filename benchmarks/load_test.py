"""Load test on loopback: uploads and job creation while the workers digitize, and job reads.

A real ``graphq serve`` runs as a subprocess on a free port with a fresh data directory and
the real ``digitize`` job kind; its first-start admin key is read from its output. Then, for
a bounded time and number of requests, concurrent clients:

- upload generated datasheet graphs (``POST /api/product/{id}/images`` with ``autoExtract``),
- create further digitize jobs for uploaded images (``POST /api/job/create``),
- read jobs back (``GET /api/job/{id}``), which is what a progress view polls.

It prints a markdown table of latency percentiles and error counts per route. Rate limits are
raised for the run: this measures the server, not the limiter.

    .venv/bin/python -m benchmarks.load_test [--duration-s 30] [--readers 8] [--uploaders 2]
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import anyio
import httpx
import msgspec
import numpy as np
from tests.datagen.generate import generate_graph

MAX_DURATION_S = 60.0
GRAPH_SEEDS = range(6)
ROUTES = ("POST /api/product/{id}/images", "POST /api/job/create", "GET /api/job/{id}")


@dataclass
class Record:
    """Latencies of answered requests and errors (status ≥ 400 or no answer) per route."""

    latencies_s: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    sent: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    requests: int = 0
    job_ids: list[str] = field(default_factory=list)
    image_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Limits:
    deadline: float
    max_requests: int

    def running(self, record: Record) -> bool:
        return time.monotonic() < self.deadline and record.requests < self.max_requests


async def _timed(
    record: Record, route: str, send: httpx.Request, client: httpx.AsyncClient
) -> httpx.Response | None:
    record.requests += 1
    record.sent[route] += 1
    started = time.perf_counter()
    try:
        response = await client.send(send)
    except httpx.HTTPError:
        record.errors[route] += 1
        return None
    record.latencies_s[route].append(time.perf_counter() - started)
    if response.status_code >= 400:
        record.errors[route] += 1
    return response


async def _uploader(
    client: httpx.AsyncClient,
    product_id: str,
    graphs: list[tuple[bytes, str]],
    record: Record,
    limits: Limits,
) -> None:
    rng = random.Random(1)
    while limits.running(record):
        data, meta = rng.choice(graphs)
        request = client.build_request(
            "POST",
            f"/api/product/{product_id}/images",
            files=[("files", ("graph.png", data, "image/png"))],
            data={"metadata": f"[{meta}]", "autoExtract": "true", "priority": "normal"},
        )
        response = await _timed(record, ROUTES[0], request, client)
        if response is not None and response.status_code == 201:
            body = response.json()
            record.image_ids += [image["id"] for image in body["images"]]
            record.job_ids += [job["id"] for job in body["jobs"]]


async def _job_creator(
    client: httpx.AsyncClient, product_id: str, record: Record, limits: Limits
) -> None:
    rng = random.Random(2)
    while limits.running(record):
        if not record.image_ids:
            await anyio.sleep(0.05)
            continue
        body = {
            "productId": product_id,
            "imageId": rng.choice(record.image_ids),
            "priority": rng.choice(["low", "normal", "high", "urgent"]),
        }
        request = client.build_request("POST", "/api/job/create", json=body)
        response = await _timed(record, ROUTES[1], request, client)
        if response is not None and response.status_code == 201:
            record.job_ids.append(response.json()["job"]["id"])
        await anyio.sleep(0.1)


async def _reader(client: httpx.AsyncClient, seed: int, record: Record, limits: Limits) -> None:
    rng = random.Random(seed)
    while limits.running(record):
        if not record.job_ids:
            await anyio.sleep(0.05)
            continue
        request = client.build_request("GET", f"/api/job/{rng.choice(record.job_ids)}")
        await _timed(record, ROUTES[2], request, client)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(data_dir: Path, port: int) -> tuple[subprocess.Popen[str], str]:
    """``graphq serve`` on an empty data directory; returns it and its first admin key."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHQ_")}
    env |= {
        "GRAPHQ_AUTH_RATE_LIMIT_PER_MINUTE": "1000000",
        "GRAPHQ_AUTH_RATE_LIMIT_BURST": "100000",
        "GRAPHQ_SERVER_LOG_LEVEL": "WARNING",
        "GRAPHQ_QUEUE_BACKPRESSURE_DEPTH": "100000",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "graphq.cli",
            "serve",
            "--data-dir",
            str(data_dir),
            "--port",
            str(port),
        ],
        cwd=data_dir.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert server.stdout is not None
    for line in server.stdout:
        if line.strip().startswith("gq_"):
            key = line.strip()
            break
    else:
        raise RuntimeError("graphq serve printed no admin key")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=1).status_code == 200:
                return server, key
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("graphq serve did not become ready within 60 s")


def _percentile_ms(values: list[float], q: float) -> str:
    return f"{np.percentile(values, q) * 1000:.1f}" if values else "–"


def report(record: Record, elapsed_s: float, jobs: dict[str, int]) -> str:
    lines = [
        "| route | requests | errors | p50 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for route in ROUTES:
        values = record.latencies_s[route]
        p50, p99, worst = (_percentile_ms(values, q) for q in (50, 99, 100))
        lines.append(
            f"| `{route}` | {record.sent[route]} | {record.errors[route]} "
            f"| {p50} | {p99} | {worst} |"
        )
    done = ", ".join(f"{status} {n}" for status, n in sorted(jobs.items()))
    lines += [
        "",
        f"{record.requests} requests in {elapsed_s:.1f} s on {os.cpu_count()} cores; "
        f"jobs by status at the end: {done or 'none'}.",
    ]
    return "\n".join(lines)


async def run(args: argparse.Namespace, base_url: str, key: str) -> tuple[Record, float]:
    graphs = [
        (g.data, msgspec.json.encode(g.meta).decode())
        for g in (generate_graph(seed) for seed in GRAPH_SEEDS)
    ]
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30.0) as c:
        product = await c.post("/api/products", json={"name": "Load", "partNumber": "LOAD-1"})
        product.raise_for_status()
        product_id = product.json()["id"]
        record = Record()
        started = time.monotonic()
        limits = Limits(started + min(args.duration_s, MAX_DURATION_S), args.max_requests)
        async with anyio.create_task_group() as tg:
            for _ in range(args.uploaders):
                tg.start_soon(_uploader, c, product_id, graphs, record, limits)
            tg.start_soon(_job_creator, c, product_id, record, limits)
            for seed in range(args.readers):
                tg.start_soon(_reader, c, 100 + seed, record, limits)
        return record, time.monotonic() - started


def job_statuses(base_url: str, key: str) -> dict[str, int]:
    headers = {"Authorization": f"Bearer {key}"}
    counts = {}
    for status in ("queued", "processing", "completed", "failed", "dead"):
        page = httpx.get(
            f"{base_url}/api/jobs", params={"status": status, "limit": 1}, headers=headers
        )
        counts[status] = int(page.json()["total"])
    return {status: n for status, n in counts.items() if n}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration-s", type=float, default=30.0, help="at most 60")
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--uploaders", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="graphq-load-") as tmp:
        port = _free_port()
        server, key = start_server(Path(tmp) / "data", port)
        base_url = f"http://127.0.0.1:{port}"
        try:
            record, elapsed_s = anyio.run(run, args, base_url, key)
            jobs = job_statuses(base_url, key)
        finally:
            server.terminate()
            server.wait(timeout=60)
    print(report(record, elapsed_s, jobs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
