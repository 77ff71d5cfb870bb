"""A graphq wheel built from a copy of the sources and installed into a fresh virtual
environment, away from the checkout, for the tests that serve from it.

The wheel is built from a copy (pip builds in place, and the working tree is shared) and
installed without dependencies into a virtual environment that sees this one's site-packages
for them, but not its editable ``graphq``: a plain path in a ``.pth`` file adds the directory
without running the ``.pth`` hooks inside it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

PROJECT = Path(__file__).resolve().parents[1]
SERVE_START_S = 60  # a cold start imports litestar, numpy and the job kinds on a busy machine


def run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"
    return done.stdout


def build_wheel(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(PROJECT / name, source / name)
    shutil.copytree(
        PROJECT / "src",
        source / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, ".", cwd=source)
    (wheel,) = dist.glob("graphq-*.whl")
    return wheel


def fresh_venv(tmp_path: Path, wheel: Path) -> Path:
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=venv)
    Path(site.strip(), "project-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", wheel,
         cwd=tmp_path)  # fmt: skip
    return venv


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def health(url: str) -> int | None:
    try:
        return httpx.get(f"{url}/health", timeout=1).status_code
    except httpx.TransportError:
        return None


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without graphq settings or a path to the checkout."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("GRAPHQ_") and name not in ("PYTHONPATH", "VIRTUAL_ENV")
    }
    return {**env, **extra}


@contextmanager
def serving(
    graphq: Path, data_dir: Path, *, cwd: Path, env: dict[str, str], log: Path
) -> Iterator[str]:
    """``graphq serve`` on a free port of 127.0.0.1, answering ``/health``, until the block
    ends; yields its URL. Everything it prints goes to ``log``."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        server = subprocess.Popen(
            [graphq, "serve", "--data-dir", data_dir, "--port", str(port)],
            cwd=cwd,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + SERVE_START_S
            while (status := health(url)) is None:
                assert server.poll() is None, f"graphq serve exited: {log.read_text()}"
                assert time.monotonic() < deadline, "graphq serve did not answer in time"
                time.sleep(0.2)
            assert status == 200
            yield url
        finally:
            server.terminate()
            server.wait(timeout=30)
