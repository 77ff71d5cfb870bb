"""One async engine and session factory shared by the API, the queue and the job handlers.

SQLite allows one writer at a time. Rather than letting concurrent transactions collide on
``database is locked`` (a deferred transaction that reads and then writes cannot wait for the
lock, it fails), every writing transaction in this process goes through :meth:`Database.write`
or :meth:`Database.transact`, which serialise writers with an in-process lock. Readers run
alongside in WAL mode. On SQLite every write transaction (:meth:`write`, :meth:`transact`,
:meth:`transact_session`) runs on pysqlite without a round trip to aiosqlite's thread per
statement (:mod:`graphq.db.writer`): the write lock is held for the statements, not for trips
that each wait for a core on a busy machine (``long`` writes excepted, see :meth:`write`).
Reads go through aiosqlite, or a read-only pysqlite engine for single-row lookups
(:meth:`sqlite_reader`).

PostgreSQL has row locks and real concurrency, so :meth:`write` sessions (the API's and the
job handlers' writes) run side by side there. The queue's transactions stay serialised in each
process on both backends: they update the rows of the same running jobs (progress, lease
renewals, completions, claims) in different orders, which on PostgreSQL two concurrent
transactions of one process could turn into a deadlock, and one process's queue commits them
one after another anyway. Across processes (several nodes on one database) a
:meth:`transact` that PostgreSQL aborts as a deadlock victim or a serialisation failure is
run again: its function is a pure function of the connection, so a second run is the first
run retried. The queue's transactions take their connections from a pool of their own without
a pre-ping (a round trip before every transaction, so before every job's completion): a
connection found dead is dropped and the transaction runs again on a fresh one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, TypeVar

import anyio
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import SingletonThreadPool

from graphq.db.writer import SQLITE_PRAGMAS, Writer

T = TypeVar("T")

# PostgreSQL's answers to a transaction it aborted to let another through: serialization
# failure and deadlock detected. Running the transaction again is the documented remedy.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
# A deadlock needs two transactions locking the same rows in different orders; a few runs
# always get one through, and a transaction that keeps losing is a bug worth seeing.
TRANSACT_ATTEMPTS = 5
RETRY_PAUSE_S = 0.01


def is_retryable(exc: BaseException) -> bool:
    """True when PostgreSQL aborted the transaction as a deadlock victim or for serialisation,
    or when the connection turned out dead (the pool dropped it)."""
    return isinstance(exc, DBAPIError) and (
        getattr(exc.orig, "sqlstate", None) in RETRYABLE_SQLSTATES or exc.connection_invalidated
    )


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.engine = create_async_engine(url, pool_pre_ping=not self.is_sqlite)
        # The queue's transactions on PostgreSQL (see the module's docstring), and its
        # single statements, each a transaction of its own (:meth:`statement`).
        self._queue_engine = self.engine if self.is_sqlite else create_async_engine(url)
        self._statement_engine = (
            self.engine
            if self.is_sqlite
            else create_async_engine(url, isolation_level="AUTOCOMMIT")
        )
        self.writer: Writer | None = None
        if self.is_sqlite:
            _configure_sqlite(self.engine)
            self.writer = Writer(url)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # Taken without a trip round the event loop when free: the queue takes it for every
        # job, and two needless yields per transaction cost more than the transaction.
        self._write_lock = anyio.Lock(fast_acquire=True)
        self._reader: Engine | None = None

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self.sessions() as session:
            yield session

    @asynccontextmanager
    async def write(self, *, long: bool = False) -> AsyncIterator[AsyncSession]:
        """A session in a transaction that commits on success and rolls back on error.

        On SQLite it is a session on the writer's own connection (:meth:`_writer_session`):
        through aiosqlite each statement is a round trip to its thread, and on a busy machine
        each trip waits for a core while the session holds the write lock that every job
        creation and queue transaction waits for (a digitize job's prepare held it 40-140 ms
        under load, about 1 ms this way). Its statements run on the event loop's thread, so a
        ``long`` write (a delete cascading over a whole queue's or product's rows) goes
        through aiosqlite's thread instead, and the loop serves requests meanwhile.
        """
        if self.writer is None:
            async with self.sessions() as session, session.begin():
                yield session
            return
        if long:
            async with self._write_lock, self.sessions() as session, session.begin():
                yield session
            return
        async with self._write_lock, self._writer_session() as session:
            yield session

    async def transact(self, fn: Callable[[Connection], T]) -> T:
        """Run ``fn(connection)`` — Core statements, no awaits — as one write transaction.

        ``fn`` may run more than once: on PostgreSQL a deadlock or serialisation failure
        rolls the transaction back and it runs again, so ``fn`` changes nothing but the
        database.
        """
        async with self._write_lock:
            if self.writer is not None:
                return await self.writer.run(fn)
            return await self._retried(self._queue_engine.begin, fn)

    async def statement(self, fn: Callable[[Connection], T]) -> T:
        """Run ``fn(connection)``, which runs one statement, as its own transaction.

        On PostgreSQL that saves the round trips of a begin and a commit; a deadlock or
        serialisation failure runs it again, as :meth:`transact` does. On SQLite it is
        :meth:`transact`.
        """
        if self.writer is not None:
            return await self.transact(fn)
        async with self._write_lock:
            return await self._retried(self._statement_engine.connect, fn)

    @staticmethod
    async def _retried(
        connect: Callable[[], AbstractAsyncContextManager[AsyncConnection]],
        fn: Callable[[Connection], T],
    ) -> T:
        """``fn`` on a connection ``connect`` opens, run again after a deadlock or
        serialisation failure (PostgreSQL's answer to two transactions that cannot both
        commit), with a growing pause."""
        attempt = 1
        while True:
            try:
                async with connect() as async_connection:
                    return await async_connection.run_sync(fn)
            except DBAPIError as exc:
                if attempt == TRANSACT_ATTEMPTS or not is_retryable(exc):
                    raise
            await anyio.sleep(RETRY_PAUSE_S * attempt)
            attempt += 1

    async def transact_session(self, fn: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """Run ``await fn(session)`` as one write transaction; the session is flushed at the end.

        On SQLite the session's I/O is synchronous (see :mod:`graphq.db.writer`).
        """
        async with self._write_lock:
            if self.writer is None:
                session = AsyncSession(self._queue_engine, expire_on_commit=False)
                async with session, session.begin():
                    return await fn(session)
            async with self._writer_session() as session:
                return await fn(session)

    @asynccontextmanager
    async def _writer_session(self) -> AsyncIterator[AsyncSession]:
        """On SQLite, with the write lock held: a session on the writer's connection, in its
        transaction, flushed and committed when the block succeeds. Its I/O is synchronous:
        each statement runs on the calling thread, with no round trip to another."""
        assert self.writer is not None
        async with self.writer.transaction() as connection:
            # Begun in SQLAlchemy too, so that the session joins the transaction rather
            # than ending it when it closes.
            connection.begin()
            session = AsyncSession(bind=None, expire_on_commit=False)
            sync_session = session.sync_session
            sync_session.bind = connection
            try:
                yield session
                sync_session.flush()  # synchronous I/O: no hop through a greenlet
            finally:
                sync_session.close()

    async def ping(self) -> bool:
        try:
            async with self.sessions() as session:
                await session.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    def sqlite_reader(self) -> Engine:
        """A read-only pysqlite engine on the same SQLite file, for reads made on the calling
        thread (``graphq.services.lookup``): one connection per thread, kept open until
        :meth:`dispose`. Its ``busy_timeout`` is 0: a read that would wait answers busy at once,
        and the caller reads through a session instead."""
        assert self.is_sqlite
        if self._reader is None:
            self._reader = create_engine(
                make_url(self.url).set(drivername="sqlite"),
                poolclass=SingletonThreadPool,
                connect_args={"check_same_thread": False},
            )

            @event.listens_for(self._reader, "connect")
            def _on_connect(dbapi_connection: Any, _record: Any) -> None:
                dbapi_connection.execute("PRAGMA query_only=ON")
                dbapi_connection.execute("PRAGMA busy_timeout=0")

        return self._reader

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self._reader is not None:
            self._reader.dispose()
            self._reader = None
        for queue_engine in (self._queue_engine, self._statement_engine):
            if queue_engine is not self.engine:
                await queue_engine.dispose()
        if self.writer is not None:
            self.writer.close()
