"""CPU of the cluster's event relay alone: nodes publishing job events to one another.

Several :class:`~graphq.queue.event_relay.EventRelay` nodes in this one process, on a
throwaway PostgreSQL 15 cluster (:mod:`tests.postgres`), each publishing progress events of
its jobs in small batches, as running jobs do, until every node has handed on every node's
events. Reported per 1,000 events published: this process's CPU (every node's writes and
reads, each event handed on once per node) and PostgreSQL's. Both hardly move with the load
of a shared machine, where the wall time does.

    .venv/bin/python -m benchmarks.event_relay [--nodes 3] [--events 3000] [--batch 6]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import anyio
from tests.postgres import PostgresCluster

from benchmarks.process_cpu import CpuMeter
from graphq.config import load_settings
from graphq.db.migrate import upgrade
from graphq.queue.event_relay import EventRelay
from graphq.queue.events import Event, EventBus

# A job's progress events come a few at a time, spaced by the job's work.
BATCH_GAP_S = 0.002


@dataclass
class CountingBus(EventBus):
    """A bus that says when it was handed all it expects."""

    expected: int = 0
    delivered: int = 0
    all_in: anyio.Event = field(default_factory=anyio.Event)

    def deliver(self, event: Event) -> None:
        super().deliver(event)
        self.delivered += 1
        if self.delivered == self.expected:
            self.all_in.set()


async def _publish(bus: EventBus, events: int, batch: int) -> None:
    queue_id = str(uuid.uuid4())
    for _ in range(events // batch):
        job_id = str(uuid.uuid4())
        for step in range(batch):
            data = {"jobId": job_id, "status": "processing", "progress": step / batch}
            bus.publish("job:progress_updated", data, queue_id=queue_id, job_id=job_id)
        await anyio.sleep(BATCH_GAP_S)


async def measure(
    cluster: PostgresCluster, url: str, nodes: int, events: int, batch: int
) -> tuple[int, float, float, float]:
    """(events published, seconds, this process's CPU seconds, PostgreSQL's)."""
    total = nodes * (events // batch) * batch
    buses = [CountingBus(replay_size=100, expected=total) for _ in range(nodes)]
    relays = [EventRelay(url, f"node-{n}", bus, lambda _e: None) for n, bus in enumerate(buses)]
    for bus, relay in zip(buses, relays, strict=True):
        bus.relay = relay.take
    postmaster = int((cluster.data_dir / "postmaster.pid").read_text().split()[0])
    async with anyio.create_task_group() as tg:
        for relay in relays:
            tg.start_soon(relay.run)
        for relay in relays:
            await relay.ready.wait()
        meter = CpuMeter(postmaster, [])
        began, cpu_began = time.monotonic(), time.process_time()
        async with anyio.create_task_group() as publishers:
            for bus in buses:
                publishers.start_soon(_publish, bus, events, batch)
        for bus in buses:
            await bus.all_in.wait()
        seconds, cpu_s = time.monotonic() - began, time.process_time() - cpu_began
        db_s = meter.stop().db_s
        tg.cancel_scope.cancel()
    return total, seconds, cpu_s, db_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--events", type=int, default=3000, help="published by each node")
    parser.add_argument("--batch", type=int, default=6, help="events a job publishes at once")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, PostgresCluster.started() as cluster:
        url = cluster.create_database("relay")
        overrides = {"storage": {"data_dir": tmp, "database_url": url}}
        upgrade(load_settings(Path("/nonexistent.toml"), environ={}, overrides=overrides))
        total, seconds, cpu_s, db_s = anyio.run(
            measure, cluster, url, args.nodes, args.events, args.batch
        )
    per = 1e6 / total
    print(
        f"{total} events among {args.nodes} nodes in {seconds:.2f} s: CPU ms per 1,000 events "
        f"{cpu_s * per:.1f} (this process), {db_s * per:.1f} (PostgreSQL); "
        f"load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
