"""Three real ``graphq serve`` processes on one PostgreSQL; one is ``kill -9``'d mid-run.

600 jobs go in over HTTP, spread over the three nodes, urgent and low mixed, into a paused
queue that is then resumed. Every job must complete exactly once, no job may run on two
nodes at once, every urgent job must be claimed before any low one, and an SSE client on
node A must see node C's completions, and the queue's counters must add up to the table.
"""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import msgspec

from graphq.config import Settings
from tests.conftest import make_settings, query_rows
from tests.queue.helpers import counted, recounted
from tests.queue.test_crash_recovery import (
    admin_headers,
    free_port,
    graphq,
    kill_group,
    server_env,
    wait_until_healthy,
)

JOBS = 600
NODES = 3
# Each job naps this long on its node's event loop: short, yet the killed node always has
# jobs in its slots (it claims the next ones as soon as its runs end).
JOB_S = 0.02


def counts(settings: Settings) -> dict[str, int]:
    rows = query_rows(settings, "SELECT status, count(*) AS n FROM jobs GROUP BY status")
    return {row["status"]: row["n"] for row in rows}


def wait_for(
    settings: Settings, predicate: Callable[[dict[str, int]], bool], timeout_s: float
) -> dict[str, int]:
    deadline = time.monotonic() + timeout_s
    while True:
        now = counts(settings)
        if predicate(now):
            return now
        if time.monotonic() > deadline:
            raise TimeoutError(f"jobs stuck at {now}")
        time.sleep(0.1)


class EventStream:
    """An SSE client in a thread, keeping the job ids of every ``job:completed`` it sees."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.completed: set[str] = set()
        self.connected = threading.Event()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            self._follow()
        except httpx.TransportError:
            return  # the node went away at the end of the test

    def _follow(self) -> None:
        name = ""
        with httpx.stream("GET", self.url, timeout=httpx.Timeout(10, read=30)) as response:
            for line in response.iter_lines():
                if line == ": connected":
                    self.connected.set()
                if line.startswith("event: "):
                    name = line.removeprefix("event: ")
                elif line.startswith("data: ") and name == "job:completed":
                    self.completed.add(msgspec.json.decode(line.removeprefix("data: "))["jobId"])
                if self.stop.is_set():
                    return


def test_three_nodes_share_one_queue_through_a_kill_9(
    postgres_database: str, tmp_path: Path
) -> None:
    began = time.monotonic()
    reader = make_settings(tmp_path / "reader", storage={"database_url": postgres_database})
    ports = [free_port() for _ in range(NODES)]
    envs = []
    for n, port in enumerate(ports):
        data_dir = tmp_path / f"node{n}"
        data_dir.mkdir()
        envs.append(
            server_env(data_dir, port)
            | {
                "GRAPHQ_STORAGE_DATABASE_URL": postgres_database,
                "GRAPHQ_EVENTS_KEEPALIVE_S": "0.5",
                "GRAPHQ_QUEUE_HANDLER_MODULES": "tests.queue.handlers,tests.queue.cluster_handlers",
            }
        )
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    servers = [
        graphq("serve", env=env, log=tmp_path / f"node{n}.log") for n, env in enumerate(envs)
    ]
    stream: EventStream | None = None
    try:
        headers = admin_headers(envs[0], tmp_path / "node0")  # while the nodes start
        for url, server in zip(urls, servers, strict=True):
            wait_until_healthy(url, server, timeout_s=60)
        up_s = time.monotonic() - began
        clients = [httpx.Client(base_url=url, headers=headers, timeout=30) for url in urls]
        a, b, c = clients
        product = a.post("/api/products", json={"name": "Nodes", "partNumber": "NODES3"})
        assert product.status_code == 201, product.text
        queue = a.post("/api/queue/create", json={"name": "shared", "maxConcurrentJobs": 12})
        assert queue.status_code == 201, queue.text
        queue_id = queue.json()["id"]
        assert b.post(f"/api/queue/{queue_id}/pause").status_code == 201

        stream = EventStream(f"{urls[0]}/api/events?key={headers['Authorization'][7:]}")
        assert stream.connected.wait(10)

        # One batch through each node, all at once.
        rng = random.Random(17)
        batches = [
            [
                {"productId": product.json()["id"], "kind": "nap",
                 "parameters": {"seconds": JOB_S, "steps": 1},
                 "priority": rng.choice(["urgent", "low"])}
                for _ in range(JOBS // NODES)
            ]
            for _ in clients
        ]  # fmt: skip
        with ThreadPoolExecutor(NODES) as pool:
            created = list(
                pool.map(
                    lambda client, jobs: client.post(
                        "/api/batch/create", json={"queueId": queue_id, "jobs": jobs}
                    ),
                    clients,
                    batches,
                )
            )
        priority: dict[str, str] = {}
        for response in created:
            assert response.status_code == 201, response.text
            priority |= {job["id"]: job["priority"] for job in response.json()["jobs"]}
        assert len(priority) == JOBS
        assert c.post(f"/api/queue/{queue_id}/resume").status_code == 201
        queued_s = time.monotonic() - began

        wait_for(reader, lambda n: n.get("completed", 0) >= JOBS // 4, 60)
        while not _running_on(reader, servers[1].pid):
            time.sleep(0.01)
        kill_group(servers[1])
        killed_s = time.monotonic() - began
        mid_run = _running_on(reader, servers[1].pid)
        assert mid_run, "the kill should catch jobs mid-run"
        final = wait_for(reader, lambda n: n.get("completed", 0) == JOBS, 60)
        done_s = time.monotonic() - began
        c_owner = _owner_of(reader, servers[2].pid)
        c_completed = _completed_by(reader, c_owner)
        deadline = time.monotonic() + 10
        while not c_completed <= stream.completed and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        if stream is not None:
            stream.stop.set()
        for server in servers:
            kill_group(server)

    assert final == {"completed": JOBS}, final
    # The queue's counters, each node's connections counting in shards of their own (and a
    # node killed mid-transaction), add up to the table.
    assert counted(reader) == recounted(reader)
    jobs = query_rows(
        reader,
        "SELECT j.id, j.attempts, j.started_at, count(r.id) AS results FROM jobs j "
        "LEFT JOIN extraction_results r ON r.job_id = j.id GROUP BY j.id",
    )
    assert {job["id"] for job in jobs} == set(priority)
    assert all(job["results"] == 1 for job in jobs), [j for j in jobs if j["results"] != 1]

    # No job ran on two nodes at once: a second attempt only for the killed node's jobs.
    twice = {job["id"] for job in jobs if job["attempts"] == 2}
    assert twice == mid_run
    assert all(job["attempts"] in (1, 2) for job in jobs)
    runners = _nodes_per_job(reader, "job:status_changed", "processing")
    completers = _nodes_per_job(reader, "job:completed", None)
    assert all(len(nodes) == 1 for nodes in completers.values())
    assert {job_id for job_id, nodes in runners.items() if len(nodes) > 1} <= mid_run

    # Every urgent job was claimed before any low one (the interrupted runs started again).
    first_claims = {job["id"]: job["started_at"] for job in jobs if job["attempts"] == 1}
    urgent = [at for job_id, at in first_claims.items() if priority[job_id] == "urgent"]
    low = [at for job_id, at in first_claims.items() if priority[job_id] == "low"]
    assert max(urgent) <= min(low)

    # Node A's stream saw node C's completions; all three nodes did work.
    assert c_completed and c_completed <= stream.completed
    assert len({node for nodes in completers.values() for node in nodes}) == NODES
    print(
        f"{len(mid_run)} jobs were mid-run on the killed node; C completed {len(c_completed)}; "
        f"nodes up {up_s:.1f} s, jobs in {queued_s:.1f} s, kill {killed_s:.1f} s, "
        f"all {JOBS} completed once {done_s:.1f} s after the start"
    )


def _running_on(settings: Settings, pid: int) -> set[str]:
    rows = query_rows(
        settings,
        "SELECT id FROM jobs WHERE status = 'processing' AND lease_owner LIKE $1",
        f"%:{pid}:%",
    )
    return {row["id"] for row in rows}


def _owner_of(settings: Settings, pid: int) -> str:
    (row,) = query_rows(
        settings,
        "SELECT DISTINCT node FROM queue_events WHERE node LIKE $1",
        f"%:{pid}:%",
    )
    return str(row["node"])


def _completed_by(settings: Settings, node: str) -> set[str]:
    rows = query_rows(
        settings,
        "SELECT job_id FROM queue_events WHERE name = 'job:completed' AND node = $1",
        node,
    )
    return {row["job_id"] for row in rows}


def _nodes_per_job(settings: Settings, name: str, status: str | None) -> dict[str, set[str]]:
    rows = query_rows(
        settings,
        "SELECT job_id, node, data::text AS data FROM queue_events WHERE name = $1",
        name,
    )
    nodes: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        data: dict[str, Any] = msgspec.json.decode(row["data"])
        if status is None or data.get("status") == status:
            nodes[row["job_id"]].add(row["node"])
    return dict(nodes)
