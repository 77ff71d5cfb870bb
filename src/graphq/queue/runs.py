"""One run of a claimed job: prepare, compute, store; then complete, retry or dead-letter it.

The runner owns nothing but behaviour: the engine hands it a claimed job and the job's
:class:`RunningJob`, and learns of a retry through ``schedule_retry``. Every transition is a
conditional write (see :mod:`graphq.queue.store`), so a run whose lease passed to another run
changes nothing and announces nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from functools import partial
from typing import Any

import anyio

from graphq.errors import GraphqError
from graphq.logs import fields, set_job_id
from graphq.queue import store
from graphq.queue.backoff import retry_ceiling_s, retry_delay_s
from graphq.queue.completions import Completer, Completion
from graphq.queue.context import QueueContext
from graphq.queue.failures import RepeatedFailure
from graphq.queue.registry import JobContext, JobHandler, JobSnapshot
from graphq.queue.state import QueueState, RunningJob
from graphq.queue.vocabulary import JobStatus

log = logging.getLogger(__name__)

# Progress of running jobs is written together this often: a busy queue's short jobs then
# write none (their completion writes the final state).
PROGRESS_FLUSH_INTERVAL_S = 0.25

# Share of a job's progress bar given to each stage: prepare, compute, store.
_PREPARE_END, _COMPUTE_END = 5.0, 95.0

# (job id, queue id, priority, enqueued_ns, delay_s): put a failed job back in line.
ScheduleRetry = Callable[[str, str, str, int, float], None]


class LeaseLostError(Exception):
    """The job's lease expired and another run took the job over; this run must keep quiet."""


# Persists the latest (job id, progress, step) of running jobs: one transaction through the
# database, unless a node of a cluster writes them on its own connection (graphq.queue.cluster).
ProgressWriter = Callable[[list[tuple[str, float, str]]], Awaitable[None]]


class JobRunner:
    def __init__(self, ctx: QueueContext, owner: str) -> None:
        self.ctx = ctx
        self.owner = owner
        self.completer = Completer(ctx.db, owner, ctx.settings.queue.lease_s)
        self.write_progress: ProgressWriter = partial(store.record_progress, ctx.db, owner)

    async def attempt(
        self, job: JobSnapshot, run: RunningJob, queue: QueueState | None, retry: ScheduleRetry
    ) -> None:
        timeout_s = queue.job_timeout_s if queue else self.ctx.settings.queue.job_timeout_s
        set_job_id(job.id)
        started = time.monotonic()
        log.info(
            "job %s started: %s, attempt %d of %d",
            job.id,
            job.kind,
            job.attempts,
            job.max_attempts,
            extra=fields("job.started", kind=job.kind, attempt=job.attempts, queue_id=job.queue_id),
        )
        failure: GraphqError | None = None
        needs_review = False
        with anyio.CancelScope() as scope:
            run.scope = scope
            if run.stop_reason is not None:
                scope.cancel()
            try:
                needs_review = await self._work(job, run, timeout_s)
            except TimeoutError:
                failure = GraphqError("TIMEOUT", f"job exceeded its {timeout_s:g} s timeout")
                log.warning(
                    "job %s timed out after %g s",
                    job.id,
                    timeout_s,
                    extra=fields("job.timed_out", kind=job.kind, timeout_s=timeout_s),
                )
            except LeaseLostError:
                log.warning("job %s: lease lost before completion; the other run keeps it", job.id)
                return
            except GraphqError as exc:
                failure = exc
            except Exception as exc:
                log.exception("job %s failed", job.id)
                failure = GraphqError("INTERNAL", f"{type(exc).__name__}: {exc}")
        if scope.cancelled_caught or failure is not None:
            with anyio.CancelScope(shield=True):  # the outcome is written whatever happens
                await self._after_stop(job, run, scope.cancelled_caught, failure, queue, retry)
            return
        # Completed: already committed, nothing left to await, so no shielded scope either.
        duration_s = round(time.monotonic() - started, 3)
        log.info(
            "job %s completed in %.2f s%s",
            job.id,
            duration_s,
            ", needs review" if needs_review else "",
            extra=fields(
                "job.completed", kind=job.kind, duration_s=duration_s, needs_review=needs_review
            ),
        )
        self.publish_status(
            job,
            JobStatus.COMPLETED,
            event="job:completed",
            progress=100.0,
            needsReview=needs_review,
        )

    async def _after_stop(
        self,
        job: JobSnapshot,
        run: RunningJob,
        stopped: bool,
        failure: GraphqError | None,
        queue: QueueState | None,
        retry: ScheduleRetry,
    ) -> None:
        """A run that was stopped (cancelled, shut down) or failed: record what happened."""
        if stopped:
            if run.stop_reason == "cancelled" and await store.mark_cancelled(self.ctx.db, job.id):
                log.info("job %s cancelled", job.id, extra=fields("job.cancelled"))
                self.publish_status(job, JobStatus.CANCELLED, event="job:cancelled")
            return
        assert failure is not None
        await self._fail(job, failure, queue, retry)

    async def _work(self, job: JobSnapshot, run: RunningJob, timeout_s: float) -> bool:
        """Run the job to completion; True when what it stored needs review.

        The timeout bounds the job's own computation, from the moment a worker has it:
        waiting for a worker to start (seconds on a loaded machine) is not the job's time.
        """
        handler = self.ctx.registry.get(job.kind)
        ctx = JobContext(job, self.ctx.db, self.ctx.settings)
        self.report(run, 0.0, "preparing", persisted=True)
        payload = await handler.prepare(ctx)
        # A compute on the loop ends in the same turn as it starts, and the completion is
        # next: its stages are announced, not written (the row says "preparing" until then).
        inline = handler.runs_in == "loop"
        self.report(run, _PREPARE_END, "computing", persisted=inline)
        output = await self._compute(handler, payload, run, timeout_s)
        self.report(run, _COMPUTE_END, "storing result", persisted=inline)
        # Shielded: once the result goes to the database, the run learns whether it committed.
        completion = Completion(ctx, handler, output, run)
        with anyio.CancelScope(shield=True):
            completed = await self.completer.complete(completion)
        if not completed:
            raise LeaseLostError(job.id)
        run.dirty = False
        return completion.needs_review

    async def _compute(
        self, handler: JobHandler, payload: Any, run: RunningJob, timeout_s: float
    ) -> Any:
        span = _COMPUTE_END - _PREPARE_END

        async def on_progress(fraction: float, step: str) -> None:
            self.report(run, _PREPARE_END + min(max(fraction, 0.0), 1.0) * span, step)

        if handler.runs_in == "loop":
            return handler.compute(payload, lambda fraction, step: None)
        return await self.ctx.pool.run(handler.compute, payload, on_progress, timeout_s=timeout_s)

    def report(
        self, run: RunningJob, progress: float, step: str, *, persisted: bool = False
    ) -> None:
        """Publish progress now; the engine's flusher persists it within a fraction of a second."""
        run.progress, run.step, run.dirty = round(progress, 1), step, not persisted
        self.ctx.events.publish(
            "job:progress_updated",
            {
                "jobId": run.job_id,
                "queueId": run.queue_id,
                "progress": run.progress,
                "currentStep": step,
            },
            queue_id=run.queue_id,
            job_id=run.job_id,
        )

    async def keep_flushing_progress(self, running: dict[str, RunningJob]) -> None:
        """Every :data:`PROGRESS_FLUSH_INTERVAL_S` (longer while writes keep failing), write
        the progress of the jobs in ``running`` until cancelled."""
        failures = RepeatedFailure("writing job progress", log)
        wait_s = PROGRESS_FLUSH_INTERVAL_S
        while True:
            await anyio.sleep(wait_s)
            try:
                await self.flush_progress(list(running.values()))
            except Exception as exc:
                wait_s = max(failures.failed(exc), PROGRESS_FLUSH_INTERVAL_S)
            else:
                failures.succeeded()
                wait_s = PROGRESS_FLUSH_INTERVAL_S

    async def flush_progress(self, runs: Iterable[RunningJob]) -> None:
        """Persist the latest progress of every running job that changed, in one transaction."""
        dirty = [run for run in runs if run.dirty]
        for run in dirty:
            run.dirty = False
        if dirty:
            await self.write_progress([(run.job_id, run.progress, run.step) for run in dirty])

    async def _fail(
        self, job: JobSnapshot, error: GraphqError, queue: QueueState | None, retry: ScheduleRetry
    ) -> None:
        will_retry = error.retryable and job.attempts < job.max_attempts and queue is not None
        log.warning(
            "job %s failed: %s: %s",
            job.id,
            error.code,
            error.message,
            extra=fields(
                "job.failed", kind=job.kind, code=error.code, attempt=job.attempts, retry=will_retry
            ),
        )
        if will_retry:
            assert queue is not None
            base_s, cap_s = queue.retry_base_s, queue.retry_cap_s
            delay_s = retry_delay_s(job.attempts, base_s=base_s, cap_s=cap_s)
            ns = time.time_ns()
            not_before = await store.schedule_retry(
                self.ctx.db, job.id, self.owner, (error.code, error.message), delay_s, ns
            )
            if not_before is None:
                return
            log.info(
                "job %s retrying in %.1f s (attempt %d of %d)",
                job.id,
                delay_s,
                job.attempts + 1,
                job.max_attempts,
                extra=fields("job.retrying", kind=job.kind, code=error.code, delay_s=delay_s),
            )
            self._publish_failed(job, error, will_retry=True)
            retry(job.id, job.queue_id, job.priority, ns, delay_s)
            self.ctx.events.publish(
                "job:retry",
                {
                    "jobId": job.id,
                    "queueId": job.queue_id,
                    "attempt": job.attempts,
                    "delayS": round(delay_s, 3),
                    "ceilingS": retry_ceiling_s(job.attempts, base_s=base_s, cap_s=cap_s),
                    "nextAttemptAt": not_before.isoformat(),
                    "error": {"code": error.code, "message": error.message},
                },
                queue_id=job.queue_id,
                job_id=job.id,
            )
            return
        if await store.dead_letter(
            self.ctx.db, self.ctx.registry, job.id, self.owner, error.code, error.message
        ):
            log.error(
                "job %s moved to the dead-letter queue: %s after %d attempts",
                job.id,
                error.code,
                job.attempts,
                extra=fields(
                    "job.dead_lettered", kind=job.kind, code=error.code, attempts=job.attempts
                ),
            )
            self._publish_failed(job, error, will_retry=False)
            self.publish_status(
                job,
                JobStatus.DEAD,
                event="job:dlq",
                error={"code": error.code, "message": error.message},
            )

    def _publish_failed(self, job: JobSnapshot, error: GraphqError, *, will_retry: bool) -> None:
        self.publish_status(
            job,
            JobStatus.FAILED,
            event="job:failed",
            error={"code": error.code, "message": error.message},
            willRetry=will_retry,
        )

    def publish_status(
        self,
        job: JobSnapshot,
        status: JobStatus,
        *,
        event: str = "job:status_changed",
        **extra: Any,
    ) -> None:
        data = {
            "jobId": job.id,
            "queueId": job.queue_id,
            "productId": job.product_id,
            "kind": job.kind,
            "status": status,
            **extra,
        }
        self.ctx.events.publish(event, data, queue_id=job.queue_id, job_id=job.id)
        if event != "job:status_changed":
            self.ctx.events.publish(
                "job:status_changed", data, queue_id=job.queue_id, job_id=job.id
            )
