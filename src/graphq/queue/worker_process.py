"""The worker process's side of the pool: it sets itself up (its own temporary directory, the
lowest CPU priority, a memory limit), then runs one call at a time and answers over its pipe."""

from __future__ import annotations

import importlib
import os
import resource
import signal
import tempfile
import time
import traceback
from multiprocessing.connection import Connection

from graphq.errors import GraphqError

# Progress goes up the pipe at most this often unless the step changes: a job reporting every
# row would otherwise spend its time in pickling and the server its loop in reading.
_PROGRESS_MIN_INTERVAL_S = 0.1
# Workers run at the lowest CPU priority: when every core digitizes, the event loop (API
# requests, claims, completions) runs first and a job waits a little longer, rather than
# every request queueing behind the jobs. An idle loop leaves the workers all the CPU. At 10
# the loop still lost its core often enough for polls' p99 to reach 30–55 ms with both cores
# busy; at 19 it is 13–15 ms, and images per hour do not fall (the loop's own work is what
# the workers wait for).
WORKER_NICENESS = 19


class ProgressSender:
    """Sends progress up the pipe, at most every 0.1 s unless the step changes."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.sent_at = 0.0
        self.step: str | None = None

    def __call__(self, fraction: float, step: str) -> None:
        now = time.monotonic()
        if step != self.step or now - self.sent_at >= _PROGRESS_MIN_INTERVAL_S:
            self.sent_at, self.step = now, step
            self.conn.send(("progress", float(fraction), step))


def worker_main(conn: Connection, preload: list[str], tmp_dir: str, memory_limit_mb: int) -> None:
    """Set the process up, say it is ready, then run calls until the pipe closes."""
    # Ctrl-C in a terminal reaches the whole process group; the server stops its workers
    # itself, and one interrupted here would only print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["TMPDIR"] = tmp_dir
    tempfile.tempdir = tmp_dir
    os.nice(WORKER_NICENESS)
    if memory_limit_mb > 0:
        limit = memory_limit_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    for module in preload:
        importlib.import_module(module)
    conn.send(("ready",))
    while True:
        try:
            fn, payload = conn.recv()
        except EOFError:
            return
        try:
            result = fn(payload, ProgressSender(conn))
        except GraphqError as exc:
            # The worker lives on: the job's frames must not keep its arrays alive through the
            # traceback (a frame holding the error makes a cycle only a full collection frees).
            release_frames(exc)
            conn.send(("error", exc))
        except MemoryError:
            error = GraphqError(
                "IMAGE_TOO_LARGE",
                f"the job needed more than the {memory_limit_mb} MB a worker may use "
                "(queue.worker_memory_mb)",
            )
            conn.send(("failed", error))
        except Exception as exc:
            error = GraphqError("INTERNAL", f"{type(exc).__name__}: {exc}")
            conn.send(("failed", error))
        else:
            conn.send(("ok", result))


def release_frames(exc: BaseException) -> None:
    """Clear the locals of the finished frames in ``exc``'s traceback and in those of the
    exceptions it chains to."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if current.__traceback__ is not None:
            traceback.clear_frames(current.__traceback__)
        pending += [current.__cause__, current.__context__]
