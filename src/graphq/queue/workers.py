"""A pool of worker processes for CPU-heavy job work.

Processes, not threads: digitizing and fitting hold the GIL in long stretches of Python and
would stall the API (``benchmarks/queue_responsiveness.py``: with two CPU-bound jobs running,
``GET /api/job/{id}`` stays near its idle latency with processes and slows ~50-fold with
threads). Each worker runs one call at a time and reports progress over its pipe;
cancelling a call kills its process (the only way to stop numpy mid-loop within a second) and
a fresh worker takes its place. A job that fails with a GraphqError of its own (bad input:
IMAGE_TOO_LARGE, NO_CURVES_FOUND) ended in good order, and its worker takes the next call: a
start costs seconds, far more at niceness 19 on a busy machine. Only a worker that crashed,
timed out, was cancelled, lost its pipe or raised anything else (its state is then unknown) is
replaced.

Each worker has a temporary directory of its own (its ``TMPDIR``: ngspice's run directories
and anything else a job writes go there). When a worker is killed (cancel, timeout) or found
dead, its directory goes with it; directories left by a server that died are removed when the
next pool starts, so no crash leaves debris in ``/tmp``. A worker found dead before a job gets
it is replaced first: the job is not charged an attempt for it.

Closing the pool kills and reaps every worker it spawned, whatever it is doing: starting (a
start at niceness 19 on a busy machine can take minutes), idle or running a call. Nothing
waits for a start in a thread that a cancel or a close could not reach.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import shutil
import tempfile
import threading
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import anyio

from graphq.errors import GraphqError
from graphq.queue.worker_dirs import WORKER_TMP_PREFIX, remove_stale_worker_dirs
from graphq.queue.worker_process import worker_main

log = logging.getLogger(__name__)

OnProgress = Callable[[float, str], Awaitable[None]]

# A worker that has not said it is ready this long after its spawn is taken for stuck (an
# import that hangs) and killed: the job waiting for it fails and is retried rather than
# waiting forever. Generous, as a start at niceness 19 waits for every busier process: with
# the built-in job kinds one took 4.5 s at load 18, and had not finished after 240 s behind
# three CPU-bound processes in the same session (2 cores).
WORKER_START_TIMEOUT_S = 600.0
# A killed process is gone within milliseconds unless the kernel is stuck on it (I/O);
# waiting longer would hold up a shutdown for a process that can no longer run.
_REAP_TIMEOUT_S = 5.0


@dataclass(eq=False)
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

    def kill(self) -> None:
        """Kill and reap the process, and remove its pipe and directory (blocks: a thread)."""
        self.process.kill()
        self.process.join(timeout=_REAP_TIMEOUT_S)
        self.conn.close()
        shutil.rmtree(self.tmp_dir, ignore_errors=True)


def _lost_worker(exc: BaseException) -> bool:
    """Whether a call failed because its worker process died (the pipe broke or closed)."""
    return isinstance(exc, ConnectionError) or (
        isinstance(exc, GraphqError) and exc.code == "WORKER_CRASHED"
    )


class WorkerPool:
    """``size`` worker processes, spawned once at start and replaced when one is killed.

    The pool knows every process it spawned until that process is reaped, whatever it does
    (starting, idle, running a call), so :meth:`close` can end them all and return.
    """

    def __init__(
        self,
        size: int,
        preload: Iterable[str] = (),
        memory_limit_mb: int = 0,
        start_timeout_s: float = WORKER_START_TIMEOUT_S,
    ) -> None:
        self.size = size
        self.preload = list(preload)
        self.memory_limit_mb = memory_limit_mb
        self.start_timeout_s = start_timeout_s
        self._context = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []
        # Every worker spawned and not yet reaped. Spawns run in threads: the lock makes each
        # either refused by a closed pool or recorded before close() looks.
        self._children: set[_Worker] = set()
        self._lock = threading.Lock()
        self._alive = 0
        self._available = anyio.Semaphore(size)
        self._closed = False
        # Set once the start is over: the workers are ready, failed to start, or the pool closed.
        self.started = anyio.Event()

    def _spawn(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise GraphqError("SHUTTING_DOWN", "the worker pool is closed")
            tmp_dir = Path(tempfile.mkdtemp(prefix=f"{WORKER_TMP_PREFIX}{os.getpid()}-"))
            parent, child = self._context.Pipe(duplex=True)
            process = self._context.Process(
                target=worker_main,
                args=(child, self.preload, str(tmp_dir), self.memory_limit_mb),
                daemon=True,
                name="graphq-worker",
            )
            process.start()
            child.close()
            worker = _Worker(process, parent, tmp_dir)
            self._children.add(worker)
        return worker

    def _discard(self, workers: Iterable[_Worker]) -> None:
        """Kill the workers and remove all of them (blocks: run in a thread)."""
        for worker in workers:
            worker.kill()
            with self._lock:
                self._children.discard(worker)

    async def _start_workers(self, count: int) -> list[_Worker]:
        """``count`` new workers, ready; none is left behind if they fail, are cancelled, or
        the pool closes meanwhile."""
        spawned: list[_Worker] = []
        try:
            for _ in range(count):
                # In a thread: starting an interpreter takes a moment.
                spawned.append(await anyio.to_thread.run_sync(self._spawn))
            for worker in spawned:
                await self._ready(worker)
            if self._closed:  # they answered just before close() killed them
                raise GraphqError("SHUTTING_DOWN", "the worker pool closed while starting")
        except BaseException:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(self._discard, spawned)
            raise
        return spawned

    async def _ready(self, worker: _Worker) -> None:
        """Wait until the worker has imported its modules: its start-up is not job time.

        The wait is on the event loop, so a cancel ends it at once, and so does close(),
        which kills the process and so closes its pipe; one that stays silent longer than
        ``start_timeout_s`` (a hung import) fails.
        """
        message = None
        with anyio.move_on_after(self.start_timeout_s) as deadline:
            await anyio.wait_readable(worker.conn.fileno())
            try:
                message = worker.receive()  # a few bytes, already there
            except (EOFError, OSError):
                message = None
        if message == ("ready",):
            return
        if self._closed:
            raise GraphqError("SHUTTING_DOWN", "the worker pool closed while a worker started")
        if deadline.cancelled_caught:
            raise GraphqError(
                "WORKER_CRASHED",
                f"a worker process did not start within {self.start_timeout_s:g} s",
            )
        raise GraphqError("WORKER_CRASHED", "a worker process failed to start")

    async def start(self) -> None:
        """Spawn the workers and wait for them: importing numpy in each takes a moment."""
        removed = await anyio.to_thread.run_sync(remove_stale_worker_dirs)
        if removed:
            log.info("removed %d temporary directories of workers of a stopped server", removed)
        missing = self.size - self._alive
        self._alive += missing
        try:
            workers = await self._start_workers(missing)
        except Exception:
            self._alive -= missing
            if not self._closed:
                # None started (killed from outside, or the server's process group was
                # signalled to stop while they imported): each job spawns its own worker
                # instead, and the server runs on rather than dying with them.
                log.exception("the worker processes failed to start; jobs will start their own")
            self.started.set()  # jobs waiting for the start find no worker and spawn their own
            return
        except BaseException:
            self._alive -= missing
            raise
        self._idle.extend(workers)
        log.info("%d worker processes ready", len(workers))
        self.started.set()

    async def _checkout(self) -> _Worker:
        if not self._idle and self._alive >= self.size:
            await self.started.wait()
        if self._closed:
            raise GraphqError("SHUTTING_DOWN", "the worker pool is closed")
        while self._idle:
            worker = self._idle.pop()
            if worker.process.is_alive():
                return worker
            # Died while idle (killed from outside, out of memory): replaced below, and the
            # job about to run is not charged for it.
            log.warning("worker %s died while idle; starting another", worker.process.pid)
            await anyio.to_thread.run_sync(self._discard, [worker])
            self._alive -= 1
        # A worker was killed (cancelled job), or the pool has not started: a new one.
        self._alive += 1
        try:
            (worker,) = await self._start_workers(1)
        except BaseException:
            self._alive -= 1
            raise
        return worker

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
                    outcome, value = await self._exchange(worker, fn, payload, on_progress)
            except BaseException as exc:
                # Cancelled, timed out or the pipe broke: the worker's state is unknown.
                await self._retire(worker)
                if self._closed and _lost_worker(exc):  # close() killed it under the call
                    raise GraphqError("SHUTTING_DOWN", "the worker pool closed") from exc
                raise
            if outcome == "failed" or self._closed:
                # An unexpected exception leaves the worker's state unknown; after a close the
                # worker goes with the pool.
                await self._retire(worker)
            else:  # a result or the job's own error: the worker ended in good order
                self._idle.append(worker)
            if outcome == "ok":
                return value
            raise value

    async def _retire(self, worker: _Worker) -> None:
        """Kill and remove a worker taken for a call; the next call starts another."""
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(self._discard, [worker])
            self._alive -= 1

    async def _exchange(
        self, worker: _Worker, fn: Callable[[Any, Any], Any], payload: Any, on_progress: OnProgress
    ) -> tuple[str, Any]:
        """The call's outcome: ``("ok", result)``, ``("error", the job's GraphqError)`` or
        ``("failed", GraphqError)`` for any other exception; raises if the worker is lost."""
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
                case (("ok" | "error" | "failed") as outcome, value):
                    return outcome, value

    async def close(self) -> None:
        """Kill and reap every worker process of the pool, whatever it is doing, and return.

        Nothing here waits for a worker to finish starting or a call to finish: the task
        waiting on such a worker sees its pipe close, fails with SHUTTING_DOWN and removes
        what is left of the worker (its pipe, its directory).
        """
        self._closed = True
        idle, self._idle = self._idle, []
        self._alive -= len(idle)
        self.started.set()  # calls waiting for the start find the pool closed
        await anyio.to_thread.run_sync(self._kill_children, idle)

    def _kill_children(self, idle: list[_Worker]) -> None:
        with self._lock:  # no spawn after this: _spawn sees the pool closed
            children = list(self._children)
        for worker in children:
            worker.process.kill()
        for worker in children:
            worker.process.join(timeout=_REAP_TIMEOUT_S)
        self._discard(idle)
