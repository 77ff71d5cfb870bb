"""The wheel is a whole graphq: installed away from the checkout (as ``tests/wheel.py``
installs it), it migrates and serves."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.wheel import build_wheel, clean_environment, fresh_venv, run, serving


@pytest.mark.slow
def test_an_installed_wheel_migrates_its_database_and_serves(tmp_path: Path) -> None:
    venv = fresh_venv(tmp_path, build_wheel(tmp_path))
    elsewhere = tmp_path / "elsewhere"  # no config.toml, no src/ on the path
    elsewhere.mkdir()
    env = clean_environment()
    python, graphq = venv / "bin" / "python", venv / "bin" / "graphq"
    imported = run(python, "-c", "import graphq; print(graphq.__file__)", cwd=elsewhere, env=env)
    assert Path(imported.strip()).is_relative_to(venv)

    data_dir = elsewhere / "data"
    upgraded = run(graphq, "db", "upgrade", "--data-dir", data_dir, cwd=elsewhere, env=env)
    assert "up to date" in upgraded
    assert (data_dir / "graphq.db").is_file()

    log = tmp_path / "serve.log"
    with serving(graphq, data_dir, cwd=elsewhere, env=env, log=log) as url:
        assert httpx.get(f"{url}/api/queues", timeout=5).status_code == 401
    assert "first admin API key" in log.read_text()
