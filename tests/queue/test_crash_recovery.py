"""``kill -9`` a real ``graphq serve`` mid-run: every accepted job still completes exactly once."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.sqlite_only(
    "reads the SQLite file of real servers; kill -9 on PostgreSQL is tests/test_three_nodes.py"
)

REPO_ROOT = Path(__file__).resolve().parents[2]
JOBS = 200
LEASE_S = 2.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(data_dir: Path, port: int, lease_s: float = LEASE_S) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
        "GRAPHQ_CONFIG": str(data_dir / "absent.toml"),
        "GRAPHQ_STORAGE_DATA_DIR": str(data_dir),
        "GRAPHQ_SERVER_PORT": str(port),
        "GRAPHQ_QUEUE_HANDLER_MODULES": "tests.queue.handlers",
        "GRAPHQ_QUEUE_WORKER_SLOTS": "4",
        "GRAPHQ_QUEUE_LEASE_S": str(lease_s),
        "GRAPHQ_AUTH_RATE_LIMIT_PER_MINUTE": "100000",
        "GRAPHQ_AUTH_RATE_LIMIT_BURST": "100000",
        "GRAPHQ_SERVER_LOG_LEVEL": "WARNING",
    }


def graphq(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start the CLI in its own session, so ``killpg`` reaches its worker processes too."""
    return subprocess.Popen(
        [sys.executable, "-m", "graphq.cli", *args],
        env=env,
        cwd=env["GRAPHQ_STORAGE_DATA_DIR"],
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_until_healthy(base_url: str, server: subprocess.Popen[bytes], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server exited during start-up"
        try:
            if httpx.get(f"{base_url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError("the server did not become healthy")


def job_counts(db_path: Path) -> dict[str, int]:
    with sqlite3.connect(db_path, timeout=10) as conn:
        return dict(conn.execute("SELECT status, count(*) FROM jobs GROUP BY status").fetchall())


def jobs_in(db_path: Path, status: str) -> set[str]:
    with sqlite3.connect(db_path, timeout=10) as conn:
        rows = conn.execute("SELECT id FROM jobs WHERE status = ?", (status,)).fetchall()
    return {job_id for (job_id,) in rows}


def wait_for(predicate: object, timeout_s: float, db_path: Path) -> dict[str, int]:
    deadline = time.monotonic() + timeout_s
    while True:
        counts = job_counts(db_path)
        if predicate(counts):  # type: ignore[operator]
            return counts
        if time.monotonic() > deadline:
            raise TimeoutError(f"jobs stuck at {counts}")
        time.sleep(0.05)


def kill_group(server: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(server.pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    server.wait(timeout=10)


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "data"
    path.mkdir()
    yield path


def admin_headers(env: dict[str, str], data_dir: Path) -> dict[str, str]:
    keys = subprocess.run(
        [sys.executable, "-m", "graphq.cli", "keys", "create", "--role", "admin"],
        env=env,
        cwd=data_dir,
        capture_output=True,
        text=True,
        check=True,
    )
    secret = keys.stdout.strip().splitlines()[-1]
    return {"Authorization": f"Bearer {secret}"}


def test_jobs_survive_kill_9_mid_run_and_each_completes_exactly_once(data_dir: Path) -> None:
    began = time.monotonic()
    port = free_port()
    env = server_env(data_dir, port)
    log = data_dir / "server.log"
    base_url = f"http://127.0.0.1:{port}"
    db_path = data_dir / "graphq.db"
    headers = admin_headers(env, data_dir)

    servers = [graphq("serve", env=env, log=log)]
    try:
        wait_until_healthy(base_url, servers[0], timeout_s=30)
        with httpx.Client(base_url=base_url, headers=headers, timeout=10) as client:
            product = client.post("/api/products", json={"name": "Crash", "partNumber": "KILL9"})
            assert product.status_code == 201, product.text
            queue = client.post(
                "/api/queue/create", json={"name": "crashy", "maxConcurrentJobs": 4}
            )
            assert queue.status_code == 201, queue.text
            body = {
                "productId": product.json()["id"],
                "queueId": queue.json()["id"],
                "kind": "sleep",
                "parameters": {"seconds": 0.1, "steps": 2},
            }

            def enqueue(_: int) -> str:
                response = client.post("/api/job/create", json=body)
                assert response.status_code == 201, response.text
                return str(response.json()["job"]["id"])

            with ThreadPoolExecutor(max_workers=4) as pool:
                accepted = set(pool.map(enqueue, range(JOBS)))
        assert len(accepted) == JOBS

        before_kill = wait_for(
            lambda c: c.get("completed", 0) >= 20 and c.get("processing", 0) > 0, 30, db_path
        )
        kill_group(servers[0])
        mid_run = jobs_in(db_path, "processing")
        assert mid_run, "the kill should catch jobs mid-run"

        servers.append(graphq("serve", env=env, log=log))
        wait_until_healthy(base_url, servers[1], timeout_s=30)
        final = wait_for(lambda c: c.get("completed", 0) == JOBS, 45, db_path)
    finally:
        for server in servers:
            kill_group(server)

    assert final == {"completed": JOBS}, final
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT j.id, count(r.id) FROM jobs j LEFT JOIN extraction_results r "
            "ON r.job_id = j.id GROUP BY j.id"
        ).fetchall()
        attempts = dict(conn.execute("SELECT id, attempts FROM jobs").fetchall())
        orphans = conn.execute(
            "SELECT count(*) FROM extraction_results WHERE job_id NOT IN (SELECT id FROM jobs)"
        ).fetchone()[0]
    assert {job_id for job_id, _ in rows} == accepted
    assert all(count == 1 for _, count in rows), [r for r in rows if r[1] != 1]
    assert orphans == 0
    # The runs the kill interrupted ran again after their leases expired; no other job did.
    assert {job_id for job_id, n in attempts.items() if n == 2} == mid_run
    assert all(n in (1, 2) for n in attempts.values())
    print(
        f"killed at {before_kill}; {len(mid_run)} jobs were mid-run; "
        f"all {JOBS} completed once in {time.monotonic() - began:.1f} s"
    )


def test_a_restarted_server_takes_back_its_predecessors_jobs_without_waiting_out_leases(
    data_dir: Path, tmp_path: Path
) -> None:
    """With leases far longer than the test waits, the killed server's jobs can only finish
    if the restarted server knows their owner is gone; its workers' directories go too."""
    port = free_port()
    tmp_root = tmp_path / "tmp"
    tmp_root.mkdir()
    env = server_env(data_dir, port, lease_s=3600) | {"TMPDIR": str(tmp_root)}
    log = data_dir / "server.log"
    base_url = f"http://127.0.0.1:{port}"
    db_path = data_dir / "graphq.db"
    headers = admin_headers(env, data_dir)

    servers = [graphq("serve", env=env, log=log)]
    try:
        wait_until_healthy(base_url, servers[0], timeout_s=60)
        with httpx.Client(base_url=base_url, headers=headers, timeout=10) as client:
            product = client.post("/api/products", json={"name": "Restart", "partNumber": "R1"})
            body = {
                "productId": product.json()["id"],
                "kind": "sleep",
                "parameters": {"seconds": 6, "steps": 6},
            }
            accepted = {client.post("/api/job/create", json=body).json()["job"]["id"]}
        wait_for(lambda c: c.get("processing", 0) == 1, 60, db_path)
        kill_group(servers[0])
        left_by_the_dead = list(tmp_root.glob("graphq-worker-*"))
        assert left_by_the_dead, "the killed server's workers had directories"

        servers.append(graphq("serve", env=env, log=log))
        wait_until_healthy(base_url, servers[1], timeout_s=60)
        wait_for(lambda c: c.get("completed", 0) == 1, 120, db_path)
    finally:
        for server in servers:
            kill_group(server)
    assert jobs_in(db_path, "completed") == accepted
    assert not [d for d in left_by_the_dead if d.exists()]
