"""Images per hour through the queue against a bare process pool on the same images.

``--images`` generated graphs (:mod:`tests.datagen`, seeds ``--seed-start`` onward; no fetched
data) are digitized, in alternating rounds repeated ``--repeats`` times:

- by a bare ``concurrent.futures`` pool of 2 spawned processes, each image read from disk,
  digitized as a ``digitize`` job computes it (curves, CSV, overlay) and its CSV and overlay
  written, the way a job's store writes them;
- through graphq: a real ``graphq serve`` (auth off, 2 worker slots, the built-in job kinds)
  whose default queue is paused while the images are uploaded with ``autoExtract``, then
  resumed; the round ends when every job has ended.

Both sides are warmed first (imports, one image per process) and their processes run at the
niceness of graphq's worker processes (``graphq.queue.workers.WORKER_NICENESS``), so the
machine's other load treats them alike. Each round prints its images/h and the 1-minute load
average; the table gives medians (min–max) and the ratio of the medians.

    .venv/bin/python -m benchmarks.queue_images [--images 40] [--repeats 3] [--seed-start 0]
"""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import httpx
import msgspec
from tests.datagen.generate import generate_graph

from benchmarks.queue_responsiveness import free_port, wait_until_up
from graphq.config import UploadSettings
from graphq.digitizer.metadata import checked_graph_meta
from graphq.jobs.digitize import digitize_file
from graphq.queue.worker_process import WORKER_NICENESS
from graphq.storage import Storage

WORKERS = 2
FINISHED_SQL = (
    "SELECT count(*) FROM jobs WHERE kind = 'digitize' AND status IN ('completed', 'dead')"
)
DEAD_SQL = "SELECT count(*) FROM jobs WHERE kind = 'digitize' AND status = 'dead'"
POLL_S = 0.02  # a round lasts seconds: 20 ms of granularity is under 1 % of it


_all_started: Any = None  # in each pool process: the barrier its warm-up waits at


def _pool_worker_start(all_started: Any) -> None:
    """A pool process at the niceness graphq gives its worker processes."""
    global _all_started
    _all_started = all_started
    os.nice(WORKER_NICENESS)


def warm(path: str, meta: dict[str, Any], out_dir: str) -> None:
    """One image, once every pool process has a warm-up of its own (the barrier): a process
    that started late would otherwise pay its first image's costs in a measured round."""
    _all_started.wait(timeout=600)
    digitize_one(path, meta, out_dir, "warm")


def digitize_one(path: str, meta: dict[str, Any], out_dir: str, name: str) -> None:
    """What a graphq ``digitize`` job computes and writes, without the queue."""
    uploads = UploadSettings()
    payload = {
        "path": path,
        "meta": checked_graph_meta(meta),
        "max_bytes": uploads.max_file_mb * 2**20,
        "max_pixels": uploads.max_pixels,
        "llm": None,
    }
    output = digitize_file(payload, lambda _fraction, _step: None)
    storage = Storage(Path(out_dir))
    storage.write_atomic(Path(out_dir) / f"{name}.csv", output.csv.encode())
    storage.write_atomic(Path(out_dir) / f"{name}.overlay.png", output.overlay_png)


def run_pool(
    pool: ProcessPoolExecutor, tasks: list[tuple[str, dict[str, Any]]], out: Path
) -> float:
    """Seconds for the bare pool to digitize ``tasks`` (image path, metadata)."""
    began = time.perf_counter()
    futures = [
        pool.submit(digitize_one, path, meta, str(out), str(n))
        for n, (path, meta) in enumerate(tasks)
    ]
    for future in futures:
        future.result()
    return time.perf_counter() - began


class Graphq:
    """A running graphq server with its default queue, and the counts of its finished jobs."""

    def __init__(self, data_dir: Path) -> None:
        port = free_port()
        env = {
            **os.environ,
            "GRAPHQ_CONFIG": str(data_dir / "absent.toml"),
            "GRAPHQ_STORAGE_DATA_DIR": str(data_dir),
            "GRAPHQ_SERVER_PORT": str(port),
            "GRAPHQ_SERVER_LOG_LEVEL": "ERROR",  # not the auth-off warning: errors only
            "GRAPHQ_AUTH_ENABLED": "false",
            "GRAPHQ_QUEUE_WORKER_SLOTS": str(WORKERS),
        }
        self.server = subprocess.Popen(
            [sys.executable, "-m", "graphq.cli", "serve"],
            env=env,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120)
        wait_until_up(self.client, self.server)
        product = self.client.post("/api/products", json={"name": "i", "partNumber": "I"}).json()
        self.product_id = product["id"]
        self.queue_id = self.client.get("/api/queues").json()[0]["id"]
        self.db = sqlite3.connect(data_dir / "graphq.db", timeout=10)

    def finished(self) -> tuple[int, int]:
        """Digitize jobs ended so far, and how many of them died."""
        return (
            int(self.db.execute(FINISHED_SQL).fetchone()[0]),
            int(self.db.execute(DEAD_SQL).fetchone()[0]),
        )

    def run(self, graphs: list[tuple[bytes, str]]) -> float:
        """Seconds from resuming the paused queue until every uploaded image's job ended."""
        self.client.post(f"/api/queue/{self.queue_id}/pause")
        before, dead_before = self.finished()
        for data, meta in graphs:
            uploaded = self.client.post(
                f"/api/product/{self.product_id}/images",
                files=[("files", ("graph.png", data, "image/png"))],
                data={"metadata": f"[{meta}]", "autoExtract": "true"},
            )
            assert uploaded.status_code == 201, uploaded.text[:300]
        began = time.perf_counter()
        self.client.post(f"/api/queue/{self.queue_id}/resume")
        while True:
            ended, dead = self.finished()
            if ended >= before + len(graphs):
                break
            assert self.server.poll() is None, "the server exited"
            time.sleep(POLL_S)
        seconds = time.perf_counter() - began
        assert dead == dead_before, f"{dead - dead_before} digitize jobs died"
        return seconds

    def close(self) -> None:
        self.client.close()
        self.db.close()
        os.killpg(self.server.pid, signal.SIGKILL)
        self.server.wait(timeout=30)


def _spread(rates: list[float]) -> str:
    return f"{statistics.median(rates):,.0f} ({min(rates):,.0f}–{max(rates):,.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed-start", type=int, default=0)
    args = parser.parse_args()
    made = [generate_graph(seed) for seed in range(args.seed_start, args.seed_start + args.images)]
    graphs = [(g.data, msgspec.json.encode(g.meta).decode()) for g in made]
    rates: dict[str, list[float]] = {"bare pool": [], "graphq": []}
    loads: list[float] = []
    print(f"{os.cpu_count()} cores, {args.images} images a round, {WORKERS} worker processes")
    with tempfile.TemporaryDirectory() as tmp:
        images = Path(tmp, "images")
        images.mkdir()
        tasks = []
        for n, (data, meta) in enumerate(graphs):
            (images / f"{n}.png").write_bytes(data)
            tasks.append((str(images / f"{n}.png"), msgspec.json.decode(meta)))
        server_dir = Path(tmp, "graphq")
        server_dir.mkdir()
        graphq = Graphq(server_dir)
        spawn = get_context("spawn")
        pool = ProcessPoolExecutor(
            WORKERS,
            mp_context=spawn,
            initializer=_pool_worker_start,
            initargs=(spawn.Barrier(WORKERS),),
        )
        try:
            # Warm both: every process imported and has digitized once.
            warming = [pool.submit(warm, *tasks[n], tmp) for n in range(WORKERS)]
            for future in warming:
                future.result()
            graphq.run(graphs[:WORKERS])
            for repeat in range(args.repeats):
                # Alternate which side goes first, so a drift in the machine's load is shared.
                order = ("bare pool", "graphq") if repeat % 2 == 0 else ("graphq", "bare pool")
                for side in order:
                    out = Path(tempfile.mkdtemp(dir=tmp))
                    seconds = (
                        run_pool(pool, tasks, out) if side == "bare pool" else graphq.run(graphs)
                    )
                    rate = args.images / seconds * 3600
                    load = os.getloadavg()[0]
                    rates[side].append(rate)
                    loads.append(load)
                    print(f"round {repeat + 1}, {side}: {seconds:.1f} s, ", end="")
                    print(f"{rate:,.0f} images/h, load {load:.1f}")
        finally:
            pool.shutdown(cancel_futures=True)
            graphq.close()
    ratio = statistics.median(rates["graphq"]) / statistics.median(rates["bare pool"])
    print(f"\nload average {min(loads):.1f}–{max(loads):.1f}\n")
    print("| side | images/h, median (min–max) |")
    print("|---|---:|")
    for side, seen in rates.items():
        print(f"| {side} | {_spread(seen)} |")
    print(f"\ngraphq / bare pool: {ratio:.2f}")


if __name__ == "__main__":
    main()
