"""Several nodes in one test process, each a full app with its own engine, on one PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import anyio

from graphq.config import Settings
from tests.conftest import Service, make_settings
from tests.queue.helpers import serve


async def within(seconds: float, predicate: Callable[[], bool]) -> None:
    """Wait until ``predicate()`` holds; fail after ``seconds``."""
    with anyio.fail_after(seconds):
        while True:
            if predicate():
                return
            await anyio.sleep(0.01)


def node_settings(data_dir: Path, database_url: str, **queue: Any) -> Settings:
    return make_settings(
        data_dir,
        storage={"database_url": database_url},
        queue={"worker_slots": 4, "lease_s": 2.0, **queue},
    )


@asynccontextmanager
async def nodes(tmp_path: Path, database_url: str, count: int) -> AsyncIterator[list[Service]]:
    """``count`` apps sharing ``database_url``, each with its own data directory."""
    async with AsyncExitStack() as stack:
        services = [
            await stack.enter_async_context(
                serve(node_settings(tmp_path / f"node{n}", database_url))
            )
            for n in range(count)
        ]
        yield services
