"""A real ``graphq serve`` on 127.0.0.1 and the system's headless Chromium driven by Playwright.

The browser is Debian's ``/usr/bin/chromium`` (``scripts/test`` installs it); Playwright
never downloads one. Every request the browser makes passes a route handler that lets only
127.0.0.1 through and records anything else, so a test can say nothing left the machine.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOST = "127.0.0.1"
START_TIMEOUT_S = 60
ROLES = ("viewer", "operator", "admin")
# The console script installed beside the interpreter running the tests.
GRAPHQ = Path(sys.executable).parent / "graphq"


def graphq(*args: str, data_dir: Path) -> str:
    command = [str(GRAPHQ), *args]
    env = {**os.environ, "GRAPHQ_STORAGE_DATA_DIR": str(data_dir)}
    return subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    url: str
    keys: dict[str, str]
    process: subprocess.Popen[bytes]

    def api(self, role: str = "admin") -> httpx.Client:
        return httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {self.keys[role]}"}, timeout=10
        )


@dataclass
class Outside:
    """Requests the browser tried to send anywhere but 127.0.0.1 (all were aborted)."""

    urls: list[str] = field(default_factory=list)


def require_browser() -> None:
    """Skip without Chromium or Playwright on a developer's machine; CI must have both."""
    missing = [
        what
        for what, ok in (("chromium", CHROMIUM.exists()), ("playwright", _has_playwright()))
        if not ok
    ]
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"browser tests need {', '.join(missing)} in CI (scripts/test installs them)")
    if missing:
        pytest.skip(f"no {', '.join(missing)} on this machine")


def _has_playwright() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def start_server(data_dir: Path) -> Iterator[Server]:
    graphq("db", "upgrade", data_dir=data_dir)
    keys = {
        role: graphq("keys", "create", "--role", role, "--name", role, data_dir=data_dir)
        .strip()
        .splitlines()[-1]
        for role in ROLES
    }
    port = free_port()
    env = {
        **os.environ,
        "GRAPHQ_STORAGE_DATA_DIR": str(data_dir),
        "GRAPHQ_EVENTS_KEEPALIVE_S": "2",
        "GRAPHQ_QUEUE_SHUTDOWN_TIMEOUT_S": "2",
    }
    process = subprocess.Popen(
        [str(GRAPHQ), "serve", "--host", HOST, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                if httpx.get(f"{url}/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("graphq serve did not become ready")
            time.sleep(0.2)
        yield Server(url, keys, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == HOST
