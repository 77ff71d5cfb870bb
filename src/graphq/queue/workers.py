"""A pool of worker processes for CPU-heavy job work.

Processes, not threads: digitizing and fitting hold the GIL in long stretches of Python and
would stall the API (``benchmarks/queue_responsiveness.py``: with two CPU-bound jobs running,
``GET /api/job/{id}`` stays near its idle latency with processes and slows ~50-fold with
threads). Each worker runs one call at a time and reports progress over its pipe;
cancelling a call kills its process (the only way to stop numpy mid-loop within a second) and
a fresh worker takes its place.

Each worker has a temporary directory of its own (its ``TMPDIR``: ngspice's run directories
and anything else a job writes go there). When a worker is killed (cancel, timeout) or found
dead, its directory goes with it; directories left by a server that died are removed when the
next pool starts, so no crash leaves debris in ``/tmp``. A worker found dead before a job gets
it is replaced first: the job is not charged an attempt for it.
"""

from __future__ import annotations

import importlib
import logging
import math
import multiprocessing
import os
import resource
import shutil
import signal
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import anyio

from graphq.errors import GraphqError

log = logging.getLogger(__name__)

OnProgress = Callable[[float, str], Awaitable[None]]

_PROGRESS_MIN_INTERVAL_S = 0.1
# Worker temporary directories are named graphq-worker-<server pid>-<random>, so the next
# server can tell which belong to a server that no longer runs.
WORKER_TMP_PREFIX = "graphq-worker-"
# Workers run at the lowest CPU priority: when every core digitizes, the event loop (API
# requests, claims, completions) runs first and a job waits a little longer, rather than
# every request queueing behind the jobs. An idle loop leaves the workers all the CPU. At 10
# the loop still lost its core often enough for polls' p99 to reach 30–55 ms with both cores
# busy; at 19 it is 13–15 ms, and images per hour do not fall (the loop's own work is what
# the workers wait for).
WORKER_NICENESS = 19


class _ProgressSender:
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


def _worker_main(conn: Connection, preload: list[str], tmp_dir: str, memory_limit_mb: int) -> None:
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
            result = fn(payload, _ProgressSender(conn))
        except GraphqError as exc:
            conn.send(("error", exc))
        except MemoryError:
            error = GraphqError(
                "IMAGE_TOO_LARGE",
                f"the job needed more than the {memory_limit_mb} MB a worker may use "
                "(queue.worker_memory_mb)",
            )
            conn.send(("error", error))
        except Exception as exc:
            error = GraphqError("INTERNAL", f"{type(exc).__name__}: {exc}")
            conn.send(("error", error))
        else:
            conn.send(("ok", result))


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


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    tmp_dir: Path

    def receive(self) -> Any:
        """One whole message, blocking until it has all arrived.

        uvloop leaves a pipe it watched in non-blocking mode, and a message larger than the
        pipe buffer (a result with an overlay image) would then fail halfway with EAGAIN.
        """
        os.set_blocking(self.conn.fileno(), True)
        return self.conn.recv()

    def wait_ready(self) -> _Worker:
        """Block until the worker has imported its modules: its start-up is not job time."""
        try:
            message = self.receive()
        except EOFError:
            message = None
        if message != ("ready",):
            self.kill()
            raise GraphqError("WORKER_CRASHED", "a worker process failed to start")
        return self

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()
        shutil.rmtree(self.tmp_dir, ignore_errors=True)


def _kill_all(workers: list[_Worker]) -> None:
    for worker in workers:
        worker.kill()


class WorkerPool:
    """``size`` worker processes, spawned once at start and replaced when one is killed."""

    def __init__(self, size: int, preload: Iterable[str] = (), memory_limit_mb: int = 0) -> None:
        self.size = size
        self.preload = list(preload)
        self.memory_limit_mb = memory_limit_mb
        self._context = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []
        # Spawned by start() and still importing: close() kills them rather than waiting.
        self._starting: list[_Worker] = []
        self._alive = 0
        self._available = anyio.Semaphore(size)
        self._closed = False
        self.started = anyio.Event()

    def _spawn(self) -> _Worker:
        tmp_dir = Path(tempfile.mkdtemp(prefix=f"{WORKER_TMP_PREFIX}{os.getpid()}-"))
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_worker_main,
            args=(child, self.preload, str(tmp_dir), self.memory_limit_mb),
            daemon=True,
            name="graphq-worker",
        )
        process.start()
        child.close()
        return _Worker(process, parent, tmp_dir)

    async def start(self) -> None:
        """Spawn the workers in a thread: importing numpy in each takes a moment."""
        removed = await anyio.to_thread.run_sync(remove_stale_worker_dirs)
        if removed:
            log.info("removed %d temporary directories of workers of a stopped server", removed)
        missing = self.size - self._alive
        self._alive += missing
        self._starting = starting = []

        def spawn_and_wait() -> list[_Worker]:
            for _ in range(missing):
                starting.append(self._spawn())
            try:
                if self._closed:  # close() came while they spawned and may not have seen all
                    raise GraphqError("SHUTTING_DOWN", "the worker pool closed while starting")
                return [w.wait_ready() for w in starting]
            except Exception:
                # Cleaned up here, not by the task awaiting this, which may be cancelled.
                _kill_all(starting)
                raise

        try:
            workers = await anyio.to_thread.run_sync(spawn_and_wait)
        except Exception:
            if self._closed:  # close() stopped them while they were starting
                return
            # None started (killed from outside, or the server's process group was signalled
            # to stop while they imported): each job spawns its own worker instead, and the
            # server runs on rather than dying with them.
            self._alive -= missing
            log.exception("the worker processes failed to start; jobs will start their own")
            self.started.set()  # jobs waiting for the start find no worker and spawn their own
            return
        finally:
            self._starting = []
        if self._closed:  # shut down just as they became ready
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(_kill_all, workers)
            return
        self._idle.extend(workers)
        log.info("%d worker processes ready", len(workers))
        self.started.set()

    async def _checkout(self) -> _Worker:
        if not self._idle and self._alive >= self.size:
            await self.started.wait()
        while self._idle:
            worker = self._idle.pop()
            if worker.process.is_alive():
                return worker
            # Died while idle (killed from outside, out of memory): replaced below, and the
            # job about to run is not charged for it.
            log.warning("worker %s died while idle; starting another", worker.process.pid)
            await anyio.to_thread.run_sync(worker.kill)
            self._alive -= 1
        # A worker was killed (cancelled job): its replacement starts off the event loop.
        self._alive += 1
        try:
            return await anyio.to_thread.run_sync(lambda: self._spawn().wait_ready())
        except BaseException:
            self._alive -= 1
            raise

    async def run(
        self,
        fn: Callable[[Any, Any], Any],
        payload: Any,
        on_progress: OnProgress,
        *,
        timeout_s: float = math.inf,
    ) -> Any:
        """``fn(payload, progress)`` in a worker; ``timeout_s`` counts from when the worker has
        the call (TimeoutError beyond it), not while a worker is found or started."""
        if self._closed:
            raise GraphqError("SHUTTING_DOWN", "the worker pool is closed")
        async with self._available:
            worker = await self._checkout()
            try:
                with anyio.fail_after(timeout_s):
                    result = await self._exchange(worker, fn, payload, on_progress)
            except BaseException:
                # Cancelled, timed out or the pipe broke: the worker's state is unknown.
                with anyio.CancelScope(shield=True):
                    await anyio.to_thread.run_sync(worker.kill)
                    self._alive -= 1
                raise
            self._idle.append(worker)
            return result

    async def _exchange(
        self, worker: _Worker, fn: Callable[[Any, Any], Any], payload: Any, on_progress: OnProgress
    ) -> Any:
        worker.conn.send((fn, payload))
        while True:
            await anyio.wait_readable(worker.conn.fileno())
            try:
                # In a thread: a large message must not hold the event loop while it streams.
                message = await anyio.to_thread.run_sync(worker.receive)
            except EOFError:
                raise GraphqError(
                    "WORKER_CRASHED", "the worker process died while running the job"
                ) from None
            match message:
                case ("progress", fraction, step):
                    await on_progress(fraction, step)
                case ("ok", result):
                    return result
                case ("error", error):
                    raise error

    async def close(self) -> None:
        self._closed = True
        idle, self._idle = self._idle, []
        self._alive -= len(idle)
        # A stop does not wait for starting workers to load numpy: their processes end now,
        # and start() cleans them up when their start-up thread sees the pipe close.
        for worker in list(self._starting):
            worker.process.kill()
        await anyio.to_thread.run_sync(_kill_all, idle)
