"""The engine's side of a cluster: several ``graphq serve`` nodes sharing one PostgreSQL queue.

On PostgreSQL the engine fills its free worker slots by claiming from the database
(:mod:`graphq.queue.cluster_claims`) rather than from its in-memory index, which then only
answers depths and places in line. What a single node learns in-process
reaches every node through the event outbox (:mod:`graphq.queue.event_relay`):

- a job added anywhere wakes every node's dispatcher and joins every node's index;
- a job another node claimed or ended leaves this node's index;
- a job cancelled through another node stops here if it runs here;
- a queue paused, resumed, stopped or changed on another node is re-read here at once.

A node also re-reads the queues table every :data:`ClusterSettings.queue_poll_s`, so a queue
change reaches it within that time even when an event is lost, and its dispatcher claims
at least once a second (the engine's idle wake-up), which starts retries whose time came.

Decisions: the worker cap is per node (its worker pool's size: a node cannot run more jobs
than it has workers); ``maxConcurrentJobs`` and manual dispatch credits are cluster-wide,
counted under the queue row's lock in each claim.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
import asyncpg
from anyio.abc import TaskGroup

from graphq.db.models import ExtractionQueue
from graphq.queue import cluster_claims, store
from graphq.queue.event_relay import EventRelay
from graphq.queue.events import Event
from graphq.queue.failures import RepeatedFailure
from graphq.queue.state import RunningJob
from graphq.queue.vocabulary import JobStatus

if TYPE_CHECKING:
    from graphq.queue.engine import QueueEngine

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClusterSettings:
    # Pause, resume and stop must reach every node within a second, lost events or not.
    queue_poll_s: float = 0.5
    # Jobs remembered as out of line (claimed or ended): a node can claim a job before the node
    # that created it has indexed it, or before its ``queue:job_added`` event arrives; the late
    # index must not put the job back. Far more than a few seconds of claims at full speed.
    out_of_line_kept: int = 10_000


_T = TypeVar("_T")
# Every column of every queue: a change to any of them is re-read into the engine.
_QUEUE_ROWS = "SELECT {} FROM {}".format(
    ", ".join(column.name for column in ExtractionQueue.__table__.columns),
    ExtractionQueue.__tablename__,
)
# Running jobs' progress, as graphq.queue.store.record_progress writes it, in one statement.
_PROGRESS = f"""
UPDATE jobs SET progress = given.progress, current_step = given.step, updated_at = $5
FROM unnest($1::text[], $2::float8[], $3::text[]) AS given(id, progress, step)
WHERE jobs.id = given.id AND jobs.lease_owner = $4 AND jobs.status = '{JobStatus.PROCESSING}'
"""

# A job in one of these states no longer waits: it leaves the index of every node.
_NOT_WAITING = {
    JobStatus.PROCESSING,
    JobStatus.COMPLETED,
    JobStatus.CANCELLED,
    JobStatus.DEAD,
}


class Cluster:
    """Claims for one node's engine from the shared queue and follows the other nodes."""

    def __init__(self, engine: QueueEngine, settings: ClusterSettings | None = None) -> None:
        self.engine = engine
        self.settings = settings or ClusterSettings()
        ctx = engine.ctx
        self.relay = EventRelay(ctx.db.url, engine.owner, ctx.events, self.remote_event)
        ctx.events.relay = self.relay.take
        engine.runner.write_progress = self.record_progress
        self._claiming = False
        self._again = False
        self._queue_rows: dict[str, tuple[Any, ...]] = {}
        self._claim_failures = RepeatedFailure("claiming jobs from the cluster queue", log)
        self._tg: TaskGroup | None = None
        # The node's own connection for claims, progress and the queue watch, one statement at
        # a time: one round trip each, where a session's costs four (its begin, the statement,
        # its commit or rollback, the pool's reset) and the ORM's CPU, several times a second.
        self._claims: asyncpg.Connection | None = None
        self._claims_lock = anyio.Lock()
        # Job id -> when (``time_ns``) this node learnt it was claimed or ended.
        self._out_of_line: dict[str, int] = {}

    async def run(self) -> None:
        """Relay events and watch the queues table until cancelled."""
        try:
            async with anyio.create_task_group() as tg:
                self._tg = tg
                tg.start_soon(self.relay.run)
                tg.start_soon(self._watch_queues)
        finally:
            await self._close_claims()

    # -- claiming -----------------------------------------------------------------------------

    def fill(self) -> None:
        """Claim jobs for the free slots; one claim at a time, another right after if asked."""
        if self._tg is None:
            return
        if self._claiming:
            self._again = True
            return
        if self.engine.slots - len(self.engine.running) <= 0:
            return
        self._claiming = True
        self._tg.start_soon(self._claim)

    async def _claim(self) -> None:
        engine = self.engine
        try:
            while True:
                self._again = False
                free = engine.slots - len(engine.running)
                if free <= 0:
                    return
                got = await self._claim_once(free)
                if got < free and not self._again:
                    return
        finally:
            self._claiming = False

    async def _claim_once(self, free: int) -> int:
        """One claim; returns how many jobs it started."""
        engine = self.engine
        try:
            claimed, places = await self._on_own_connection(
                lambda conn: cluster_claims.claim_next(
                    conn, engine.owner, engine.ctx.settings.queue.lease_s, free, engine.running
                )
            )
        except Exception as exc:
            await anyio.sleep(self._claim_failures.failed(exc))
            return 0
        self._claim_failures.succeeded()
        return await self.adopt(claimed, places)

    async def adopt(
        self, claimed: store.Claimed, places: dict[str, cluster_claims.ClaimedJob]
    ) -> int:
        """Start the jobs a claim committed; returns how many."""
        engine = self.engine
        if any(place.queue_id not in engine.queues for place in places.values()):
            await engine.reload_queues()  # a queue another node created
        picked = []
        for job_id, place in places.items():
            self._left_line(job_id)
            run = RunningJob(job_id, place.queue_id, place.priority, place.enqueued_ns)
            engine.running[job_id] = run
            state = engine.queues.get(place.queue_id)
            if state is not None:
                state.running.add(job_id)
            picked.append(run)
        engine.start_claimed(picked, claimed)
        return len(picked)

    def out_of_line(self, job_id: str, enqueued_ns: int) -> bool:
        """Whether the job put in line at ``enqueued_ns`` was claimed or ended since, so that
        indexing it now would be stale. A job reprocessed later is put in line anew. The two
        times may come from two nodes' clocks: skew can at worst leave a job requeued moments
        after it left out of this node's depth (claims read the database, not this index)."""
        left_ns = self._out_of_line.get(job_id)
        return left_ns is not None and left_ns >= enqueued_ns

    def _left_line(self, job_id: str) -> None:
        self.engine.forget(job_id)
        self._out_of_line.pop(job_id, None)  # to the end, so that the oldest go first
        self._out_of_line[job_id] = time.time_ns()
        if len(self._out_of_line) > self.settings.out_of_line_kept:
            del self._out_of_line[next(iter(self._out_of_line))]

    async def _on_own_connection(self, call: Callable[[asyncpg.Connection], Awaitable[_T]]) -> _T:
        """``call`` on the node's own connection, (re)connected if need be, once the statement
        before it is done. A statement that failed or was cancelled leaves the connection in
        doubt: it is closed, and the next call connects anew."""
        async with self._claims_lock:
            if self._claims is None or self._claims.is_closed():
                self._claims = await asyncpg.connect(self.relay.dsn)
            try:
                return await call(self._claims)
            except BaseException:
                await self._close_claims()
                raise

    async def record_progress(self, updates: list[tuple[str, float, str]]) -> None:
        """The latest (job id, progress, step) of running jobs, each only while this node
        holds the job: one autocommit statement (see ``_claims``)."""
        ids, progress, steps = (list(column) for column in zip(*updates, strict=True))
        owner, now = self.engine.owner, store.utcnow()
        await self._on_own_connection(
            lambda conn: conn.execute(_PROGRESS, ids, progress, steps, owner, now)
        )

    async def _close_claims(self) -> None:
        if self._claims is not None:
            with anyio.CancelScope(shield=True):
                await self._claims.close(timeout=1)
            self._claims = None

    async def add_credits(self, queue_id: str, count: int) -> None:
        """A manual dispatch, shared by every node (see :func:`cluster_claims.add_credits`)."""
        await self.engine.ctx.db.transact(
            lambda conn: cluster_claims.add_credits(conn, queue_id, count)
        )
        self.engine.wake()

    # -- following the other nodes ------------------------------------------------------------

    def remote_event(self, event: Event) -> None:
        """Act on an event another node published (see the module's docstring)."""
        engine = self.engine
        if event.name == "queue:job_added":
            # In this node's index too, so that depth and places in line count every node's jobs.
            job_id, queue_id = event.job_id, event.queue_id
            if job_id is not None and queue_id is not None:
                # A node of an older version does not send when it put the job in line.
                enqueued_ns = event.data.get("enqueuedNs", time.time_ns())
                engine.enqueued_elsewhere(job_id, queue_id, event.data["priority"], enqueued_ns)
            engine.wake()
        elif event.name == "queue:status_changed":
            self._reload_soon()
        elif event.job_id is not None and event.data.get("status") in _NOT_WAITING:
            self._left_line(event.job_id)
            run = engine.running.get(event.job_id)
            if event.name == "job:cancelled" and run is not None and run.scope is not None:
                run.stop_reason = "cancelled"
                run.scope.cancel()

    def _reload_soon(self) -> None:
        if self._tg is not None:
            self._tg.start_soon(self.engine.reload_queues)

    async def _watch_queues(self) -> None:
        """Re-read the queues whenever a row of the queues table changed."""
        while True:
            await anyio.sleep(self.settings.queue_poll_s)
            try:
                rows = await self._on_own_connection(lambda conn: conn.fetch(_QUEUE_ROWS))
            except Exception:
                log.debug("reading the queues table failed; trying again", exc_info=True)
                continue
            seen = {row["id"]: tuple(row) for row in rows}
            if seen != self._queue_rows:
                self._queue_rows = seen
                await self.engine.reload_queues()
