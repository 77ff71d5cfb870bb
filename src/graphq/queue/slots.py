"""The worker slots of one process: which waiting jobs take them, and each run's task.

The engine (:mod:`graphq.queue.engine`) decides when to fill slots; this module fills them:
it picks the best waiting jobs of the in-memory index (:mod:`graphq.queue.waiting`) in
priority order, honouring each queue's mode, status and ``maxConcurrentJobs`` and the global
slot count, claims the picked jobs in one statement and starts them. When runs complete, their
slots pass straight to the next jobs, claimed in the completion's own transaction on SQLite
(:mod:`graphq.queue.completions`), and the task of each completed run goes on with one of
them: a busy queue starts no task per job.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from anyio.abc import TaskGroup
from sqlalchemy import Connection

from graphq.queue import store
from graphq.queue.failures import FIRST_WAIT_S, RepeatedFailure
from graphq.queue.registry import JobSnapshot
from graphq.queue.state import QueueState, RunningJob
from graphq.queue.vocabulary import JobStatus

if TYPE_CHECKING:
    from graphq.queue.engine import QueueEngine

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HandedOver:
    """Jobs a completing transaction claimed for the slots of ``finished``
    (:class:`graphq.queue.completions.HandedOver`): ``picked``, the runs picked from the index."""

    filler: SlotFiller
    finished: list[RunningJob]
    claimed: store.Claimed
    picked: list[RunningJob]

    def start(self) -> None:
        try:
            self.filler.start_claimed(self.picked, self.claimed, self.finished)
        except Exception:  # committed: the claimed jobs' leases lapse and they run again
            log.exception("starting the jobs claimed at a completion")

    def undo(self) -> None:
        self.filler.return_unclaimed(self.picked, FIRST_WAIT_S)


class SlotFiller:
    """Fills this process's worker slots from the waiting line and runs what fills them.

    ``queues``, ``running`` and ``line`` are the engine's own (the same objects, changed in
    place); its slot count and stop flag are asked of it, and its dispatcher is woken when a
    slot comes free.
    """

    def __init__(self, engine: QueueEngine) -> None:
        self.engine = engine
        self.ctx = engine.ctx
        self.owner = engine.owner
        self.runner = engine.runner
        self.queues = engine.queues
        self.running = engine.running
        self.line = engine.line
        self.tg: TaskGroup | None = None
        self._claim_failures = RepeatedFailure("claiming jobs", log)

    def fill(self) -> None:
        """Take the best waiting jobs into the free slots, then claim them all in one write."""
        assert self.tg is not None
        picked = self._pick()
        if picked:
            self.tg.start_soon(self._claim_and_start, picked)

    def _pick(self) -> list[RunningJob]:
        """Move the best waiting jobs into free slots (in memory; the caller claims them)."""
        picked: list[RunningJob] = []
        while len(self.running) < self.engine.slots:
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
            waiting = self.line.take(job_id)
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

    def hand_over(self, conn: Connection, finished: list[RunningJob]) -> HandedOver | None:
        """Inside the transaction completing ``finished``: claim the jobs that take their slots.

        On SQLite the slots are freed and the next jobs picked from the index here. On
        PostgreSQL nothing is claimed here: a claim locks its queues' rows until its
        transaction ends, and the completion's commit is a round trip later, during which no
        other node could claim from those queues. The node claims once the completion
        committed and the runs gave their slots back (:mod:`graphq.queue.cluster`).
        """
        if self.engine.stopping or not self.ctx.db.is_sqlite:
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
        return HandedOver(self, finished, claimed, picked)

    def start_claimed(
        self, picked: list[RunningJob], claimed: store.Claimed, finished: Sequence[RunningJob] = ()
    ) -> None:
        """Start the claimed jobs: each as the next job of a ``finished`` run's task while
        there are such, the rest in tasks of their own."""
        assert self.tg is not None
        started_at, jobs = claimed
        tasks = iter(finished)
        for run in picked:
            job = jobs.get(run.job_id)
            if job is None:  # no longer waiting: cancelled meanwhile
                self.release(run)
                continue
            run.started_at = started_at
            previous = next(tasks, None)
            if previous is not None:
                previous.successor = (job, run)
            else:
                self.tg.start_soon(self._execute, job, run)

    def return_unclaimed(self, picked: list[RunningJob], delay_s: float) -> None:
        """The claim did not commit: the jobs still wait in the database; back in line after
        ``delay_s``, which grows while claims keep failing."""
        for run in picked:
            self.release(run)
            self.line.index(run.job_id, run.queue_id, run.priority, run.enqueued_ns, delay_s)

    async def _execute(self, job: JobSnapshot, run: RunningJob) -> None:
        """Run the job, then each job its completion handed this task (see :meth:`hand_over`)."""
        while True:
            try:
                self.runner.publish_status(job, JobStatus.PROCESSING)
                await self.runner.attempt(job, run, self.queues.get(job.queue_id), self.line.index)
            except Exception:
                log.exception("job %s: engine error", job.id)
            finally:
                # A successor holds the slot already: nothing for the dispatcher to fill.
                self.release(run, wake=run.successor is None)
            if run.successor is None:
                return
            job, run = run.successor

    def release(self, run: RunningJob, *, wake: bool = True) -> None:
        """Give a run's slot back (its job ended, was cancelled or was never claimed)."""
        self.running.pop(run.job_id, None)
        state = self.queues.get(run.queue_id)
        if state is not None:
            state.running.discard(run.job_id)
        run.done.set()
        if wake:
            self.engine.wake()
