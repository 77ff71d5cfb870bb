"""The app's life as an operator sees it from a terminal."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx

from tests.queue.test_crash_recovery import free_port, graphq, server_env, wait_until_healthy


def test_ctrl_c_stops_the_server_and_its_workers_without_an_error_line(tmp_path: Path) -> None:
    """Ctrl-C reaches the terminal's whole process group: the server, and its warm workers.
    (Pressed while the workers still import, it interrupts them: not covered here.)"""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    port = free_port()
    # Two workers, not four: enough to stop more than one, and each imports every job kind.
    env = server_env(data_dir, port) | {
        "GRAPHQ_SERVER_LOG_LEVEL": "INFO",
        "GRAPHQ_QUEUE_WORKER_SLOTS": "2",
    }
    log = data_dir / "server.log"
    server = graphq("serve", env=env, log=log)
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", server, timeout_s=60)
        assert httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200
        deadline = time.monotonic() + 60
        while "worker processes ready" not in log.read_text():
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.1)
        os.killpg(server.pid, signal.SIGINT)
        assert server.wait(timeout=60) == 0
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    text = log.read_text()
    assert "Application shutdown complete" in text
    for sign in ("Traceback", "ERROR", "KeyboardInterrupt", "Task was destroyed"):
        assert sign not in text, text[-3000:]
