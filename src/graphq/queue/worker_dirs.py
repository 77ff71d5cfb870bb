"""Worker temporary directories, and telling whether the server that made one still runs."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

# Worker temporary directories are named graphq-worker-<server pid>-<random>, so the next
# server can tell which belong to a server that no longer runs.
WORKER_TMP_PREFIX = "graphq-worker-"


def pid_alive(pid: int) -> bool:
    """Whether a process with ``pid`` runs on this machine (one we may not signal counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_worker_dirs(root: Path | None = None) -> int:
    """Remove the worker directories of servers that no longer run; returns how many."""
    removed = 0
    for path in Path(root or tempfile.gettempdir()).glob(f"{WORKER_TMP_PREFIX}*"):
        owner = path.name.removeprefix(WORKER_TMP_PREFIX).split("-", 1)[0]
        if owner.isdigit() and int(owner) != os.getpid() and not pid_alive(int(owner)):
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed
