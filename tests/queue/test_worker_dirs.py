"""Worker directories: those of a server that no longer runs are removed, no others."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from graphq.queue.worker_dirs import WORKER_TMP_PREFIX, remove_stale_worker_dirs


def test_directories_of_a_server_that_no_longer_runs_are_removed(tmp_path: Path) -> None:
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(finished.stdout)
    stale = tmp_path / f"{WORKER_TMP_PREFIX}{dead_pid}-abc"
    live = tmp_path / f"{WORKER_TMP_PREFIX}{os.getppid()}-def"
    unrelated = tmp_path / "graphq-something-else"
    for directory in (stale, live, unrelated):
        directory.mkdir()
    assert remove_stale_worker_dirs(tmp_path) == 1
    assert not stale.exists()
    assert live.exists() and unrelated.exists()
