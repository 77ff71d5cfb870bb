"""Group commit of finished runs, handing their slots to the next jobs in the same transaction.

A run's completion — the conditional UPDATE to ``completed`` and the handler's result rows —
still commits atomically; what runs share is the transaction. While one group commits, runs
that finish meanwhile wait, and the next group takes them all. Should the group's transaction
fail (a ``store`` raised, say), each run is committed again on its own, so only the run at
fault fails, as it would have alone.

The slots of the runs that completed pass at once to the jobs next in line (the engine picks
them, see :class:`SlotHandover`), and those are claimed in the same transaction: a busy queue
spends one write per job on running it, not two.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import anyio
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from graphq.db.database import Database
from graphq.queue import store
from graphq.queue.failures import FIRST_WAIT_S
from graphq.queue.registry import JobContext, JobHandler
from graphq.queue.state import RunningJob

# What committing one run came to: completed, lease lost (False), or the store's error.
Outcome = bool | Exception


class SlotHandover(Protocol):
    """The engine's side: who takes the slots of runs whose completion is being committed."""

    def hand_over(self, finished: list[RunningJob]) -> list[RunningJob]: ...

    def start_claimed(self, picked: list[RunningJob], claimed: store.Claimed) -> None: ...

    def return_unclaimed(self, picked: list[RunningJob], delay_s: float) -> None: ...


@dataclass
class Completion:
    ctx: JobContext
    handler: JobHandler
    output: Any
    run: RunningJob
    outcome: Outcome | None = None
    # What ``store`` said of its result; the job is marked so in the same transaction.
    needs_review: bool = False


class Completer:
    def __init__(self, db: Database, owner: str, lease_s: float) -> None:
        self.db = db
        self.owner = owner
        self.lease_s = lease_s
        self.handover: SlotHandover | None = None
        self._pending: list[Completion] = []
        self._lock = anyio.Lock()

    async def complete(self, item: Completion) -> bool:
        """Commit the run as completed with its results; False if its lease passed to another.

        Raises what the handler's ``store`` (or the commit) raised; nothing of the run stays.
        """
        self._pending.append(item)
        async with self._lock:
            if item.outcome is None:  # no earlier group took it: lead the next one
                group, self._pending = self._pending, []
                await self._commit_group(group)
        if isinstance(item.outcome, Exception):
            raise item.outcome
        return bool(item.outcome)

    async def _commit_group(self, group: list[Completion]) -> None:
        """All in one transaction; if that fails, each in its own, so that one ``store`` that
        raises fails its own job only."""
        outcomes: list[Outcome]
        try:
            outcomes = list(await self._commit(group))
        except Exception as exc:
            outcomes = [exc] if len(group) == 1 else []
            for item in group if len(group) > 1 else ():
                try:
                    outcomes.extend(await self._commit([item]))
                except Exception as item_exc:
                    outcomes.append(item_exc)
        for member, outcome in zip(group, outcomes, strict=True):
            member.outcome = outcome

    async def _commit(self, group: list[Completion]) -> list[bool]:
        """Complete the group's jobs and claim the jobs that take over their slots."""
        picked: list[RunningJob] = []

        async def transaction(session: AsyncSession) -> tuple[list[bool], store.Claimed]:
            outcomes = await session.run_sync(lambda s: self._mark_completed(s, group))
            done = [item for item, ok in zip(group, outcomes, strict=True) if ok]
            for item in done:
                item.needs_review = bool(await item.handler.store(item.ctx, session, item.output))
            if self.handover is not None and done:
                picked.extend(self.handover.hand_over([item.run for item in done]))
            review = [item.ctx.job.id for item in done if item.needs_review]
            ids = [run.job_id for run in picked]
            if not ids and not review:
                return outcomes, (store.utcnow(), {})
            claimed = await session.run_sync(lambda s: self._review_and_claim(s, review, ids))
            return outcomes, claimed

        try:
            outcomes, claimed = await self.db.transact_session(transaction)
        except BaseException:
            if picked and self.handover is not None:
                self.handover.return_unclaimed(picked, FIRST_WAIT_S)
            raise
        if picked and self.handover is not None:
            self.handover.start_claimed(picked, claimed)
        return outcomes

    def _mark_completed(self, session: Session, group: list[Completion]) -> list[bool]:
        """The group's completions, in one hop to the session's connection."""
        connection = session.connection()
        return [
            store.mark_completed(connection, item.ctx.job.id, self.owner, item.run.started_at)
            for item in group
        ]

    def _review_and_claim(
        self, session: Session, review: list[str], job_ids: list[str]
    ) -> store.Claimed:
        """Mark the jobs whose results need review, claim the jobs taking the slots."""
        connection = session.connection()
        for job_id in review:
            store.mark_needs_review(connection, job_id)
        if not job_ids:
            return store.utcnow(), {}
        return store.claim_in(connection, job_ids, self.owner, self.lease_s)
