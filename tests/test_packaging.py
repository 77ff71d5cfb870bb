"""The wheel is a whole graphq: installed away from the checkout, it migrates and serves.

The wheel is built from a copy of the sources (pip builds in place, and the working tree is
shared) and installed without dependencies into a fresh virtual environment that sees this
one's site-packages for them, but not its editable ``graphq``: a plain path in a ``.pth``
file adds the directory without running the ``.pth`` hooks inside it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import httpx
import pytest

PROJECT = Path(__file__).resolve().parents[1]
SERVE_START_S = 60  # a cold start imports litestar, numpy and the job kinds on a busy machine


def _run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
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


def _build_wheel(tmp_path: Path) -> Path:
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
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, ".", cwd=source)
    (wheel,) = dist.glob("graphq-*.whl")
    return wheel


def _fresh_venv(tmp_path: Path, wheel: Path) -> Path:
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    site = _run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=venv)
    Path(site.strip(), "project-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", wheel,
         cwd=tmp_path)  # fmt: skip
    return venv


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _health(url: str) -> int | None:
    try:
        return httpx.get(f"{url}/health", timeout=1).status_code
    except httpx.TransportError:
        return None


@pytest.mark.slow
def test_an_installed_wheel_migrates_its_database_and_serves(tmp_path: Path) -> None:
    venv = _fresh_venv(tmp_path, _build_wheel(tmp_path))
    elsewhere = tmp_path / "elsewhere"  # no config.toml, no src/ on the path
    elsewhere.mkdir()
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("GRAPHQ_") and name not in ("PYTHONPATH", "VIRTUAL_ENV")
    }
    python, graphq = venv / "bin" / "python", venv / "bin" / "graphq"
    imported = _run(python, "-c", "import graphq; print(graphq.__file__)", cwd=elsewhere, env=env)
    assert Path(imported.strip()).is_relative_to(venv)

    data_dir = elsewhere / "data"
    upgraded = _run(graphq, "db", "upgrade", "--data-dir", data_dir, cwd=elsewhere, env=env)
    assert "up to date" in upgraded
    assert (data_dir / "graphq.db").is_file()

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen(
        [graphq, "serve", "--data-dir", data_dir, "--port", str(port)],
        cwd=elsewhere,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + SERVE_START_S
        while (status := _health(url)) is None:
            assert server.poll() is None, f"graphq serve exited: {Path(log.name).read_text()}"
            assert time.monotonic() < deadline, "graphq serve did not answer in time"
            time.sleep(0.2)
        assert status == 200
        assert httpx.get(f"{url}/api/queues", timeout=5).status_code == 401
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    assert "first admin API key" in Path(log.name).read_text()
