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

Every write wakes every node to read, and a read costs a node about as much CPU as the
events in it cost to hand on: while events keep coming, a node writes at most once and
reads at most once every :data:`RelaySettings.gap_s`, and takes in one go all that came
meanwhile. The first event after a quiet spell goes and is read at once.
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
    # The least time between two writes, and between two reads, of one node while events keep
    # coming: a digitize job's ~16 events then cost a few writes, and each node a few reads
    # rather than one per write of any node. An event waits at most twice this (its write,
    # then the read), within the second in which a pause must reach every node; 0.25 s cut a
    # node's CPU per digitized image by a few more ms than 0.1 s did.
    gap_s: float = 0.25
    # How long a stopping node tries to write the events it still holds and read them back.
    last_write_s: float = 2.0


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
        self._in_flight = self._reading = False
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
        self._in_flight = self._reading = False
        try:
            await reader.add_listener(CHANNEL, lambda *_: self._to_read.set())
            if self._cursor is None:
                newest = int(await reader.fetchval(_NEWEST))
                self._cursor = max(newest - self.bus.replay_size, 0)
                self._reading = True
                await self._read(reader, backlog=True)
                self._reading = False
            self._failures.succeeded()
            self.ready.set()
            async with anyio.create_task_group() as tg:
                tg.start_soon(self._write_loop, writer)
                tg.start_soon(self._read_loop, reader)
        except anyio.get_cancelled_exc_class():
            with anyio.CancelScope(shield=True), anyio.move_on_after(self.settings.last_write_s):
                await self._finish(writer, reader)
            raise
        finally:
            with anyio.CancelScope(shield=True):
                await writer.close()
                await reader.close()

    async def _write_loop(self, conn: asyncpg.Connection) -> None:
        """Write what was published, and prune now and then (the same connection)."""
        prune_at = time.monotonic() + self.settings.prune_every_s
        last = -self.settings.gap_s
        while True:
            with anyio.move_on_after(self.settings.prune_every_s):
                await self._to_write.wait()
            await anyio.sleep(max(last + self.settings.gap_s - time.monotonic(), 0))
            if time.monotonic() >= prune_at:
                await conn.execute(_PRUNE, self.settings.keep_rows)
                prune_at = time.monotonic() + self.settings.prune_every_s
            self._to_write = anyio.Event()
            if self._pending:
                last = time.monotonic()
                await self._write_pending(conn)

    async def _write_pending(self, conn: asyncpg.Connection) -> None:
        batch, self._pending = self._pending, []
        self._in_flight = True
        try:
            await self._write(conn, batch)
        except BaseException:
            self._pending[:0] = batch  # written next time, in their order
            self._to_write.set()
            raise
        self._in_flight = False

    async def _finish(self, writer: asyncpg.Connection, reader: asyncpg.Connection) -> None:
        """On the way out (a node stopping): write the events still held, then read the outbox
        to its end into the bus, as history (nothing left to act on), so that this node's
        own last events reach its streams too. Not on a connection whose statement was cut
        off midway: it is in doubt."""
        try:
            if self._pending and not self._in_flight and not writer.is_closed():
                await self._write_pending(writer)
            if not self._reading and self._cursor is not None and not reader.is_closed():
                await self._read(reader, backlog=True)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
            log.debug("the events of a stopping node were not all relayed", exc_info=True)

    async def _write(self, conn: asyncpg.Connection, batch: list[_Pending]) -> None:
        names, queues, jobs, data = [], [], [], []
        for name, payload, queue_id, job_id in batch:
            names.append(name)
            queues.append(queue_id)
            jobs.append(job_id)
            data.append(self._encoder.encode(payload).decode())
        await conn.execute(_PUBLISH, self.node, names, queues, jobs, data)

    async def _read_loop(self, conn: asyncpg.Connection) -> None:
        last = -self.settings.gap_s
        while True:
            with anyio.move_on_after(self.settings.poll_s):
                await self._to_read.wait()
            await anyio.sleep(max(last + self.settings.gap_s - time.monotonic(), 0))
            self._to_read = anyio.Event()
            last = time.monotonic()
            self._reading = True
            await self._read(conn, backlog=False)
            self._reading = False

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
