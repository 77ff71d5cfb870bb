"""Job and queue events across the nodes of a cluster: an outbox table plus LISTEN/NOTIFY.

On PostgreSQL every event a node publishes goes to the ``queue_events`` table, and every
node — the publishing one too — reads the table back in id order and hands each event to its
own :class:`~graphq.queue.events.EventBus`. So an SSE client on any node sees every node's
events, each with the same id everywhere: the table's ``bigserial``, which makes
``Last-Event-ID`` replay work whichever node the client reconnects to.

Ids must become visible in increasing order, or a reader that moved past id 11 would never
see id 10 commit after it. Each write therefore takes one transaction-scoped advisory lock
before it draws its ids: writes from all nodes commit one after another, in id order. A node
writes its events in batches (all that arrived while the previous write was in flight), each
in one statement (a function of migration 0007), so the lock is taken a few dozen times a
second and held for a millisecond, not once per event. The write NOTIFYs the other nodes;
they also poll, so a lost notification delays an event by at most
:data:`RelaySettings.poll_s`. The outbox keeps only the newest rows.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anyio
import asyncpg
import msgspec
from sqlalchemy import make_url

from graphq.queue.events import Event, EventBus
from graphq.queue.failures import RepeatedFailure

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RelaySettings:
    # The fallback for a lost NOTIFY: the most an event waits before another node reads it.
    poll_s: float = 0.5
    # Rows one read hands on; more are read at once after.
    read_batch: int = 1000
    # Outbox rows kept: well beyond the replay buffer of any node, so a reconnecting client
    # replays from any node's buffer, and a restarted node refills its buffer from the table.
    keep_rows: int = 20_000
    # How often a node prunes the outbox down to ``keep_rows``.
    prune_every_s: float = 30.0


# The channel the outbox's writes NOTIFY, as the function ``graphq_publish_events`` does
# (migration 0007): it takes the advisory lock, inserts the batch and notifies, all in the
# one statement, so the lock is held for the statement and not across round trips.
CHANNEL = "graphq_events"
_PUBLISH = "SELECT graphq_publish_events($1, $2::text[], $3::text[], $4::text[], $5::text[])"
_READ = """
SELECT id, node, name, queue_id, job_id, data::text FROM queue_events
WHERE id > $1 ORDER BY id LIMIT $2
"""
_NEWEST = "SELECT coalesce(max(id), 0) FROM queue_events"
_PRUNE = "DELETE FROM queue_events WHERE id <= (SELECT max(id) FROM queue_events) - $1"

RemoteHook = Callable[[Event], None]
_Pending = tuple[str, dict[str, Any], str | None, str | None]


def asyncpg_dsn(database_url: str) -> str:
    """The SQLAlchemy URL (``postgresql+asyncpg://…``) as asyncpg's own connection string."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(False)


class EventRelay:
    """Carries one node's events to the outbox and every node's events to its bus.

    ``on_remote`` learns of each event another node published, after the bus delivered it:
    the engine follows other nodes' jobs and queue changes through it.
    """

    def __init__(
        self,
        database_url: str,
        node: str,
        bus: EventBus,
        on_remote: RemoteHook,
        settings: RelaySettings | None = None,
    ) -> None:
        self.dsn = asyncpg_dsn(database_url)
        self.node = node
        self.bus = bus
        self.on_remote = on_remote
        self.settings = settings or RelaySettings()
        self._pending: list[_Pending] = []
        self._to_write = anyio.Event()
        self._to_read = anyio.Event()
        self._cursor: int | None = None
        self._failures = RepeatedFailure("relaying events", log)
        self._encoder = msgspec.json.Encoder()
        # Set once the relay listens: from then on, every other node's event is news to it.
        self.ready = anyio.Event()

    def take(
        self, name: str, data: dict[str, Any], queue_id: str | None, job_id: str | None
    ) -> None:
        """The bus's publish in a cluster: the event goes out through the outbox."""
        self._pending.append((name, data, queue_id, job_id))
        self._to_write.set()

    async def run(self) -> None:
        """Relay until cancelled, reconnecting after a lost connection."""
        while True:
            try:
                await self._session()
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                await anyio.sleep(self._failures.failed(exc))

    async def _session(self) -> None:
        writer = await asyncpg.connect(self.dsn)
        reader = await asyncpg.connect(self.dsn)
        try:
            await reader.add_listener(CHANNEL, lambda *_: self._to_read.set())
            if self._cursor is None:
                newest = int(await reader.fetchval(_NEWEST))
                self._cursor = max(newest - self.bus.replay_size, 0)
                await self._read(reader, backlog=True)
            self._failures.succeeded()
            self.ready.set()
            async with anyio.create_task_group() as tg:
                tg.start_soon(self._write_loop, writer)
                tg.start_soon(self._read_loop, reader)
        finally:
            with anyio.CancelScope(shield=True):
                await writer.close()
                await reader.close()

    async def _write_loop(self, conn: asyncpg.Connection) -> None:
        """Write what was published, and prune now and then (the same connection)."""
        prune_at = time.monotonic() + self.settings.prune_every_s
        while True:
            with anyio.move_on_after(self.settings.prune_every_s):
                await self._to_write.wait()
            if time.monotonic() >= prune_at:
                await conn.execute(_PRUNE, self.settings.keep_rows)
                prune_at = time.monotonic() + self.settings.prune_every_s
            self._to_write = anyio.Event()
            batch, self._pending = self._pending, []
            if not batch:
                continue
            try:
                await self._write(conn, batch)
            except BaseException:
                self._pending[:0] = batch  # written next time, in their order
                self._to_write.set()
                raise

    async def _write(self, conn: asyncpg.Connection, batch: list[_Pending]) -> None:
        names, queues, jobs, data = [], [], [], []
        for name, payload, queue_id, job_id in batch:
            names.append(name)
            queues.append(queue_id)
            jobs.append(job_id)
            data.append(self._encoder.encode(payload).decode())
        await conn.execute(_PUBLISH, self.node, names, queues, jobs, data)

    async def _read_loop(self, conn: asyncpg.Connection) -> None:
        while True:
            with anyio.move_on_after(self.settings.poll_s):
                await self._to_read.wait()
            self._to_read = anyio.Event()
            await self._read(conn, backlog=False)

    async def _read(self, conn: asyncpg.Connection, *, backlog: bool) -> None:
        """Hand on every event after the cursor; ``backlog`` (at start) only fills the
        replay buffer: those events happened before this node could act on them."""
        while True:
            rows = await conn.fetch(_READ, self._cursor, self.settings.read_batch)
            for event_id, node, name, queue_id, job_id, data in rows:
                event = Event(event_id, name, msgspec.json.decode(data), queue_id, job_id)
                self.bus.deliver(event)
                if node != self.node and not backlog:
                    self.on_remote(event)
                self._cursor = event_id
            if len(rows) < self.settings.read_batch:
                return
