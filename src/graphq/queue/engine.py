"""The queue engine: schedules waiting jobs into worker slots and drives each run.

The database is the source of truth; the engine keeps an in-memory index of it (one priority
heap per queue and a timer heap for retries), rebuilt at start. One dispatcher task fills free
slots in priority order, honouring each queue's mode, status and ``maxConcurrentJobs`` and the
global slot count, claiming the chosen jobs in one statement; :mod:`graphq.queue.runs` drives
each run. When runs complete, their slots pass straight to the next jobs, claimed in the
completion's own transaction on SQLite (:mod:`graphq.queue.completions`), and the task of each
completed run goes on with one of them: a busy queue starts no task per job. Each run holds a
lease that a maintenance task renews; leases left behind by a crashed server expire and their
jobs run again. Progress is published at once and written for all running jobs together every
quarter second, so in a busy queue a short job costs one write: its completion, with its result
and the claim of the job after it.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio
from anyio.abc import TaskGroup, TaskStatus
from sqlalchemy import Connection, select

from graphq.db.models import ExtractionQueue
from graphq.queue import store
from graphq.queue.context import QueueContext
from graphq.queue.failures import FIRST_WAIT_S, RepeatedFailure
from graphq.queue.heap import DelayHeap, QueueHeap
from graphq.queue.registry import JobSnapshot
from graphq.queue.runs import JobRunner
from graphq.queue.state import QueueState, RunningJob
from graphq.queue.vocabulary import JobStatus
from graphq.queue.workers import pid_alive

if TYPE_CHECKING:
    from graphq.queue.cluster import Cluster

log = logging.getLogger(__name__)

PROGRESS_FLUSH_INTERVAL_S = 0.25


@dataclass(frozen=True)
class _Waiting:
    queue_id: str
    priority: str
    enqueued_ns: int


@dataclass(frozen=True)
class _HandedOver:
    """Jobs a completing transaction claimed for the slots of ``finished``
    (:class:`graphq.queue.completions.HandedOver`): ``picked``, the runs picked from the index."""

    engine: QueueEngine
    finished: list[RunningJob]
    claimed: store.Claimed
    picked: list[RunningJob]

    def start(self) -> None:
        try:
            self.engine.start_claimed(self.picked, self.claimed, self.finished)
        except Exception:  # committed: the claimed jobs' leases lapse and they run again
            log.exception("starting the jobs claimed at a completion")

    def undo(self) -> None:
        self.engine.return_unclaimed(self.picked, FIRST_WAIT_S)


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
        # One owner per process start: host, pid and a random part (a restarted container
        # may get its old pid back).
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.runner = JobRunner(ctx, self.owner)
        self.runner.completer.handover = self
        self.queues: dict[str, QueueState] = {}
        self.running: dict[str, RunningJob] = {}
        self._waiting: dict[str, _Waiting] = {}
        self._delayed = DelayHeap()
        self._delayed_ns: dict[str, int] = {}
        self._wake = anyio.Event()
        self._stopping = False
        self._drained = anyio.Event()
        self._tg: TaskGroup | None = None
        self._claim_failures = RepeatedFailure("claiming jobs", log)
        self._progress_failures = RepeatedFailure("writing job progress", log)
        self._maintenance_failures = RepeatedFailure("lease maintenance", log)
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
        ended = await store.expire_leases_of_dead_local_servers(
            self.ctx.db, socket.gethostname(), self._owner_is_gone
        )
        if ended:
            log.info("took back %d jobs of a stopped server on this machine", ended)
        await self._recover_expired_leases()
        for job in await store.load_waiting(self.ctx.db):
            delay_s = 0.0
            if job.not_before is not None:
                delay_s = (job.not_before - store.utcnow()).total_seconds()
            self._index(job.id, job.queue_id, job.priority, job.enqueued_ns, delay_s)
        async with anyio.create_task_group() as tg:
            self._tg = tg
            tg.start_soon(self.ctx.pool.start)
            tg.start_soon(self._maintain)
            tg.start_soon(self._flush_progress)
            if self.cluster is not None:
                tg.start_soon(self.cluster.run)
            task_status.started()
            await self._dispatch_loop()
            await self._drained.wait()
            tg.cancel_scope.cancel()

    def _owner_is_gone(self, owner: str) -> bool:
        """Whether a lease owner of this host no longer runs: its process is gone, or it is
        an earlier start of this very process id."""
        _host, pid, *_ = owner.split(":")
        if not pid.isdigit():
            return False
        if int(pid) == os.getpid():
            return owner != self.owner
        return not pid_alive(int(pid))

    async def shutdown(self) -> None:
        """Stop starting jobs, let running ones finish for a while, release the rest."""
        self._stopping = True
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
            await store.release(self.ctx.db, [r.job_id for r in leftover], self.owner)
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
            self._apply_queue(row)
        for queue_id in set(self.queues) - seen:
            self.queues.pop(queue_id)
        self.wake()

    def _apply_queue(self, row: ExtractionQueue) -> None:
        qs = self.ctx.settings.queue
        settings: dict[str, Any] = row.settings or {}
        state = self.queues.get(row.id)
        by_priority = row.priority_policy == "priority"
        if state is None:
            state = QueueState(
                id=row.id,
                name=row.name,
                mode=row.mode,
                status=row.status,
                max_concurrent=row.max_concurrent_jobs,
                max_attempts=0,
                retry_base_s=0.0,
                retry_cap_s=0.0,
                job_timeout_s=0.0,
                heap=QueueHeap(by_priority=by_priority),
            )
            self.queues[row.id] = state
        state.name, state.mode, state.status = row.name, row.mode, row.status
        state.max_concurrent = row.max_concurrent_jobs
        state.max_attempts = int(settings.get("maxAttempts", qs.max_attempts))
        state.retry_base_s = float(settings.get("retryBaseS", qs.retry_base_s))
        state.retry_cap_s = float(settings.get("retryCapS", qs.retry_cap_s))
        state.job_timeout_s = float(settings.get("jobTimeoutS", qs.job_timeout_s))
        state.heap.set_policy(by_priority)

    async def queue_changed(self, queue_id: str) -> None:
        async with self.ctx.db.read() as session:
            row = await session.get(ExtractionQueue, queue_id)
        if row is None:
            self.queues.pop(queue_id, None)
        else:
            self._apply_queue(row)
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
            self._index(job_id, queue_id, priority, enqueued_ns, 0.0)
        state = self.queues.get(queue_id)
        depth = len(state.heap) if state else 0
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
            self._index(job_id, queue_id, priority, enqueued_ns, 0.0)

    def _claimed_meanwhile(self, job_id: str, enqueued_ns: int) -> bool:
        """On a cluster, a node may claim a job between its commit and its indexing."""
        return self.cluster is not None and self.cluster.out_of_line(job_id, enqueued_ns)

    def _index(
        self, job_id: str, queue_id: str, priority: str, enqueued_ns: int, delay_s: float
    ) -> None:
        state = self.queues.get(queue_id)
        if state is None:
            return
        self._waiting[job_id] = _Waiting(queue_id, priority, enqueued_ns)
        if delay_s > 0:
            self._delayed.push(job_id, delay_s)
            state.heap.discard(job_id)
            self._delayed_ns[job_id] = enqueued_ns
        else:
            state.heap.push(job_id, priority, enqueued_ns)

    def forget(self, job_id: str) -> None:
        waiting = self._waiting.pop(job_id, None)
        if waiting and waiting.queue_id in self.queues:
            state = self.queues[waiting.queue_id]
            state.heap.discard(job_id)
            state.dispatch_credits = min(state.dispatch_credits, len(state.heap))

    def reprioritized(self, job_id: str, priority: str, enqueued_ns: int) -> None:
        waiting = self._waiting.get(job_id)
        if waiting is None:
            return
        self._index(job_id, waiting.queue_id, priority, enqueued_ns, 0.0)
        self.wake()

    def position(self, job_id: str) -> int | None:
        waiting = self._waiting.get(job_id)
        if waiting is None or waiting.queue_id not in self.queues:
            return None
        return self.queues[waiting.queue_id].heap.position(job_id)

    def depth(self, queue_id: str) -> int:
        state = self.queues.get(queue_id)
        return len(state.heap) if state else 0

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
        while not self._stopping:
            self._wake = anyio.Event()
            for job_id in self._delayed.pop_due():
                waiting = self._waiting.get(job_id)
                if waiting is not None and waiting.queue_id in self.queues:
                    ns = self._delayed_ns.pop(job_id, time.time_ns())
                    self.queues[waiting.queue_id].heap.push(job_id, waiting.priority, ns)
            self._fill_slots()
            next_timer = self._delayed.seconds_to_next()
            with anyio.move_on_after(min(next_timer if next_timer is not None else 1.0, 1.0)):
                await self._wake.wait()

    def _fill_slots(self) -> None:
        """Take the best waiting jobs into the free slots, then claim them all in one write."""
        assert self._tg is not None
        if self.cluster is not None:
            self.cluster.fill()
            return
        picked = self._pick()
        if picked:
            self._tg.start_soon(self._claim_and_start, picked)

    def _pick(self) -> list[RunningJob]:
        """Move the best waiting jobs into free slots (in memory; the caller claims them)."""
        picked: list[RunningJob] = []
        while len(self.running) < self.slots:
            best: tuple[QueueState, tuple[int, int]] | None = None
            for state in self.queues.values():
                if not state.can_start():
                    continue
                head = state.heap.peek()
                if head is not None and (best is None or head[0] < best[1]):
                    best = (state, head[0])
            if best is None:
                break
            state = best[0]
            job_id = state.heap.pop()
            assert job_id is not None
            waiting = self._waiting.pop(job_id)
            if state.mode == "manual":
                state.dispatch_credits -= 1
            run = RunningJob(job_id, state.id, waiting.priority, waiting.enqueued_ns)
            self.running[job_id] = run
            state.running.add(job_id)
            picked.append(run)
        return picked

    async def _claim_and_start(self, picked: list[RunningJob]) -> None:
        try:
            claimed = await store.claim(
                self.ctx.db,
                [run.job_id for run in picked],
                self.owner,
                self.ctx.settings.queue.lease_s,
            )
        except Exception as exc:
            self.return_unclaimed(picked, self._claim_failures.failed(exc))
            return
        self._claim_failures.succeeded()
        self.start_claimed(picked, claimed)

    # -- slot hand-over from completing runs (graphq.queue.completions) ------------------------

    def hand_over(self, conn: Connection, finished: list[RunningJob]) -> _HandedOver | None:
        """Inside the transaction completing ``finished``: claim the jobs that take their slots.

        On SQLite the slots are freed and the next jobs picked from the index here. On
        PostgreSQL nothing is claimed here: a claim locks its queues' rows until its
        transaction ends, and the completion's commit is a round trip later, during which no
        other node could claim from those queues. The node claims once the completion
        committed and the runs gave their slots back (:mod:`graphq.queue.cluster`).
        """
        if self._stopping or self.cluster is not None:
            return None
        for run in finished:
            self.running.pop(run.job_id, None)
            state = self.queues.get(run.queue_id)
            if state is not None:
                state.running.discard(run.job_id)
        picked = self._pick()
        if not picked:
            return None
        ids = [run.job_id for run in picked]
        claimed = store.claim_in(conn, ids, self.owner, self.ctx.settings.queue.lease_s)
        return _HandedOver(self, finished, claimed, picked)

    def start_claimed(
        self, picked: list[RunningJob], claimed: store.Claimed, finished: Sequence[RunningJob] = ()
    ) -> None:
        """Start the claimed jobs: each as the next job of a ``finished`` run's task while
        there are such, the rest in tasks of their own."""
        assert self._tg is not None
        started_at, jobs = claimed
        tasks = iter(finished)
        for run in picked:
            job = jobs.get(run.job_id)
            if job is None:  # no longer waiting: cancelled meanwhile
                self._release_slot(run)
                continue
            run.started_at = started_at
            previous = next(tasks, None)
            if previous is not None:
                previous.successor = (job, run)
            else:
                self._tg.start_soon(self._execute, job, run)

    def return_unclaimed(self, picked: list[RunningJob], delay_s: float) -> None:
        """The claim did not commit: the jobs still wait in the database; back in line after
        ``delay_s``, which grows while claims keep failing."""
        for run in picked:
            self._release_slot(run)
            self._index(run.job_id, run.queue_id, run.priority, run.enqueued_ns, delay_s)

    async def _execute(self, job: JobSnapshot, run: RunningJob) -> None:
        """Run the job, then each job its completion handed this task (see :meth:`hand_over`)."""
        while True:
            try:
                self.runner.publish_status(job, JobStatus.PROCESSING)
                await self.runner.attempt(job, run, self.queues.get(job.queue_id), self._index)
            except Exception:
                log.exception("job %s: engine error", job.id)
            finally:
                # A successor holds the slot already: nothing for the dispatcher to fill.
                self._release_slot(run, wake=run.successor is None)
            if run.successor is None:
                return
            job, run = run.successor

    def _release_slot(self, run: RunningJob, *, wake: bool = True) -> None:
        self.running.pop(run.job_id, None)
        state = self.queues.get(run.queue_id)
        if state is not None:
            state.running.discard(run.job_id)
        run.done.set()
        if wake:
            self.wake()

    async def _flush_progress(self) -> None:
        wait_s = PROGRESS_FLUSH_INTERVAL_S
        while True:
            await anyio.sleep(wait_s)
            try:
                await self.runner.flush_progress(list(self.running.values()))
            except Exception as exc:
                wait_s = max(self._progress_failures.failed(exc), PROGRESS_FLUSH_INTERVAL_S)
            else:
                self._progress_failures.succeeded()
                wait_s = PROGRESS_FLUSH_INTERVAL_S

    # -- leases -----------------------------------------------------------------------------

    async def _maintain(self) -> None:
        interval_s = max(self.ctx.settings.queue.lease_s / 3, 0.2)
        while True:
            await anyio.sleep(interval_s)
            try:
                if self.lease_renewal:
                    await store.renew_leases(
                        self.ctx.db, self.owner, list(self.running), self.ctx.settings.queue.lease_s
                    )
                await self._recover_expired_leases()
            except Exception as exc:
                self._maintenance_failures.failed(exc)
            else:
                self._maintenance_failures.succeeded()

    async def _recover_expired_leases(self) -> None:
        for job_id, attempts, max_attempts in await store.expired_leases(self.ctx.db):
            if job_id in self.running:
                continue
            if attempts >= max_attempts:
                await store.dead_letter(
                    self.ctx.db, job_id, None, "LEASE_EXPIRED", "the server running the job stopped"
                )
                continue
            job = await store.requeue_expired(self.ctx.db, job_id)
            if job is not None:
                log.warning("job %s recovered after its lease expired", job_id)
                self._index(job.id, job.queue_id, job.priority, job.enqueued_ns, 0.0)
                self.wake()
