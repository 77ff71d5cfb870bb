"""Server render time of each workbench page with 1,000 products and 10,000 jobs.

Seeds a fresh data directory (products, one image each, ten finished jobs per product with
their results, a few dead letters; the first product also has forty graphs run three times
each, as a datasheet yields), runs the real app in-process, signs in through the login form,
and times each page's request from send to last byte, which is the server's rendering
plus the in-process transport. Prints a markdown table of median and p95 milliseconds, and
the machine's load average before and after, since on a shared machine the load moves the
p95 more than the pages do; the target is 200 ms per page.

    .venv/bin/python -m benchmarks.web_pages [--data-dir DIR] [--repeat 20]
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
import numpy as np
from litestar.testing import AsyncTestClient
from sqlalchemy import insert, select

from graphq.app import create_app
from graphq.config import load_settings
from graphq.db.database import Database
from graphq.db.migrate import upgrade
from graphq.db.models import (
    DeadLetter,
    ExtractionQueue,
    ExtractionResult,
    GraphImage,
    Job,
    Product,
    new_id,
    utcnow,
)
from graphq.runtime import build_runtime
from graphq.services.keys import create_key

PRODUCTS = 1_000
JOBS_PER_PRODUCT = 10
DEAD_EVERY = 50  # one job in this many is dead, with a dead letter
WIDE_PRODUCT_GRAPHS = 40  # the first product's graphs, as a long datasheet yields
RUNS_PER_WIDE_GRAPH = 3  # a digitize run and two re-runs with fixes
CURVE_POINTS = 200  # points per stored curve, as the digitizer resamples them
TARGET_MS = 200.0


@dataclass
class Rows:
    """The seeded rows, table by table, inserted in bulk."""

    products: list[dict[str, Any]] = field(default_factory=list)
    images: list[dict[str, Any]] = field(default_factory=list)
    jobs: list[dict[str, Any]] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)
    letters: list[dict[str, Any]] = field(default_factory=list)

    def add_graph(self, product_id: str, queue_id: str, now: datetime, n: int, runs: int) -> None:
        """One graph image with ``runs`` finished jobs: each a result, or (one job in
        ``DEAD_EVERY``) dead with a dead letter."""
        image_id = new_id()
        self.images.append(
            {
                "id": image_id,
                "product_id": product_id,
                "filename": f"output{n}.png",
                "file_path": f"images/{product_id}/{image_id}.png",
                "file_size": 1000,
                "mime_type": "image/png",
                "width": 640,
                "height": 480,
                "sha256": "0" * 64,
                "graph_type": "output",
                "status": "completed",
                "graph_meta": {"axes": {"x": {"min": 0, "max": 10}, "y": {"min": 0, "max": 50}}},
            }
        )
        for j in range(runs):
            job_id = new_id()
            dead = len(self.jobs) % DEAD_EVERY == 0
            self.jobs.append(
                {
                    "id": job_id,
                    "product_id": product_id,
                    "image_id": image_id,
                    "queue_id": queue_id,
                    "status": "dead" if dead else "completed",
                    "progress": 100.0,
                    "current_step": "done",
                    "attempts": 1,
                    "started_at": now - timedelta(minutes=j + 1),
                    "completed_at": now - timedelta(minutes=j),
                    "actual_duration": 2.0 + j / 10,
                    "error_code": "NO_CURVES_FOUND" if dead else None,
                    "error_message": "no curves" if dead else None,
                    "created_at": now - timedelta(minutes=j + 1, seconds=n),
                }
            )
            if dead:
                self.letters.append(
                    {
                        "id": new_id(),
                        "job_id": job_id,
                        "error_code": "NO_CURVES_FOUND",
                        "error_message": "no curves",
                        "attempts": 1,
                        "payload": {},
                    }
                )
                continue
            self.results.append(
                {
                    "id": new_id(),
                    "job_id": job_id,
                    "product_id": product_id,
                    "image_id": image_id,
                    "confidence": 0.9,
                    "data_points": 3 * CURVE_POINTS,
                    "result_metadata": {"curves": CURVES},
                }
            )


def _curve(vgs: int) -> dict[str, Any]:
    """A stored curve of realistic size: the pages decode every point of it."""
    xs = np.linspace(0.0, 10.0, CURVE_POINTS)
    ys = vgs * 5.0 * (1.0 - np.exp(-xs))
    return {
        "label": f"VGS = {vgs} V",
        "color": "#1f77b4",
        "points": [[round(x, 4), round(y, 4)] for x, y in zip(xs, ys, strict=True)],
    }


CURVES = [_curve(vgs) for vgs in (4, 6, 10)]


async def seed(database_url: str) -> tuple[str, str, str]:
    """Returns an admin key, the wide product's id and one of its image ids."""
    db = Database(database_url)
    try:
        _, secret = await create_key(db, name="bench", role="admin")
        async with db.write() as session:
            queue_id = (await session.execute(select(ExtractionQueue.id))).scalars().first()
            if queue_id is None:
                queue = ExtractionQueue(name="default")
                session.add(queue)
                await session.flush()
                queue_id = queue.id
        now = utcnow()
        rows = Rows()
        for p in range(PRODUCTS):
            product_id = new_id()
            rows.products.append(
                {
                    "id": product_id,
                    "name": f"Bench FET {p}",
                    "part_number": f"BENCH-{p:04d}",
                    "manufacturer": "Acme",
                    "created_at": now - timedelta(seconds=p),
                }
            )
            rows.add_graph(product_id, queue_id, now, p, JOBS_PER_PRODUCT)
        # The first product is a datasheet's worth of graphs, each run a few times: the
        # product and review pages' work grows with a product's graphs and runs.
        wide = rows.products[0]["id"]
        for g in range(1, WIDE_PRODUCT_GRAPHS):
            rows.add_graph(wide, queue_id, now, PRODUCTS + g, RUNS_PER_WIDE_GRAPH)
        async with db.write() as session:
            for model, table in (
                (Product, rows.products),
                (GraphImage, rows.images),
                (Job, rows.jobs),
                (ExtractionResult, rows.results),
                (DeadLetter, rows.letters),
            ):
                await session.execute(insert(model), table)
        return secret, wide, rows.images[0]["id"]
    finally:
        await db.dispose()


async def measure(data_dir: Path, repeat: int) -> None:
    settings = load_settings(
        Path("/nonexistent"),
        environ={},
        overrides={
            "storage": {"data_dir": str(data_dir)},
            "auth": {"rate_limit_per_minute": 100_000, "rate_limit_burst": 10_000},
        },
    )
    await anyio.to_thread.run_sync(upgrade, settings)
    began = time.perf_counter()
    secret, product_id, image_id = await seed(settings.database_url)
    print(
        f"seeded {PRODUCTS} products and "
        f"{PRODUCTS * JOBS_PER_PRODUCT + (WIDE_PRODUCT_GRAPHS - 1) * RUNS_PER_WIDE_GRAPH} jobs "
        f"in {time.perf_counter() - began:.1f} s\n"
    )
    app = create_app(settings, runtime=build_runtime(settings, handler_modules=[]))
    async with AsyncTestClient(app, base_url="https://127.0.0.1") as client:
        login = await client.get("/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', login.text).group(1)  # type: ignore[union-attr]
        await client.post("/login", data={"key": secret, "csrf": csrf})
        pages = {
            "/products": "/products",
            "/products?search=": "/products?search=BENCH-09",
            f"/products/{{id}} ({WIDE_PRODUCT_GRAPHS} graphs)": f"/products/{product_id}",
            "/products/{id}/live": f"/products/{product_id}/live",
            "/graphs/{id}": f"/graphs/{image_id}",
            "/monitor": "/monitor",
            "/monitor/live": "/monitor/live",
        }
        print(f"load average before: {_load()}\n")
        print("| page | median ms | p95 ms | within 200 ms |")
        print("|---|---|---|---|")
        for name, path in pages.items():
            times = []
            for _ in range(repeat + 1):
                start = time.perf_counter()
                response = await client.get(path)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (path, response.status_code)
            samples = np.asarray(times[1:])  # the first request warms template caches
            p50, p95 = float(np.median(samples)), float(np.percentile(samples, 95))
            print(f"| `{name}` | {p50:.1f} | {p95:.1f} | {'yes' if p95 <= TARGET_MS else 'NO'} |")
        print(f"\nload average after: {_load()}")


def _load() -> str:
    """The 1, 5 and 15 minute load averages, against the machine's core count."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir", type=Path, help="an empty directory (default: a temporary one)"
    )
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    if args.data_dir:
        anyio.run(measure, args.data_dir, args.repeat)
        return
    with tempfile.TemporaryDirectory() as folder:
        anyio.run(measure, Path(folder) / "data", args.repeat)


if __name__ == "__main__":
    main()
