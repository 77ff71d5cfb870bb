"""Job and queue events across the nodes of a cluster: an outbox table plus LISTEN/NOTIFY.

On PostgreSQL every event a node publishes goes to the ``queue_events`` table, and every
node — the publishing one too — hands it to its own :class:`~graphq.queue.events.EventBus`
in id order. So an SSE client on any node sees every node's events, each with the same id
everywhere: the table's ``bigserial``, which makes ``Last-Event-ID`` replay work whichever
node the client reconnects to.

Ids must become visible in increasing order, or a reader that moved past id 11 would never
see id 10 commit after it. Each write therefore takes one transaction-scoped advisory lock
before it draws its ids: writes from all nodes commit one after another, in id order. A node
writes its events in batches (all that arrived while the previous write was in flight), each
in one statement (a function of migrations 0007 and 0013), so the lock is taken a few dozen
times a second and held for a millisecond, not once per event.

The write's NOTIFYs carry the batch itself (migration 0013), and PostgreSQL delivers
notifications in commit order, so a node hands events on straight from them, with no read of
the table. It reads the table, from its cursor (the last id it handed on), only when a
notification does not follow on from the cursor: a batch too large for one notification
announces just its id range, an id between was never announced (a write rolled back after it
drew its ids), or the node reconnected and missed notifications. Nodes also poll, so a lost
notification delays an event by at most :data:`RelaySettings.poll_s`. The outbox keeps only
the newest rows.
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
# (migrations 0007 and 0013): it takes the advisory lock, inserts the batch and notifies with
# it, all in the one statement, so the lock is held for the statement and not across round
# trips.
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
# A notification carrying events: the publishing node and its events, each [id, name,
# queue_id, job_id, data], in id order. Any other payload is "<first id> <last id>", events to
# read from the table.
_EventRow = tuple[int, str, str | None, str | None, dict[str, Any]]
_Carried = tuple[str, list[_EventRow]]


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
        # Notification payloads heard and not yet handled, in the order they arrived.
        self._heard: list[str] = []
        self._cursor: int | None = None
        # The newest id when the relay first started: events up to it only fill the replay
        # buffer, as they happened before this node could act on them.
        self._news_after = 0
        self._failures = RepeatedFailure("relaying events", log)
        self._encoder = msgspec.json.Encoder()
        self._decoder = msgspec.json.Decoder(_Carried)
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
            # ``except*``: a connection lost while the session's loops run comes out of their
            # task group inside an exception group.
            except* (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as lost:
                await anyio.sleep(self._failures.failed(lost.exceptions[0]))

    async def _session(self) -> None:
        writer = await asyncpg.connect(self.dsn)
        reader = await asyncpg.connect(self.dsn)
        try:
            await reader.add_listener(CHANNEL, self._hear)
            if self._cursor is None:
                self._news_after = int(await reader.fetchval(_NEWEST))
                self._cursor = max(self._news_after - self.bus.replay_size, 0)
            # At start the replay buffer's history; after a reconnect, what went unheard.
            await self._read(reader)
            if not self._pending:  # else a write must succeed first: it may be what fails
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
            self._failures.succeeded()

    async def _write(self, conn: asyncpg.Connection, batch: list[_Pending]) -> None:
        names, queues, jobs, data = [], [], [], []
        for name, payload, queue_id, job_id in batch:
            names.append(name)
            queues.append(queue_id)
            jobs.append(job_id)
            data.append(self._encoder.encode(payload).decode())
        await conn.execute(_PUBLISH, self.node, names, queues, jobs, data)

    def _hear(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        self._heard.append(payload)
        self._to_read.set()

    async def _read_loop(self, conn: asyncpg.Connection) -> None:
        while True:
            with anyio.move_on_after(self.settings.poll_s):
                await self._to_read.wait()
            self._to_read = anyio.Event()
            heard, self._heard = self._heard, []
            if not heard:  # the poll: a notification may have been lost
                await self._read(conn)
            for payload in heard:
                if not self._hand_on(payload):
                    await self._read(conn)

    def _hand_on(self, payload: str) -> bool:
        """Hand on the events a notification carries that are news; False if the table must
        be read instead: the notification names only an id range beyond the cursor, or its
        first event does not follow on from the cursor."""
        assert self._cursor is not None
        if not payload.startswith("["):  # "<first id> <last id>"
            last = payload.rpartition(" ")[2]
            return last.isdigit() and int(last) <= self._cursor
        node, rows = self._decoder.decode(payload)
        if rows[0][0] > self._cursor + 1:
            return False
        remote = node != self.node
        for event_id, name, queue_id, job_id, data in rows:
            if event_id <= self._cursor:
                continue
            event = Event(event_id, name, data, queue_id, job_id)
            self.bus.deliver(event)
            if remote:
                self.on_remote(event)
            self._cursor = event_id
        return True

    async def _read(self, conn: asyncpg.Connection) -> None:
        """Hand on every event after the cursor."""
        while True:
            rows = await conn.fetch(_READ, self._cursor, self.settings.read_batch)
            for event_id, node, name, queue_id, job_id, data in rows:
                event = Event(event_id, name, msgspec.json.decode(data), queue_id, job_id)
                self.bus.deliver(event)
                if node != self.node and event_id > self._news_after:
                    self.on_remote(event)
                self._cursor = event_id
            if len(rows) < self.settings.read_batch:
                return
