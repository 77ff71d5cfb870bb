"""The queue engine: schedules waiting jobs into worker slots and drives each run.

The database is the source of truth; the engine keeps an in-memory index of it
(:mod:`graphq.queue.waiting`), rebuilt at start, and keeps it as jobs come, change and go. One
dispatcher task fills free slots whenever it is woken (:mod:`graphq.queue.slots` picks, claims
and starts the jobs); :mod:`graphq.queue.runs` drives each run. Each run holds a lease that
:mod:`graphq.queue.lease_keeper` renews; leases left behind by a crashed server expire and
their jobs run again. Progress is published at once and written for all running
jobs together every quarter second, so in a busy queue a short job costs one write: its
completion, with its result and the claim of the job after it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import anyio
from anyio.abc import TaskGroup, TaskStatus
from sqlalchemy import select

from graphq.db.models import ExtractionQueue
from graphq.queue import leases, store
from graphq.queue.context import QueueContext
from graphq.queue.lease_keeper import LeaseKeeper
from graphq.queue.runs import JobRunner
from graphq.queue.slots import SlotFiller
from graphq.queue.state import QueueState, RunningJob, apply_queue_row
from graphq.queue.vocabulary import JobStatus
from graphq.queue.waiting import WaitingLine

if TYPE_CHECKING:
    from graphq.queue.cluster import Cluster

log = logging.getLogger(__name__)


class QueueEngine:
    """Schedules the jobs of every queue into this process's worker slots.

    ``lease_renewal`` (default on) renews the leases of running jobs in the background. With
    it off, they lapse after ``queue.lease_s`` as if this server had stopped answering, and
    another server takes the jobs over; tests use that to model a stalled server. Expired
    leases of other servers are recovered either way. It is read at every renewal, so it may
    be switched while the engine runs.
    """

    def __init__(self, ctx: QueueContext, *, lease_renewal: bool = True) -> None:
        self.ctx = ctx
        self.lease_renewal = lease_renewal
        self.owner = leases.new_owner()
        self.runner = JobRunner(ctx, self.owner)
        self.queues: dict[str, QueueState] = {}
        self.running: dict[str, RunningJob] = {}
        self.line = WaitingLine(self.queues)
        self.stopping = False
        self.filler = SlotFiller(self)
        self.runner.completer.handover = self.filler
        self.leases = LeaseKeeper(self)
        self._wake = anyio.Event()
        self._drained = anyio.Event()
        self._tg: TaskGroup | None = None
        # On PostgreSQL several nodes share the queue: slots are filled from the database.
        self.cluster: Cluster | None = None
        if not ctx.db.is_sqlite:
            from graphq.queue.cluster import Cluster  # asyncpg: needed on PostgreSQL only

            self.cluster = Cluster(self)

    @property
    def slots(self) -> int:
        return self.ctx.settings.queue.worker_slots

    # -- lifecycle -------------------------------------------------------------------------

    async def run(self, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        """Load the queues and waiting jobs, then dispatch until :meth:`shutdown`."""
        await self.reload_queues()
        await self.leases.recover_at_start()
        for job in await leases.load_waiting(self.ctx.db):
            delay_s = 0.0
            if job.not_before is not None:
                delay_s = (job.not_before - store.utcnow()).total_seconds()
            self.line.index(job.id, job.queue_id, job.priority, job.enqueued_ns, delay_s)
        async with anyio.create_task_group() as tg:
            self._tg = self.filler.tg = tg
            tg.start_soon(self.ctx.pool.start)
            tg.start_soon(self.leases.run)
            tg.start_soon(self.runner.keep_flushing_progress, self.running)
            if self.cluster is not None:
                tg.start_soon(self.cluster.run)
            task_status.started()
            await self._dispatch_loop()
            await self._drained.wait()
            tg.cancel_scope.cancel()

    async def shutdown(self) -> None:
        """Stop starting jobs, let running ones finish for a while, release the rest."""
        self.stopping = True
        self.wake()
        with anyio.move_on_after(self.ctx.settings.queue.shutdown_timeout_s):
            while self.running:
                await next(iter(self.running.values())).done.wait()
        leftover = list(self.running.values())
        for run in leftover:
            run.stop_reason = "shutdown"
            if run.scope is not None:
                run.scope.cancel()
        with anyio.CancelScope(shield=True):
            for run in leftover:
                await run.done.wait()
            await leases.release(self.ctx.db, [r.job_id for r in leftover], self.owner)
            await self.ctx.pool.close()
        self._drained.set()
        if leftover:
            log.info("released %d running jobs at shutdown", len(leftover))

    def wake(self) -> None:
        self._wake.set()

    # -- queue configuration -----------------------------------------------------------------

    async def reload_queues(self) -> None:
        async with self.ctx.db.read() as session:
            rows = (await session.execute(select(ExtractionQueue))).scalars().all()
        seen = set()
        for row in rows:
            seen.add(row.id)
            apply_queue_row(self.queues, row, self.ctx.settings.queue)
        for queue_id in set(self.queues) - seen:
            self.queues.pop(queue_id)
        self.wake()

    async def queue_changed(self, queue_id: str) -> None:
        async with self.ctx.db.read() as session:
            row = await session.get(ExtractionQueue, queue_id)
        if row is None:
            self.queues.pop(queue_id, None)
        else:
            apply_queue_row(self.queues, row, self.ctx.settings.queue)
        self.ctx.events.publish(
            "queue:status_changed",
            {"queueId": queue_id, "status": row.status if row else "deleted"},
            queue_id=queue_id,
        )
        self.wake()

    def dispatch(self, queue_id: str, count: int) -> int:
        """Let a manual queue start ``count`` more of its waiting jobs; returns how many wait.

        Credits never exceed the jobs waiting: a dispatch into an empty queue must not start
        a job that arrives later without anyone dispatching it.
        """
        state = self.queues[queue_id]
        waiting = len(state.heap)
        if self.cluster is not None and self._tg is not None:
            self._tg.start_soon(self.cluster.add_credits, queue_id, count)
            return waiting
        state.dispatch_credits = min(state.dispatch_credits + count, waiting)
        self.wake()
        return waiting

    # -- jobs in and out of the index ---------------------------------------------------------

    def enqueued(self, job_id: str, queue_id: str, priority: str, enqueued_ns: int) -> None:
        """Index a job that was just committed as ``queued``."""
        if not self._claimed_meanwhile(job_id, enqueued_ns):
            self.line.index(job_id, queue_id, priority, enqueued_ns, 0.0)
        state = self.queues.get(queue_id)
        depth = self.line.depth(queue_id)
        self.ctx.events.publish(
            "queue:job_added",
            {
                "queueId": queue_id,
                "jobId": job_id,
                "priority": priority,
                "enqueuedNs": enqueued_ns,
                "depth": depth,
            },
            queue_id=queue_id,
            job_id=job_id,
        )
        if state is not None:
            self._check_backpressure(state, depth)
        self.wake()

    def _check_backpressure(self, state: QueueState, depth: int) -> None:
        """Announce once when the depth reaches the threshold, again only after it fell below."""
        over = depth >= self.ctx.settings.queue.backpressure_depth
        if over and not state.over_backpressure:
            self.ctx.events.publish(
                "queue:backpressure",
                {
                    "queueId": state.id,
                    "depth": depth,
                    "threshold": self.ctx.settings.queue.backpressure_depth,
                },
                queue_id=state.id,
            )
        state.over_backpressure = over

    def enqueued_elsewhere(
        self, job_id: str, queue_id: str, priority: str, enqueued_ns: int
    ) -> None:
        """Index a job another node of the cluster put in line (:mod:`graphq.queue.cluster`)."""
        if not self._claimed_meanwhile(job_id, enqueued_ns):
            self.line.index(job_id, queue_id, priority, enqueued_ns, 0.0)

    def _claimed_meanwhile(self, job_id: str, enqueued_ns: int) -> bool:
        """On a cluster, a node may claim a job between its commit and its indexing."""
        return self.cluster is not None and self.cluster.out_of_line(job_id, enqueued_ns)

    def forget(self, job_id: str) -> None:
        self.line.forget(job_id)

    def reprioritized(self, job_id: str, priority: str, enqueued_ns: int) -> None:
        if self.line.reprioritize(job_id, priority, enqueued_ns):
            self.wake()

    def position(self, job_id: str) -> int | None:
        return self.line.position(job_id)

    def depth(self, queue_id: str) -> int:
        return self.line.depth(queue_id)

    async def cancel(self, job_id: str) -> bool:
        """Cancel a waiting or running job; a running one is stopped before this returns."""
        run = self.running.get(job_id)
        if run is not None:
            run.stop_reason = "cancelled"
            if run.scope is not None:
                run.scope.cancel()
            with anyio.move_on_after(5):
                await run.done.wait()
            return True
        self.forget(job_id)
        changed = await store.mark_cancelled(self.ctx.db, job_id)
        if changed:
            self.ctx.events.publish(
                "job:cancelled", {"jobId": job_id, "status": JobStatus.CANCELLED}, job_id=job_id
            )
        return changed

    # -- dispatching ----------------------------------------------------------------------

    async def _dispatch_loop(self) -> None:
        while not self.stopping:
            self._wake = anyio.Event()
            self.line.release_due()
            self._fill_slots()
            next_timer = self.line.seconds_to_next()
            with anyio.move_on_after(min(next_timer if next_timer is not None else 1.0, 1.0)):
                await self._wake.wait()

    def _fill_slots(self) -> None:
        if self.cluster is not None:
            self.cluster.fill()
        else:
            self.filler.fill()

    def start_claimed(self, picked: list[RunningJob], claimed: store.Claimed) -> None:
        """Start jobs claimed for this process's slots elsewhere (:mod:`graphq.queue.cluster`)."""
        self.filler.start_claimed(picked, claimed)
