"""Files in the data directory: names are generated here, never taken from a client.

Every path is built from ids the server generated and checked to stay inside the data
directory, so no client-supplied string can reach the filesystem. The database records paths
relative to the directory, so several servers on one PostgreSQL database share their files by
mounting one directory (a shared filesystem), wherever each mounts it.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import time
from pathlib import Path

from graphq.queue.worker_dirs import pid_alive

# Staged (not yet published) files start with this; nothing else in the data directory does.
# The name goes on with the pid and host of the server that staged it: ``.tmp-<pid>@<host>@``.
STAGED_PREFIX = ".tmp-"
# A staged file this old belongs to a server that died: staging to publishing spans one
# upload or one job's store, seconds. Only the age tells for a file another machine staged
# in a shared directory; one this machine staged is judged by its server's pid at once.
STALE_STAGED_S = 3600.0


def _staging_prefix() -> str:
    return f"{STAGED_PREFIX}{os.getpid()}@{socket.gethostname()}@"


def _staged_by_a_gone_server(path: Path, now: float) -> bool:
    """Called at start-up, before this process stages anything: a file with this process's
    pid is an earlier start's (a restarted container may get its pid back)."""
    pid, _, rest = path.name.removeprefix(STAGED_PREFIX).partition("@")
    host, named, _ = rest.partition("@")
    if not named or not pid.isdigit():
        return True  # named before servers shared a directory: an earlier version's
    if host == socket.gethostname() and (int(pid) == os.getpid() or not pid_alive(int(pid))):
        return True
    try:
        return now - path.stat().st_mtime > STALE_STAGED_S
    except FileNotFoundError:  # its server published it meanwhile
        return False


class Storage:
    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir.resolve()

    def _inside(self, *parts: str) -> Path:
        path = self.root.joinpath(*parts).resolve()
        if not path.is_relative_to(self.root):
            raise ValueError(f"path escapes the data directory: {parts}")
        return path

    def image_path(self, product_id: str, image_id: str, extension: str) -> Path:
        return self._inside("images", product_id, f"{image_id}.{extension}")

    def datasheet_path(self, product_id: str, datasheet_id: str) -> Path:
        return self._inside("datasheets", product_id, f"{datasheet_id}.pdf")

    def result_path(self, product_id: str, job_id: str, suffix: str) -> Path:
        return self._inside("results", product_id, f"{job_id}{suffix}")

    def model_path(self, product_id: str, job_id: str, suffix: str) -> Path:
        """Named by the fitting job, like a result: a store retried after a failed commit
        overwrites its own files instead of leaving orphans beside the model it records."""
        return self._inside("models", product_id, f"{job_id}{suffix}")

    def relative(self, path: Path) -> str:
        return str(path.relative_to(self.root))

    def absolute(self, relative: str) -> Path:
        return self._inside(relative)

    def stage(self, path: Path, data: bytes) -> Path:
        """Write ``data`` to a hidden temporary file beside ``path`` and return it.

        Renaming the staged file onto ``path`` is atomic (same directory, same filesystem),
        so a caller can stage several files and publish them only once it has committed.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_staging_prefix())
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return Path(tmp)

    def write_atomic(self, path: Path, data: bytes) -> None:
        """Write to a temporary file and rename, so a crash never leaves half a file."""
        staged = self.stage(path, data)
        try:
            os.replace(staged, path)
        except BaseException:
            staged.unlink(missing_ok=True)
            raise

    def remove(self, path: Path) -> None:
        path.unlink(missing_ok=True)

    def remove_product(self, product_id: str) -> None:
        for area in ("datasheets", "images", "results", "models"):
            shutil.rmtree(self._inside(area, product_id), ignore_errors=True)

    def remove_staged(self) -> int:
        """Remove staged files a crash left half-written (``.tmp-*``); returns how many.

        Called at start, before anything is staged. A staged file belongs to a request or
        job of a server that died before publishing it, unless another server sharing the
        directory is still writing it: those are left alone (see ``STALE_STAGED_S``).
        """
        now = time.time()
        staged = [
            p
            for p in self.root.rglob(f"{STAGED_PREFIX}*")
            if p.is_file() and _staged_by_a_gone_server(p, now)
        ]
        for path in staged:
            path.unlink(missing_ok=True)
        return len(staged)
