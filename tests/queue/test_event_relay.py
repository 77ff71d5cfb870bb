"""Events across nodes through the PostgreSQL outbox: one id everywhere, replay anywhere."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import anyio.lowlevel
import asyncpg
import pytest

from graphq.queue.event_relay import EventRelay, RelaySettings, asyncpg_dsn
from graphq.queue.events import Event, EventBus, EventFilter
from tests.queue.cluster_nodes import within

EVERYTHING = EventFilter()


class Node:
    """A bus relayed through the outbox, and the other nodes' events it was told of."""

    def __init__(self, database_url: str, name: str, settings: RelaySettings) -> None:
        self.bus = EventBus(replay_size=1000)
        self.remote: list[Event] = []
        self.relay = EventRelay(database_url, name, self.bus, self.remote.append, settings)
        self.bus.relay = self.relay.take

    def events(self) -> list[Event]:
        return list(self.bus.replay(0, EVERYTHING))


@asynccontextmanager
async def running(nodes: list[Node]) -> AsyncIterator[list[Node]]:
    """The nodes' relays running, each listening, until the block ends."""
    async with anyio.create_task_group() as tg:
        for node in nodes:
            tg.start_soon(node.relay.run)
        with anyio.fail_after(10):
            for node in nodes:
                await node.relay.ready.wait()
        yield nodes
        tg.cancel_scope.cancel()


@asynccontextmanager
async def relayed(
    database_url: str, *names: str, settings: RelaySettings | None = None
) -> AsyncIterator[list[Node]]:
    nodes = [Node(database_url, name, settings or RelaySettings()) for name in names]
    async with running(nodes):
        yield nodes


async def test_an_event_published_on_one_node_reaches_every_node_with_one_id(
    postgres_database: str,
) -> None:
    async with relayed(postgres_database, "a", "b") as (a, b):
        _, stream = b.bus.subscribe(EventFilter(job_id="j1"))
        a.bus.publish("job:completed", {"jobId": "j1"}, queue_id="q", job_id="j1")
        with anyio.fail_after(5):
            received = await stream.receive()
        await within(10, lambda: len(a.events()) == 1)
    assert (received.name, received.data, received.queue_id) == (
        "job:completed",
        {"jobId": "j1"},
        "q",
    )
    assert a.events()[0].id == received.id
    # Each node is told of the other's events only: its own it acted on when it published.
    assert [e.id for e in b.remote] == [received.id] and a.remote == []


async def test_a_client_replays_what_it_missed_from_whichever_node_it_reconnects_to(
    postgres_database: str,
) -> None:
    async with relayed(postgres_database, "a", "b") as (a, b):
        for n in range(5):
            a.bus.publish("job:progress_updated", {"n": n}, job_id="j")
        # Node a takes its own events into its buffer once the outbox gave them their ids,
        # which may come after node b read them.
        await within(10, lambda: len(a.events()) == len(b.events()) == 5)
        seen_on_a = a.events()[1].id
        replayed = [e.data["n"] for e in b.bus.replay(seen_on_a, EVERYTHING)]
    assert replayed == [2, 3, 4]
    # A node started later fills its replay buffer from the outbox.
    async with relayed(postgres_database, "c") as (c,):
        await within(10, lambda: len(c.events()) == 5)
        assert [e.data["n"] for e in c.bus.replay(seen_on_a, EVERYTHING)] == [2, 3, 4]
        assert c.remote == []  # history, not news: nothing to act on


async def test_events_of_concurrent_writers_are_all_read_in_id_order(
    postgres_database: str,
) -> None:
    async with relayed(postgres_database, "a", "b", "reader") as (a, b, reader):

        async def publish(node: Node, name: str) -> None:
            for n in range(200):
                node.bus.publish("job:progress_updated", {"by": name, "n": n})
                if n % 7 == 0:
                    await anyio.lowlevel.checkpoint()

        async with anyio.create_task_group() as tg:
            tg.start_soon(publish, a, "a")
            tg.start_soon(publish, b, "b")
        await within(10, lambda: len(reader.events()) == 400)
        ids = [e.id for e in reader.events()]
    assert ids == sorted(ids) and len(set(ids)) == 400
    for name in ("a", "b"):
        assert [e.data["n"] for e in reader.events() if e.data["by"] == name] == list(range(200))


async def test_the_outbox_keeps_only_its_newest_rows(postgres_database: str) -> None:
    settings = RelaySettings(keep_rows=3, prune_every_s=0.1)
    async with relayed(postgres_database, "a", settings=settings) as (a,):
        for n in range(10):
            a.bus.publish("job:progress_updated", {"n": n})
        await within(10, lambda: len(a.events()) == 10)
        conn = await asyncpg.connect(asyncpg_dsn(postgres_database))
        try:
            with anyio.fail_after(5):
                while True:
                    if await conn.fetchval("SELECT count(*) FROM queue_events") <= 3:
                        break
                    await anyio.sleep(0.05)
            kept = [r["data"] for r in await conn.fetch("SELECT data::text FROM queue_events")]
        finally:
            await conn.close()
    assert sorted(kept) == ['{"n":7}', '{"n":8}', '{"n":9}']


async def test_events_reach_every_node_from_the_notification_without_reading_the_table(
    postgres_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    quiet = RelaySettings(poll_s=60.0)  # no poll within the test: only notifications
    async with relayed(postgres_database, "a", "b", settings=quiet) as (a, b):
        reads: list[str] = []

        def count_reads(node: Node) -> None:
            read = node.relay._read

            async def counted(conn: asyncpg.Connection) -> None:
                reads.append(node.relay.node)
                await read(conn)

            monkeypatch.setattr(node.relay, "_read", counted)

        count_reads(a)
        count_reads(b)
        for n in range(50):
            a.bus.publish("job:progress_updated", {"n": n}, job_id="j")
            if n % 10 == 0:
                await anyio.lowlevel.checkpoint()
        await within(10, lambda: len(a.events()) == len(b.events()) == 50)
    assert [e.data["n"] for e in b.events()] == list(range(50))
    assert [e.id for e in b.events()] == [e.id for e in a.events()]
    assert reads == []


async def test_a_batch_too_large_for_one_notification_reaches_every_node_in_order(
    postgres_database: str,
) -> None:
    quiet = RelaySettings(poll_s=60.0)
    sizes = [1000] * 30 + [9000] + [10] * 5  # many notifications, then one only of an id range
    async with relayed(postgres_database, "a", "b", settings=quiet) as (a, b):
        for n, size in enumerate(sizes):  # one batch: nothing yields in between
            a.bus.publish("job:progress_updated", {"n": n, "pad": "x" * size}, job_id="j")
        await within(10, lambda: len(a.events()) == len(b.events()) == len(sizes))
    for node in (a, b):
        assert [(e.data["n"], len(e.data["pad"])) for e in node.events()] == list(enumerate(sizes))
    assert [e.id for e in b.events()] == [e.id for e in a.events()]
    assert [e.id for e in b.remote] == [e.id for e in b.events()]


async def test_an_id_drawn_but_never_committed_does_not_hold_events_back(
    postgres_database: str,
) -> None:
    quiet = RelaySettings(poll_s=60.0)
    async with relayed(postgres_database, "a", "b", settings=quiet) as (a, b):
        a.bus.publish("job:progress_updated", {"n": 0})
        await within(10, lambda: len(b.events()) == 1)
        conn = await asyncpg.connect(asyncpg_dsn(postgres_database))
        try:  # as a write that rolled back leaves it: an id no notification will name
            await conn.execute("SELECT nextval(pg_get_serial_sequence('queue_events', 'id'))")
        finally:
            await conn.close()
        a.bus.publish("job:progress_updated", {"n": 1})
        a.bus.publish("job:progress_updated", {"n": 2})
        await within(10, lambda: len(a.events()) == len(b.events()) == 3)
    assert [e.data["n"] for e in b.events()] == [0, 1, 2]
    first, second, third = (e.id for e in b.events())
    assert second == first + 2 and third == second + 1


async def test_a_node_that_lost_its_connection_gets_what_was_published_meanwhile(
    postgres_database: str,
) -> None:
    # Node b's connections are told apart by their application name.
    b_url = f"{postgres_database}?application_name=node_b"
    a = Node(postgres_database, "a", RelaySettings())
    b = Node(b_url, "b", RelaySettings())
    async with running([a, b]):
        a.bus.publish("job:progress_updated", {"n": 0})
        await within(10, lambda: len(b.events()) == 1)
        conn = await asyncpg.connect(asyncpg_dsn(postgres_database))
        try:
            ended = await conn.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE application_name = 'node_b'"
            )
        finally:
            await conn.close()
        assert ended == 2  # its writer and its reader: it reconnects after a second
        for n in range(1, 4):
            a.bus.publish("job:progress_updated", {"n": n})
        await within(10, lambda: len(b.events()) == 4)
    assert [e.data["n"] for e in b.events()] == [0, 1, 2, 3]
    assert [e.id for e in b.events()] == [e.id for e in a.events()]
    assert [e.data["n"] for e in b.remote] == [0, 1, 2, 3]  # news, not history


async def test_a_notification_lost_on_the_way_is_made_good_from_the_table(
    postgres_database: str,
) -> None:
    quiet = RelaySettings(poll_s=60.0)  # no poll within the test: the next notification tells
    a, b = (Node(postgres_database, name, quiet) for name in "ab")
    hear = b.relay._hear
    dropped: list[str] = []
    armed = False

    def lose_the_first_once_armed(conn: object, pid: int, channel: str, payload: str) -> None:
        if armed and not dropped:
            dropped.append(payload)
        else:
            hear(conn, pid, channel, payload)

    b.relay._hear = lose_the_first_once_armed  # type: ignore[method-assign]
    async with running([a, b]):
        a.bus.publish("job:progress_updated", {"n": 0})
        await within(10, lambda: len(b.events()) == 1)
        armed = True
        a.bus.publish("job:progress_updated", {"n": 1})
        await within(10, lambda: len(dropped) == 1)
        a.bus.publish("job:progress_updated", {"n": 2})
        await within(10, lambda: len(b.events()) == 3)
    assert [e.data["n"] for e in b.events()] == [0, 1, 2]
    assert [e.id for e in b.events()] == [e.id for e in a.events()]
