"""SQLite's write transactions (the queue's, the API's and the job handlers'), run whole on
the caller's thread: no hop per statement.

Through aiosqlite every statement costs several round trips to aiosqlite's thread (cursor,
execute, fetch, close, then commit and the pool's reset), about nineteen for each queued job,
and on a busy machine each round trip waits for a core. These transactions are short and,
with WAL and ``synchronous=NORMAL``, do not wait for the disk, so they run here directly
on pysqlite: a plain function of a sync :class:`~sqlalchemy.engine.Connection`, or an async
function of an :class:`AsyncSession` whose I/O is synchronous (its awaits never suspend).

The one thing that could block the event loop is another process's write lock. So a
transaction starts with ``BEGIN IMMEDIATE`` under ``busy_timeout=0`` — it takes the write lock
up front or fails at once — and a refused start is retried with an async sleep, never a
blocking wait.

Each thread keeps its connection open between transactions: checking one out of the pool and
back in (with the pool's reset) cost about half what the INSERT of a queued job costs. A
connection whose transaction failed is closed, so the next transaction starts on a fresh one.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import anyio
from sqlalchemy import Connection, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import SingletonThreadPool

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",
)

T = TypeVar("T")

LOCK_WAIT_S = 10.0
# WAL pages the writer lets gather before its commit copies them into the database file
# (SQLite's default is 1000). A queued job's INSERT dirties a page of each of the job table's
# dozen indexes, so at 1000 pages a checkpoint, with its fsyncs on the event loop, came every
# ~70 commits; the same hot pages are copied once per checkpoint however often they were
# rewritten, so fewer, larger checkpoints cost less per job. Bounds the WAL file to ~40 MB.
WAL_CHECKPOINT_PAGES = 10_000
_BUSY = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


class _Cursor(sqlite3.Cursor):
    """pysqlite's cursor plus the hook :class:`AsyncSession` calls on a result it hands back.

    An async driver's cursor closes itself there once its rows are buffered; a synchronous
    cursor has nothing to do, and SQLAlchemy closes it when its result is consumed.
    """

    async def _async_soft_close(self) -> None:
        return None


class _Connection(sqlite3.Connection):
    def cursor(self, factory: Any = _Cursor) -> Any:
        return super().cursor(factory)


def _pysqlite(connection: Connection) -> sqlite3.Connection:
    raw = connection.connection.dbapi_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _commit(connection: Connection) -> None:
    """Commit through SQLAlchemy if it began the transaction too, else on pysqlite."""
    if connection.in_transaction():
        connection.commit()
    else:
        _pysqlite(connection).commit()


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    return getattr(exc, "sqlite_errorcode", None) in _BUSY


class Writer:
    """Write transactions on pysqlite, one connection per thread that uses it."""

    def __init__(self, async_url: str) -> None:
        self.engine = create_engine(
            make_url(async_url).set(drivername="sqlite"),
            poolclass=SingletonThreadPool,
            connect_args={"check_same_thread": False, "factory": _Connection},
        )

        @event.listens_for(self.engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # Writer._begin issues BEGIN itself
            for pragma in SQLITE_PRAGMAS:
                dbapi_connection.execute(pragma)
            dbapi_connection.execute("PRAGMA busy_timeout=0")
            dbapi_connection.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
            # A statement that fires triggers (the queue's counters, migration 0014) keeps a
            # statement journal to undo itself alone; past 64 KiB SQLite spilled it to a temp
            # file, so a batch INSERT of 1,000 jobs wrote twice its bytes (65 KiB a job
            # against 32). The writer's statements are the queue's and job creation's, whose
            # journals are bounded by the pages they touch; long cascades go elsewhere.
            dbapi_connection.execute("PRAGMA temp_store=MEMORY")

        # The open connection of each thread that writes, by thread id.
        self._held: dict[int, Connection] = {}

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        """A connection in a write transaction: committed if the block succeeds.

        SQLAlchemy learns of the transaction only if the block runs a statement through the
        connection (it begins its own then) or begins one itself (an ORM session needs that);
        the queue's plain-SQL transactions commit on pysqlite directly, which costs a fraction
        of SQLAlchemy's begin and commit.
        """
        connection = await self._begin()
        try:
            yield connection
            _commit(connection)
        except BaseException:
            self._drop(connection)
            raise

    async def run(self, fn: Callable[[Connection], T]) -> T:
        """``fn(connection)`` as one write transaction, committed if it returns: what
        :meth:`transaction` does, without the generator of an async context manager around
        it (a few microseconds, and the queue runs one or two of these a job)."""
        connection = await self._begin()
        try:
            result = fn(connection)
            _commit(connection)
        except BaseException:
            self._drop(connection)
            raise
        return result

    def _held_connection(self) -> Connection:
        connection = self._held.get(threading.get_ident())
        if connection is None or connection.closed or connection.invalidated:
            connection = self.engine.connect()
            self._held[threading.get_ident()] = connection
        return connection

    def _drop(self, connection: Connection) -> None:
        """Roll back and close a connection whose transaction failed; the next one is fresh."""
        self._held.pop(threading.get_ident(), None)
        try:
            connection.rollback()
            _pysqlite(connection).rollback()  # the BEGIN SQLAlchemy did not see
        finally:
            connection.close()

    async def _begin(self) -> Connection:
        """A connection holding the write lock, in a transaction.

        ``BEGIN IMMEDIATE`` goes straight to pysqlite (in autocommit mode, so a begin of
        SQLAlchemy's emits nothing and its commit or rollback ends this transaction).
        """
        deadline = time.monotonic() + LOCK_WAIT_S
        delay_s = 0.001
        while True:
            connection = self._held_connection()
            try:
                _pysqlite(connection).execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() > deadline:
                    self._drop(connection)
                    raise
            else:
                return connection
            await anyio.sleep(delay_s)
            delay_s = min(delay_s * 2, 0.05)

    def close(self) -> None:
        held, self._held = list(self._held.values()), {}
        for connection in held:
            connection.close()
        self.engine.dispose()
