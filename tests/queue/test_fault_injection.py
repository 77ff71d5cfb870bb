"""``kill -9`` at a random moment while uploads and real digitize jobs run, twice over.

Whatever the moment, after a restart: every upload that was answered 201 has its images and
its jobs, each job completes exactly once, no image is left without the jobs it was sent
with, and nothing half-written remains (staged files, worker temporary directories).
"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import threading
import time
from pathlib import Path

import httpx

from tests.api.helpers import graph_png, meta
from tests.queue.test_crash_recovery import (
    admin_headers,
    free_port,
    graphq,
    kill_group,
    server_env,
    wait_for,
    wait_until_healthy,
)

ROUNDS = 2
SEED = 20261206


def upload_until_stopped(
    base_url: str, headers: dict[str, str], product_id: str, stop: threading.Event
) -> list[str]:
    """Upload two-graph requests with autoExtract until told to stop or the server dies;
    returns the ids of the jobs of every upload answered 201."""
    accepted: list[str] = []
    files = [("files", (f"g{i}.png", graph_png(seed=i), "image/png")) for i in range(2)]
    form = {"autoExtract": "true", "metadata": json.dumps([meta(), meta()])}
    with httpx.Client(base_url=base_url, headers=headers, timeout=10) as client:
        while not stop.is_set():
            try:
                response = client.post(f"/api/product/{product_id}/images", files=files, data=form)
            except httpx.TransportError:
                return accepted
            if response.status_code == 201:
                accepted += [job["id"] for job in response.json()["jobs"]]
    return accepted


def database_facts(db_path: Path) -> tuple[dict[str, int], list[tuple[str, int]], int]:
    """Job counts by status, (job id, result count) pairs, and images without a job."""
    with sqlite3.connect(db_path, timeout=10) as conn:
        counts = dict(conn.execute("SELECT status, count(*) FROM jobs GROUP BY status").fetchall())
        results = conn.execute(
            "SELECT j.id, count(r.id) FROM jobs j LEFT JOIN extraction_results r "
            "ON r.job_id = j.id GROUP BY j.id"
        ).fetchall()
        orphans = conn.execute(
            "SELECT count(*) FROM graph_images i WHERE NOT EXISTS "
            "(SELECT 1 FROM jobs j WHERE j.image_id = i.id)"
        ).fetchone()[0]
    return counts, results, orphans


def test_kill_9_during_uploads_and_digitizing_loses_nothing_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    rng = random.Random(SEED)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    tmp_root = tmp_path / "tmp"
    tmp_root.mkdir()
    port = free_port()
    env = server_env(data_dir, port) | {
        "TMPDIR": str(tmp_root),
        "GRAPHQ_QUEUE_HANDLER_MODULES": "",
        "GRAPHQ_QUEUE_WORKER_SLOTS": "2",
    }
    log = data_dir / "server.log"
    base_url = f"http://127.0.0.1:{port}"
    db_path = data_dir / "graphq.db"
    headers = admin_headers(env, data_dir)
    accepted: list[str] = []
    servers = [graphq("serve", env=env, log=log)]
    try:
        wait_until_healthy(base_url, servers[-1], timeout_s=60)
        with httpx.Client(base_url=base_url, headers=headers, timeout=10) as client:
            product = client.post("/api/products", json={"name": "Faults", "partNumber": "F1"})
            product_id = product.json()["id"]
        for _round in range(ROUNDS):
            stop = threading.Event()
            outcome: list[str] = []

            def upload(stop: threading.Event = stop, outcome: list[str] = outcome) -> None:
                outcome.extend(upload_until_stopped(base_url, headers, product_id, stop))

            uploader = threading.Thread(target=upload)
            uploader.start()
            time.sleep(rng.uniform(1.5, 4.0))
            kill_group(servers[-1])
            stop.set()
            uploader.join(timeout=30)
            accepted += outcome
            servers.append(graphq("serve", env=env, log=log))
            wait_until_healthy(base_url, servers[-1], timeout_s=60)
        wait_for(
            lambda c: sum(c.values()) > 0 and c.get("completed", 0) == sum(c.values()), 180, db_path
        )
        # The last server stops as an operator stops it; its workers' directories go with it.
        servers[-1].send_signal(signal.SIGTERM)
        servers[-1].wait(timeout=60)
    finally:
        for server in servers:
            kill_group(server)

    counts, results, orphans = database_facts(db_path)
    assert accepted, "some uploads should have been answered before each kill"
    assert set(accepted) <= {job_id for job_id, _ in results}
    assert counts == {"completed": len(results)}
    assert all(n == 1 for _, n in results), [r for r in results if r[1] != 1]
    assert orphans == 0
    assert list(data_dir.rglob(".tmp-*")) == []
    live_worker_dirs = list(tmp_root.glob("graphq-worker-*"))
    assert live_worker_dirs == [], live_worker_dirs
