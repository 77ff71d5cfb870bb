"""How the API's cost grows with the job table: 1k, 10k and 100k jobs over 1,000 products.

For each size a fresh database is migrated and seeded straight through SQLite (no API, so
seeding 100k jobs takes seconds): 1,000 products with one image each, three queues (all
paused, so nothing runs and the waiting jobs stay in the engine's index), jobs spread over the
last seven days (70 % completed with a result row, 20 % waiting, 4 % dead with a dead letter,
3 % cancelled, 3 % completed needing review), and one product with 200 results of ~100 kB of
CSV each. Then a real server (uvicorn, auth off, this script re-run as a subprocess) answers
each route ``--samples`` times from this process, and the table gives the median and 90th
percentile in milliseconds, the server's own CPU per request (its process's user and system
time over the samples, which a loaded machine inflates far less than wall time) and the size
of the answer. ``QueueHeap.position``, which job
creation calls, is timed apart with as many waiting jobs as the table has jobs.

    .venv/bin/python -m benchmarks.queue_growth [--sizes 1000 10000 100000] [--samples 15]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from benchmarks.process_cpu import process_cpu
from benchmarks.queue_responsiveness import free_port, wait_until_up
from graphq.config import Settings, load_settings
from graphq.queue.heap import QueueHeap

PRODUCTS = 1000
SPREAD = timedelta(days=7)
RESULTS_OF_ONE_PRODUCT = 200
CSV_BYTES = 100_000
# (status, share of the jobs, needs review)
MIX = (
    ("completed", 0.70, False),
    ("queued", 0.20, False),
    ("dead", 0.04, False),
    ("cancelled", 0.03, False),
    ("completed", 0.03, True),
)
PRIORITIES = ("low", "normal", "normal", "normal", "high", "urgent")


def settings_for(data_dir: Path, port: int = 0) -> Settings:
    return load_settings(
        Path("/nonexistent/config.toml"),
        environ={},
        overrides={
            "storage": {"data_dir": str(data_dir)},
            "server": {"port": port, "log_level": "WARNING"},
            "auth": {"enabled": False},
            "queue": {"worker_slots": 2, "backpressure_depth": 10_000_000},
        },
    )


def _ts(moment: datetime) -> str:
    """A datetime as SQLAlchemy stores it in SQLite (UTC, no zone)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    conn.executemany(sql, [tuple(row[c] for c in columns) for row in rows])


@dataclass(frozen=True)
class Seeded:
    queue_id: str
    product_id: str  # the product with many results
    image_id: str
    job_id: str


def seed(db_path: Path, jobs: int, rng: random.Random) -> Seeded:
    now = datetime.now(UTC)
    conn = sqlite3.connect(db_path)
    queues = [
        {
            "id": str(uuid.uuid4()),
            "name": name,
            "mode": "automatic",
            "status": "paused",
            "max_concurrent_jobs": 3,
            "priority_policy": "priority",
            "description": "",
            "settings": "{}",
            "created_at": _ts(now - SPREAD),
            "updated_at": _ts(now - SPREAD),
        }
        for name in ("default", "bulk", "urgent")
    ]
    products = []
    images = []
    for i in range(PRODUCTS):
        product_id = str(uuid.uuid4())
        products.append(
            {
                "id": product_id,
                "name": f"Part {i}",
                "manufacturer": "Bench",
                "part_number": f"BENCH{i:05d}",
                "device_type": "Si-MOSFET",
                "package": "TO-247",
                "description": "",
                "status": "active",
                "created_at": _ts(now - SPREAD),
                "updated_at": _ts(now - SPREAD),
            }
        )
        images.append(
            {
                "id": str(uuid.uuid4()),
                "product_id": product_id,
                "filename": "output.png",
                "file_path": f"images/{product_id}.png",
                "upload_date": _ts(now - SPREAD),
                "description": "",
                "status": "completed",
                "file_size": 50_000,
                "mime_type": "image/png",
                "width": 800,
                "height": 600,
                "sha256": "0" * 64,
                "graph_type": "output",
                "graph_meta": "{}",
                "created_at": _ts(now - SPREAD),
                "updated_at": _ts(now - SPREAD),
            }
        )
    statuses = [(s, review) for s, share, review in MIX for _ in range(round(share * 1000))]
    job_rows, results, letters = [], [], []
    for n in range(jobs):
        created = now - SPREAD * (1 - n / jobs)
        status, review = statuses[rng.randrange(len(statuses))]
        k = rng.randrange(PRODUCTS)
        job_id = str(uuid.uuid4())
        ended = status in ("completed", "dead", "cancelled")
        duration = rng.uniform(0.5, 8.0)
        completed_at = created + timedelta(seconds=duration + 1) if ended else None
        error = {"dead": "NO_CURVES_FOUND", "cancelled": "CANCELLED"}.get(status)
        job_rows.append(
            {
                "id": job_id,
                "product_id": products[k]["id"],
                "image_id": images[k]["id"],
                "queue_id": queues[n % 3]["id"],
                "kind": "digitize",
                "status": status,
                "priority": PRIORITIES[n % len(PRIORITIES)],
                "enqueued_ns": int(created.timestamp() * 1e9),
                "progress": 100.0 if status == "completed" else 0.0,
                "current_step": status,
                "attempts": 1 if ended else 0,
                "max_attempts": 3,
                "error_code": error,
                "error_message": f"{error} in the bench" if error else None,
                "extraction_method": "standard",
                "parameters": "{}",
                "started_at": _ts(created + timedelta(seconds=1)) if ended else None,
                "completed_at": _ts(completed_at) if completed_at else None,
                "actual_duration": duration if status == "completed" else None,
                "created_at": _ts(created),
                "updated_at": _ts(completed_at or created),
                "needs_review": int(review),
            }
        )
        if status == "completed":
            results.append(_result(job_id, products[k]["id"], images[k]["id"], created, "x,y\n"))
        if status == "dead":
            letters.append(
                {
                    "id": str(uuid.uuid4()),
                    "job_id": job_id,
                    "error_code": "NO_CURVES_FOUND",
                    "error_message": "bench",
                    "attempts": 1,
                    "payload": "{}",
                    "created_at": _ts(completed_at or created),
                    "updated_at": _ts(completed_at or created),
                }
            )
    # One product with many large results, as GET /api/product/{id}/results meets them.
    heavy, heavy_image = products[0]["id"], images[0]["id"]
    csv = "x,y\n" + "".join(f"{i * 0.01:.4f},{i * 0.02:.4f}\n" for i in range(CSV_BYTES // 16))
    for i in range(RESULTS_OF_ONE_PRODUCT):
        job_id = str(uuid.uuid4())
        created = now - timedelta(minutes=RESULTS_OF_ONE_PRODUCT - i)
        job_rows.append({**job_rows[0], "id": job_id, "product_id": heavy})
        job_rows[-1].update(image_id=heavy_image, status="completed", created_at=_ts(created))
        results.append(_result(job_id, heavy, None, created, csv))
    with conn:
        _insert(conn, "extraction_queues", queues)
        _insert(conn, "products", products)
        _insert(conn, "graph_images", images)
        _insert(conn, "jobs", job_rows)
        _insert(conn, "extraction_results", results)
        _insert(conn, "dead_letters", letters)
    conn.close()
    return Seeded(queues[0]["id"], heavy, heavy_image, job_rows[len(job_rows) // 2]["id"])


def _result(
    job_id: str, product_id: str, image_id: str | None, at: datetime, csv: str
) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "job_id": job_id,
        "product_id": product_id,
        "image_id": image_id,
        "csv_data": csv,
        "metadata": json.dumps({"curves": [{"label": "Vgs=10V", "points": 120}]}),
        "confidence": 0.95,
        "data_points": 120,
        "processing_time": 1.0,
        "extraction_method": "standard",
        "parameters": "{}",
        "created_at": _ts(at),
        "updated_at": _ts(at),
        "needs_review": 0,
        "review_reasons": "[]",
    }


def serve(port: int, data_dir: Path) -> None:
    """The server side: the real app and job kinds, nothing running (every queue paused)."""
    import uvicorn

    logging.basicConfig(level=logging.ERROR)
    from graphq.app import create_app
    from graphq.runtime import build_runtime

    settings = settings_for(data_dir, port)
    rt = build_runtime(settings)
    config = uvicorn.Config(
        create_app(settings, runtime=rt), host="127.0.0.1", port=port, log_level="warning"
    )
    uvicorn.Server(config).run()


def timed(
    client: httpx.Client, server: int, method: str, path: str, samples: int, **kw: Any
) -> list[Any]:
    """[median ms, p90 ms, server CPU ms per request, bytes of the last answer]; two unmeasured
    requests warm it up."""
    times = []
    size = 0
    cpu_began = 0.0
    for i in range(samples + 2):
        if i == 2:
            cpu_began = process_cpu(server).own_s
        began = time.perf_counter()
        response = client.request(method, path, **kw)
        elapsed = (time.perf_counter() - began) * 1000
        assert response.status_code < 300, f"{path}: {response.status_code} {response.text[:300]}"
        size = len(response.content)
        if i >= 2:
            times.append(elapsed)
    cpu_ms = (process_cpu(server).own_s - cpu_began) * 1000 / samples
    cuts = statistics.quantiles(times, n=10, method="inclusive")
    return [statistics.median(times), cuts[8], cpu_ms, size]


def routes(client: httpx.Client, seeded: Seeded, jobs: int) -> dict[str, tuple[str, str, dict]]:
    middle = client.get(f"/api/jobs?limit=1&offset={jobs // 2}").json()
    cursor = middle.get("nextCursor")
    create = {"json": {"productId": seeded.product_id, "imageId": seeded.image_id}}
    table: dict[str, tuple[str, str, dict]] = {
        "POST /api/job/create": ("POST", "/api/job/create", create),
        "GET /api/job/{id}": ("GET", f"/api/job/{seeded.job_id}", {}),
        "GET /api/jobs (first page)": ("GET", "/api/jobs?limit=50", {}),
        "GET /api/jobs?offset=50%": ("GET", f"/api/jobs?limit=50&offset={jobs // 2}", {}),
    }
    if cursor is not None:
        table["GET /api/jobs?cursor=(50%)"] = ("GET", f"/api/jobs?limit=50&cursor={cursor}", {})
    table["GET /api/jobs?status=dead"] = ("GET", "/api/jobs?limit=50&status=dead", {})
    table["GET /api/jobs?queue={id}"] = ("GET", f"/api/jobs?limit=50&queue={seeded.queue_id}", {})
    table["GET /api/stats/global"] = ("GET", "/api/stats/global", {})
    table["GET /api/stats/queue/{id}"] = ("GET", f"/api/stats/queue/{seeded.queue_id}", {})
    for view in (
        "dashboard",
        "health",
        "queue",
        "performance",
        "errors",
        "dlq",
        "recent-jobs",
        "hourly-stats",
    ):
        table[f"GET /api/monitor?view={view}"] = ("GET", f"/api/monitor?view={view}", {})
    table["GET /api/product/{id}/results"] = (
        "GET",
        f"/api/product/{seeded.product_id}/results",
        {},
    )
    return table


def measure(jobs: int, samples: int) -> dict[str, list[Any]]:
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        from graphq.db.migrate import upgrade

        upgrade(settings_for(data_dir))
        seeded = seed(data_dir / "graphq.db", jobs, random.Random(jobs))
        server = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.queue_growth", "--serve"],
            env={**os.environ, "BENCH_PORT": str(port), "BENCH_DATA_DIR": tmp},
            start_new_session=True,
        )
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
                wait_until_up(client, server)
                figures = {
                    name: timed(client, server.pid, method, path, samples, **kw)
                    for name, (method, path, kw) in routes(client, seeded, jobs).items()
                }
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
    return figures


def heap_position_ms(waiting: int, samples: int = 200) -> float:
    """Median ms of ``QueueHeap.position`` for the newest of ``waiting`` jobs."""
    heap = QueueHeap()
    for n in range(waiting):
        heap.push(f"job-{n}", PRIORITIES[n % len(PRIORITIES)], n)
    times = []
    for n in range(samples):
        job_id = f"job-{waiting - 1 - n}"
        began = time.perf_counter()
        heap.position(job_id)
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--samples", type=int, default=15)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(int(os.environ["BENCH_PORT"]), Path(os.environ["BENCH_DATA_DIR"]))
        return

    load = os.getloadavg()
    by_size = {size: measure(size, args.samples) for size in args.sizes}
    load_after = os.getloadavg()
    heads = " | ".join(f"{size:>7,} jobs" for size in args.sizes)
    loads = f"load {load[0]:.1f} → {load_after[0]:.1f}"
    print(f"\nms per request, median / p90 / server CPU (answer size); {loads}\n")
    print(f"| {'route':<36} | {heads} |")
    print(f"|{'-' * 38}|" + "|".join("-" * 14 for _ in args.sizes) + "|")
    names = list(next(iter(by_size.values())))
    for name in names:
        cells = []
        for size in args.sizes:
            median, p90, cpu_ms, size_b = by_size[size].get(name, [float("nan")] * 4)
            cells.append(f"{median:5.1f} / {p90:5.1f} / {cpu_ms:5.1f} ({_bytes(size_b)})")
        print(f"| {name:<36} | " + " | ".join(cells) + " |")
    cells = [f"{heap_position_ms(size):.4f} ms" for size in args.sizes]
    print(f"| {'QueueHeap.position, n waiting':<36} | " + " | ".join(cells) + " |")


def _bytes(size: float) -> str:
    if size != size:  # NaN: the route was not there
        return "-"
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"


if __name__ == "__main__":
    main()
