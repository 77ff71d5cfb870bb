"""The worker pool moves whole messages between processes on any event loop."""

from __future__ import annotations

import anyio
import pytest

from graphq.queue.workers import WorkerPool

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
