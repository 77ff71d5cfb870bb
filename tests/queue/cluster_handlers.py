"""A job kind for many-node tests: it holds its slot a moment without a worker process.

``nap`` waits ``seconds`` on the event loop, then stores one result row like the kinds of
:mod:`tests.queue.handlers`. Hundreds of them cost the nodes nothing but the queue's own work,
and each is still running long enough for a ``kill -9`` to catch some mid-run.
"""

from __future__ import annotations

from typing import Any

import anyio

from graphq.queue.registry import HandlerRegistry, JobContext
from tests.queue.handlers import NoopHandler


class NapHandler(NoopHandler):
    kind = "nap"

    async def prepare(self, ctx: JobContext) -> dict[str, Any]:
        await anyio.sleep(float(ctx.job.parameters.get("seconds", 0.05)))
        return {}


def register(registry: HandlerRegistry) -> None:
    registry.register(NapHandler())
