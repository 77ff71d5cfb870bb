"""A worker process: the lowest CPU priority, a memory limit it survives, and nothing of a
failed job kept alive into the next."""

from __future__ import annotations

import os
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest

from graphq.errors import GraphqError
from graphq.queue.worker_process import WORKER_NICENESS
from graphq.queue.workers import WorkerPool

Call = Callable[[Callable[[Any, Any], Any], Any], Awaitable[Any]]


@asynccontextmanager
async def one_worker(memory_limit_mb: int = 0) -> AsyncIterator[Call]:
    """Calls into a pool of one worker process, progress ignored."""
    pool = WorkerPool(1, memory_limit_mb=memory_limit_mb)
    await pool.start()

    async def ignore_progress(fraction: float, step: str) -> None:
        return None

    async def call(fn: Callable[[Any, Any], Any], payload: Any) -> Any:
        return await pool.run(fn, payload, ignore_progress)

    try:
        yield call
    finally:
        await pool.close()


def allocate(megabytes: int, progress: Any) -> int:
    return len(bytearray(megabytes * 2**20))


async def test_a_job_over_the_worker_memory_limit_fails_cleanly_and_the_worker_lives_on() -> None:
    async with one_worker(memory_limit_mb=1536) as call:
        with pytest.raises(GraphqError) as error:
            await call(allocate, 4096)
        assert error.value.code == "IMAGE_TOO_LARGE"
        assert not error.value.retryable
        assert await call(allocate, 16) == 16 * 2**20


def own_niceness(payload: None, progress: Any) -> int:
    return os.nice(0)


async def test_workers_run_at_a_lower_cpu_priority_than_the_server() -> None:
    async with one_worker() as call:
        expected = min(os.nice(0) + WORKER_NICENESS, 19)  # 19: the lowest priority there is
        assert await call(own_niceness, None) == expected


class JobData:
    """Stands for the arrays a job holds when it fails."""


# In the worker process: a weak reference to the data of the job that failed last.
failed_job_data: list[weakref.ref[JobData]] = []


def fail_holding_data(payload: None, progress: Any) -> None:
    data = JobData()
    failed_job_data.append(weakref.ref(data))
    error = GraphqError("NO_CURVES_FOUND", "nothing to read")
    raise error  # this frame holds the error, whose traceback holds this frame: a cycle


def failed_job_data_is_freed(payload: None, progress: Any) -> bool:
    return all(ref() is None for ref in failed_job_data)


async def test_the_data_of_a_job_that_failed_is_freed_before_its_worker_takes_the_next() -> None:
    async with one_worker() as call:
        with pytest.raises(GraphqError):
            await call(fail_holding_data, None)
        assert await call(failed_job_data_is_freed, None)
