"""Server render time of each workbench page with 1,000 products and 10,000 jobs.

Seeds a fresh data directory (products, one image each, ten finished jobs per product with
their results, a few dead letters), runs the real app in-process, signs in through the login
form, and times each page's request from send to last byte, which is the server's rendering
plus the in-process transport. Prints a markdown table of median and p95 milliseconds; the
target is 200 ms per page.

    .venv/bin/python -m benchmarks.web_pages [--data-dir DIR] [--repeat 20]
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from datetime import timedelta
from pathlib import Path

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
TARGET_MS = 200.0


async def seed(database_url: str) -> tuple[str, str, str]:
    """Returns an admin key, a product id and an image id to open pages of."""
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
        products, images, jobs, results, letters = [], [], [], [], []
        for p in range(PRODUCTS):
            product_id, image_id = new_id(), new_id()
            products.append(
                {
                    "id": product_id,
                    "name": f"Bench FET {p}",
                    "part_number": f"BENCH-{p:04d}",
                    "manufacturer": "Acme",
                    "created_at": now - timedelta(seconds=p),
                }
            )
            images.append(
                {
                    "id": image_id,
                    "product_id": product_id,
                    "filename": f"output{p}.png",
                    "file_path": f"images/{product_id}/{image_id}.png",
                    "file_size": 1000,
                    "mime_type": "image/png",
                    "width": 640,
                    "height": 480,
                    "sha256": "0" * 64,
                    "graph_type": "output",
                    "status": "completed",
                    "graph_meta": {
                        "axes": {"x": {"min": 0, "max": 10}, "y": {"min": 0, "max": 50}}
                    },
                }
            )
            for j in range(JOBS_PER_PRODUCT):
                job_id = new_id()
                dead = (p * JOBS_PER_PRODUCT + j) % DEAD_EVERY == 0
                jobs.append(
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
                        "created_at": now - timedelta(minutes=j + 1, seconds=p),
                    }
                )
                if dead:
                    letters.append(
                        {
                            "id": new_id(),
                            "job_id": job_id,
                            "error_code": "NO_CURVES_FOUND",
                            "error_message": "no curves",
                            "attempts": 1,
                            "payload": {},
                        }
                    )
                else:
                    results.append(
                        {
                            "id": new_id(),
                            "job_id": job_id,
                            "product_id": product_id,
                            "image_id": image_id,
                            "confidence": 0.9,
                            "data_points": 200,
                            "result_metadata": {
                                "curves": [
                                    {"label": f"VGS = {v} V", "color": "#1f77b4", "points": []}
                                    for v in (4, 6, 10)
                                ]
                            },
                        }
                    )
        async with db.write() as session:
            for model, rows in (
                (Product, products),
                (GraphImage, images),
                (Job, jobs),
                (ExtractionResult, results),
                (DeadLetter, letters),
            ):
                await session.execute(insert(model), rows)
        return secret, products[0]["id"], images[0]["id"]
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
        f"seeded {PRODUCTS} products and {PRODUCTS * JOBS_PER_PRODUCT} jobs "
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
            "/products/{id}": f"/products/{product_id}",
            "/products/{id}/live": f"/products/{product_id}/live",
            "/graphs/{id}": f"/graphs/{image_id}",
            "/monitor": "/monitor",
            "/monitor/live": "/monitor/live",
        }
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
