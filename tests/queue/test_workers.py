"""The worker pool: whole messages between processes on any event loop, a temporary
directory per worker that goes with it, and dead workers replaced before a job gets them."""

from __future__ import annotations

import multiprocessing
import os
import signal
import tempfile
import time
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import anyio
import pytest

from graphq.errors import GraphqError
from graphq.queue.workers import (
    WORKER_TMP_PREFIX,
    WorkerPool,
)
from tests.conftest import TEST_HANDLERS
from tests.queue.cluster_nodes import within
from tests.queue.handlers import fail_with, sleep_steps
from tests.queue.slow_start import quick

RESULT_BYTES = 5_000_000


def repeat_byte(size: int, progress: object) -> bytes:
    return b"x" * size


async def ignore_progress(fraction: float, step: str) -> None:
    return None


async def run_once(size: int) -> bytes:
    pool = WorkerPool(1)
    await pool.start()
    try:
        return await pool.run(repeat_byte, size, ignore_progress)
    finally:
        await pool.close()


@pytest.mark.parametrize("use_uvloop", [False, True], ids=["asyncio", "uvloop"])
def test_a_result_larger_than_the_pipe_buffer_arrives_whole(use_uvloop: bool) -> None:
    result = anyio.run(run_once, RESULT_BYTES, backend_options={"use_uvloop": use_uvloop})
    assert result == b"x" * RESULT_BYTES


def temp_dir_then_sleep(seconds: float, progress: Any) -> str:
    """Writes a file where every temporary file of the worker goes, then sleeps."""
    marker = Path(tempfile.gettempdir()) / "work-in-progress"
    marker.write_text("half done")
    progress(0.5, "written")
    time.sleep(seconds)
    return str(marker.parent)


def left_behind(directory: Path) -> bool:
    return directory.exists()


async def test_each_worker_writes_its_temporary_files_in_a_directory_of_its_own() -> None:
    pool = WorkerPool(1)
    await pool.start()
    try:
        where = Path(await pool.run(temp_dir_then_sleep, 0.0, ignore_progress))
    finally:
        await pool.close()
    assert where.name.startswith(f"{WORKER_TMP_PREFIX}{os.getpid()}-")
    assert not left_behind(where)


async def test_a_cancelled_call_leaves_no_temporary_directory_behind() -> None:
    pool = WorkerPool(1)
    await pool.start()
    (worker,) = pool._idle
    started = anyio.Event()

    async def on_progress(fraction: float, step: str) -> None:
        started.set()

    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(pool.run, temp_dir_then_sleep, 30.0, on_progress)
            await started.wait()
            assert left_behind(worker.tmp_dir / "work-in-progress")
            tg.cancel_scope.cancel()
        assert not left_behind(worker.tmp_dir)
    finally:
        await pool.close()


async def test_a_worker_that_died_while_idle_is_replaced_before_the_next_call() -> None:
    pool = WorkerPool(1)
    await pool.start()
    try:
        (worker,) = pool._idle
        os.kill(worker.process.pid or 0, signal.SIGKILL)
        worker.process.join(timeout=10)
        assert await pool.run(repeat_byte, 3, ignore_progress) == b"xxx"
        assert not worker.tmp_dir.exists()
    finally:
        await pool.close()


async def test_a_jobs_timeout_does_not_count_the_time_its_worker_takes_to_start() -> None:
    pool = WorkerPool(1, preload=["tests.queue.slow_start"])
    try:
        # Not started: the call waits for a fresh, slow worker, then runs well within its
        # timeout, which is shorter than the start (slow_start's 5 s); a worker at niceness 19
        # on a loaded machine can take a second or more to answer.
        assert await pool.run(quick, 0.1, ignore_progress, timeout_s=4.0) == "done"
        with pytest.raises(TimeoutError):
            await pool.run(quick, 5.0, ignore_progress, timeout_s=0.5)
    finally:
        await pool.close()


def worker_dirs_of_this_process() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob(f"{WORKER_TMP_PREFIX}{os.getpid()}-*"))


def live_workers() -> set[BaseProcess]:
    return {p for p in multiprocessing.active_children() if p.name == "graphq-worker"}


def kill_left_alive(before: set[BaseProcess]) -> list[int]:
    """The pids of workers a test's pool left alive, killed: a pool that misses one fails the
    test rather than leaving it to sleep behind the test (and a call waiting on it)."""
    left = [p for p in live_workers() - before if p.is_alive()]
    for process in left:
        process.kill()
    return [process.pid or 0 for process in left]


async def test_a_pool_closed_while_its_workers_start_stops_them_instead_of_waiting() -> None:
    before = worker_dirs_of_this_process()
    pool = WorkerPool(2, preload=["tests.queue.never_starts"])
    async with anyio.create_task_group() as tg:
        tg.start_soon(pool.start)
        await anyio.sleep(0.5)  # spawning or importing: a stop must end either
        await pool.close()
        tg.cancel_scope.cancel()  # as the engine's stop cancels the pool's start
    assert not live_workers()
    assert pool._idle == []
    assert worker_dirs_of_this_process() <= before


async def test_workers_killed_while_they_start_leave_each_job_to_start_its_own() -> None:
    before = live_workers()
    pool = WorkerPool(1, preload=["tests.queue.slow_start"])
    results: list[str] = []

    async def job_sent_while_starting() -> None:
        results.append(await pool.run(quick, 0.0, ignore_progress, timeout_s=30.0))

    try:
        with anyio.fail_after(60):
            async with anyio.create_task_group() as tg:
                tg.start_soon(pool.start)
                await within(10.0, lambda: bool(live_workers() - before))
                tg.start_soon(job_sent_while_starting)
                await anyio.sleep(0.2)  # the job waits for the pool's start
                for process in live_workers() - before:
                    process.kill()  # as a signal to the server's process group would
        assert results == ["done"]
        assert await pool.run(quick, 0.0, ignore_progress, timeout_s=30.0) == "done"
    finally:
        await pool.close()


async def test_a_pool_closed_before_its_workers_spawned_starts_none() -> None:
    pool = WorkerPool(2, preload=["tests.queue.never_starts"])
    async with anyio.create_task_group() as tg:
        await pool.close()
        tg.start_soon(pool.start)
    assert pool._idle == [] and not live_workers()


async def test_a_pool_closed_while_a_call_spawns_its_worker_kills_it_and_ends_the_call() -> None:
    before, dirs_before = live_workers(), worker_dirs_of_this_process()
    # Never started: the call starts a worker of its own, as it does after a killed worker.
    pool = WorkerPool(1, preload=["tests.queue.never_starts"])
    codes: list[str] = []

    async def call() -> None:
        with pytest.raises(GraphqError) as error:
            await pool.run(quick, 0.0, ignore_progress)
        codes.append(error.value.code)

    async with anyio.create_task_group() as tg:
        tg.start_soon(call)
        await within(10.0, lambda: bool(live_workers() - before))
        await pool.close()
        left_alive = kill_left_alive(before)
    assert left_alive == []
    assert codes == ["SHUTTING_DOWN"]
    assert worker_dirs_of_this_process() <= dirs_before


async def test_a_pool_closed_during_a_call_kills_the_busy_worker_and_ends_the_call() -> None:
    before, dirs_before = live_workers(), worker_dirs_of_this_process()
    pool = WorkerPool(1, preload=[TEST_HANDLERS])
    await pool.start()
    running = anyio.Event()
    codes: list[str] = []

    async def on_progress(fraction: float, step: str) -> None:
        running.set()

    async def call() -> None:
        with pytest.raises(GraphqError) as error:
            await pool.run(sleep_steps, {"seconds": 3600.0, "steps": 3600}, on_progress)
        codes.append(error.value.code)

    async with anyio.create_task_group() as tg:
        tg.start_soon(call)
        await running.wait()
        await pool.close()
        left_alive = kill_left_alive(before)
    assert left_alive == []
    assert codes == ["SHUTTING_DOWN"]
    assert worker_dirs_of_this_process() <= dirs_before


async def test_a_worker_that_never_says_it_is_ready_is_killed_and_its_call_fails() -> None:
    before, dirs_before = live_workers(), worker_dirs_of_this_process()
    pool = WorkerPool(1, preload=["tests.queue.never_starts"], start_timeout_s=0.5)
    try:
        with pytest.raises(GraphqError) as error:
            await pool.run(quick, 0.0, ignore_progress)
        assert error.value.code == "WORKER_CRASHED" and error.value.retryable
        assert kill_left_alive(before) == []
        assert worker_dirs_of_this_process() <= dirs_before
    finally:
        await pool.close()


def own_pid(payload: None, progress: Any) -> int:
    return os.getpid()


async def test_a_jobs_own_error_reaches_the_caller_and_its_worker_takes_the_next_call() -> None:
    pool = WorkerPool(1, preload=[TEST_HANDLERS])
    await pool.start()
    try:
        first_pid = await pool.run(own_pid, None, ignore_progress)
        with pytest.raises(GraphqError) as error:
            await pool.run(fail_with, {"code": "NO_CURVES_FOUND"}, ignore_progress)
        assert error.value.code == "NO_CURVES_FOUND"
        assert await pool.run(own_pid, None, ignore_progress) == first_pid
    finally:
        await pool.close()


def raise_unexpected(payload: None, progress: Any) -> None:
    raise KeyError("a bug in the job")


async def test_an_unexpected_exception_fails_internal_and_its_worker_is_replaced() -> None:
    pool = WorkerPool(1)
    await pool.start()
    try:
        first_pid = await pool.run(own_pid, None, ignore_progress)
        with pytest.raises(GraphqError) as error:
            await pool.run(raise_unexpected, None, ignore_progress)
        assert error.value.code == "INTERNAL" and "KeyError" in str(error.value)
        assert await pool.run(own_pid, None, ignore_progress) != first_pid
    finally:
        await pool.close()
