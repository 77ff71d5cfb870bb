"""What the services may ask of the running queue: its public face, without its insides.

Services put committed jobs in line, move and cancel them, read a place in line and a
queue's load, and run one-off computations in the worker pool. They see neither the
engine's heaps and running set nor its context, so the engine can change how it keeps
them without a service noticing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from graphq.queue.registry import HandlerRegistry, Progress

if TYPE_CHECKING:
    from graphq.queue.engine import QueueEngine


async def _ignore_progress(_fraction: float, _step: str) -> None:
    """A one-off computation reports progress to nobody: its caller waits for the answer."""


class QueueFront:
    """The queue engine as a service sees it; built once per process by ``graphq.runtime``."""

    def __init__(self, engine: QueueEngine) -> None:
        self._engine = engine

    @property
    def registry(self) -> HandlerRegistry:
        """The job kinds this process runs, each checking its own parameters."""
        return self._engine.ctx.registry

    @property
    def max_attempts(self) -> int:
        """Attempts a job gets when its queue does not set its own."""
        return self._engine.ctx.settings.queue.max_attempts

    @property
    def slots(self) -> int:
        """Worker slots in this process: jobs that can run at once, across all queues."""
        return self._engine.slots

    @property
    def slots_busy(self) -> int:
        return len(self._engine.running)

    def enqueue(self, job_id: str, queue_id: str, priority: str, enqueued_ns: int) -> None:
        """Put a job in line; it must already be committed as waiting."""
        self._engine.enqueued(job_id, queue_id, priority, enqueued_ns)

    def reprioritize(self, job_id: str, priority: str, enqueued_ns: int) -> None:
        self._engine.reprioritized(job_id, priority, enqueued_ns)

    async def cancel(self, job_id: str) -> bool:
        """Cancel a waiting or running job; a running one has stopped when this returns."""
        return await self._engine.cancel(job_id)

    def position(self, job_id: str) -> int | None:
        """0-based place in line of a waiting job; ``None`` if it is not waiting here."""
        return self._engine.position(job_id)

    def depth(self, queue_id: str) -> int:
        """Jobs waiting in the queue."""
        return self._engine.depth(queue_id)

    def running(self, queue_id: str) -> int:
        """Jobs of the queue holding a worker slot now."""
        state = self._engine.queues.get(queue_id)
        return len(state.running) if state else 0

    def parallelism(self, queue_id: str) -> int:
        """How many of the queue's jobs can run at once: its limit, within the slots."""
        state = self._engine.queues.get(queue_id)
        return max(min(state.max_concurrent if state else 1, self.slots), 1)

    def queue_names(self) -> dict[str, str]:
        """The queues the engine runs, id to name."""
        return {state.id: state.name for state in self._engine.queues.values()}

    async def queue_changed(self, queue_id: str) -> None:
        """Re-read a queue's row after it was created, changed or deleted."""
        await self._engine.queue_changed(queue_id)

    def dispatch(self, queue_id: str, count: int) -> int:
        """Let a manual queue start ``count`` more waiting jobs; returns how many wait."""
        return self._engine.dispatch(queue_id, count)

    async def run_in_pool(self, fn: Callable[[Any, Progress], Any], payload: Any) -> Any:
        """``fn(payload, progress)`` in a worker process, outside any job and its slot."""
        return await self._engine.ctx.pool.run(fn, payload, _ignore_progress)
