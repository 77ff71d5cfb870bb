"""The engine's leases: renewed while its jobs run, and taken back from servers that stopped.

Every few seconds (a third of ``queue.lease_s``) the keeper renews the leases of this
process's running jobs and looks for jobs whose lease ran out: each goes back in line, or to
the DLQ once its attempts are spent; on PostgreSQL it also folds the queue's counter shards
(graphq.queue.counts). At start it also ends at once the leases of earlier
servers on this machine that no longer run, rather than waiting them out.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

import anyio

from graphq.queue import counts, leases, store
from graphq.queue.failures import RepeatedFailure
from graphq.queue.worker_dirs import pid_alive

if TYPE_CHECKING:
    from graphq.queue.engine import QueueEngine

log = logging.getLogger(__name__)


class LeaseKeeper:
    def __init__(self, engine: QueueEngine) -> None:
        self.engine = engine
        self._failures = RepeatedFailure("lease maintenance", log)
        # Apart from the leases': a fold that keeps failing must not hold back their renewal,
        # nor leases that keep failing the fold.
        self._fold_failures = RepeatedFailure("folding the queue's counters", log)

    async def recover_at_start(self) -> None:
        """Take back the jobs of stopped servers: this machine's at once, others' once their
        lease ran out."""
        ended = await leases.expire_leases_of_dead_local_servers(
            self.engine.ctx.db, leases.owner_host(), self._owner_is_gone
        )
        if ended:
            log.info("took back %d jobs of a stopped server on this machine", ended)
        await self.recover_expired()

    def _owner_is_gone(self, owner: str) -> bool:
        """Whether a lease owner of this host no longer runs: its process is gone, or it is
        an earlier start of this very process id."""
        _host, pid, *_ = owner.split(":")
        if not pid.isdigit():
            return False
        if int(pid) == os.getpid():
            return owner != self.engine.owner
        return not pid_alive(int(pid))

    async def run(self) -> None:
        """Renew and recover until cancelled (renewal only while ``engine.lease_renewal``)."""
        engine = self.engine
        lease_s = engine.ctx.settings.queue.lease_s
        while True:
            await anyio.sleep(max(lease_s / 3, 0.2))
            try:
                if engine.lease_renewal:
                    await leases.renew_leases(
                        engine.ctx.db, engine.owner, list(engine.running), lease_s
                    )
                await self.recover_expired()
            except Exception as exc:
                self._failures.failed(exc)
            else:
                self._failures.succeeded()
            try:
                await counts.fold(engine.ctx.db)
            except Exception as exc:
                self._fold_failures.failed(exc)
            else:
                self._fold_failures.succeeded()

    async def recover_expired(self) -> None:
        engine, db = self.engine, self.engine.ctx.db
        for job_id, attempts, max_attempts in await leases.expired_leases(db):
            if job_id in engine.running:
                continue
            if attempts >= max_attempts:
                await store.dead_letter(
                    db,
                    engine.ctx.registry,
                    job_id,
                    None,
                    "LEASE_EXPIRED",
                    "the server running the job stopped",
                )
                continue
            job = await leases.requeue_expired(db, job_id)
            if job is not None:
                log.warning("job %s recovered after its lease expired", job_id)
                engine.line.index(job.id, job.queue_id, job.priority, job.enqueued_ns, 0.0)
                engine.wake()
