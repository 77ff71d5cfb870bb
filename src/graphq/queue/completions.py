"""Group commit of finished runs, handing their slots to the next jobs in the same transaction.

A run's completion — the conditional UPDATE to ``completed`` and the handler's result rows —
still commits atomically; what runs share is the transaction. While one group commits, runs
that finish meanwhile wait, and the next group takes them all. Should the group's transaction
fail (a ``store`` raised, say), each run is committed again on its own, so only the run at
fault fails, as it would have alone.

The slots of the runs that completed pass at once to the jobs next in line, claimed in the
same transaction on SQLite (the engine claims them, see :class:`SlotHandover`): a busy queue
spends one write per job on running it, not two. On PostgreSQL a group whose kinds all store
through ``store_in`` completes as one statement with its result rows
(:mod:`graphq.queue.row_completions`), and any other group's completions are one statement.

A kind whose result is plain rows stores them through ``store_in`` (its rows, handed to
:func:`graphq.queue.new_rows.insert_rows`, and its changes to existing rows, an image's status
say, handed to :func:`graphq.queue.row_updates.update_rows`; see :mod:`graphq.queue.registry`):
then the whole transaction is one synchronous function, with no ORM session and no hop into a
greenlet. A group with any kind that stores through the ORM (``store``) runs in a session, as
before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import anyio
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from graphq.db.database import Database
from graphq.queue import row_completions, store
from graphq.queue.registry import JobContext, JobHandler
from graphq.queue.state import RunningJob

# What committing one run came to: completed, lease lost (False), or the store's error.
Outcome = bool | Exception
# A kind's Core store: its result rows, on the completing transaction's connection.
StoreIn = Callable[[JobContext, Connection, Any], bool | None]


class HandedOver(Protocol):
    """Jobs claimed for freed slots inside a completing transaction: started once it
    committed, put back in line if it did not."""

    def start(self) -> None: ...

    def undo(self) -> None: ...


class SlotHandover(Protocol):
    """The engine's side: claims, inside a completing transaction, the jobs that take the
    slots of its completed runs. May run again if the database retries the transaction."""

    def hand_over(self, conn: Connection, finished: list[RunningJob]) -> HandedOver | None: ...


def store_in_of(handler: JobHandler) -> StoreIn | None:
    """The kind's Core store, if it has one."""
    return getattr(handler, "store_in", None)


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
        # Taken without a trip round the event loop when free, as the database's write lock.
        self._lock = anyio.Lock(fast_acquire=True)

    async def complete(self, item: Completion) -> bool:
        """Commit the run as completed with its results; False if its lease passed to another.

        Raises what the handler's ``store`` (or the commit) raised; nothing of the run stays.
        """
        self._pending.append(item)
        # A turn of the event loop first: the runs that finish in it join this group (one
        # commit for all), and a task that goes on from job to job lets the others run.
        await anyio.lowlevel.checkpoint()
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
        handed: list[HandedOver] = []
        try:
            if all(store_in_of(item.handler) is not None for item in group):
                if self.db.is_sqlite:
                    outcomes = await self.db.transact(
                        lambda conn: self._in_core(conn, group, handed)
                    )
                else:
                    outcomes = await self.db.statement(lambda conn: self._in_one(conn, group))
            else:
                outcomes = await self.db.transact_session(
                    lambda session: self._in_session(session, group, handed)
                )
        except BaseException:
            for claim in handed:
                claim.undo()
            raise
        for claim in handed:
            claim.start()
        return outcomes

    def _in_core(
        self, conn: Connection, group: list[Completion], handed: list[HandedOver]
    ) -> list[bool]:
        """The whole transaction on SQLite when every kind of the group stores through
        ``store_in``."""
        outcomes = self._mark_completed(conn, group)
        done = [item for item, ok in zip(group, outcomes, strict=True) if ok]
        for item in done:
            item.needs_review = bool(_store_in(item, conn))
        self._review_and_hand_over(conn, done, handed)
        return outcomes

    def _in_one(self, conn: Connection, group: list[Completion]) -> list[bool]:
        """The same on PostgreSQL, as one statement (:mod:`graphq.queue.row_completions`): the
        rows of every run are gathered first and stored only for the jobs still ours."""
        with row_completions.gathering(conn) as gathered:
            for item in group:
                gathered.job_id = item.ctx.job.id
                item.needs_review = bool(_store_in(item, conn))
        runs = [(item.ctx.job.id, item.run.started_at) for item in group]
        review = {item.ctx.job.id for item in group if item.needs_review}
        return row_completions.complete_with_rows(conn, self.owner, runs, review, gathered)

    async def _in_session(
        self, session: AsyncSession, group: list[Completion], handed: list[HandedOver]
    ) -> list[bool]:
        outcomes = await session.run_sync(lambda s: self._mark_completed(s.connection(), group))
        done = [item for item, ok in zip(group, outcomes, strict=True) if ok]
        for item in done:
            store_in = store_in_of(item.handler)
            if store_in is not None:
                stored = await session.run_sync(_store_in_session, store_in, item)
            else:
                stored = await item.handler.store(item.ctx, session, item.output)
            item.needs_review = bool(stored)
        if done:
            await session.run_sync(
                lambda s: self._review_and_hand_over(s.connection(), done, handed)
            )
        return outcomes

    def _mark_completed(self, conn: Connection, group: list[Completion]) -> list[bool]:
        runs = [(item.ctx.job.id, item.run.started_at) for item in group]
        return store.mark_all_completed(conn, self.owner, runs)

    def _review_and_hand_over(
        self, conn: Connection, done: list[Completion], handed: list[HandedOver]
    ) -> None:
        """Mark the jobs whose results need review, claim the jobs taking the slots."""
        store.mark_needs_review(conn, [item.ctx.job.id for item in done if item.needs_review])
        if self.handover is None or not done:
            return
        # A retried transaction (PostgreSQL) claims again; only its last claim committed.
        handed.clear()
        claim = self.handover.hand_over(conn, [item.run for item in done])
        if claim is not None:
            handed.append(claim)


def _store_in(item: Completion, conn: Connection) -> bool | None:
    store_in = store_in_of(item.handler)
    assert store_in is not None
    return store_in(item.ctx, conn, item.output)


def _store_in_session(session: Session, store_in: StoreIn, item: Completion) -> bool | None:
    """A kind's Core store in a group that runs in an ORM session: on its connection."""
    return store_in(item.ctx, session.connection(), item.output)
