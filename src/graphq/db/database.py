"""One async engine and session factory shared by the API, the queue and the job handlers.

SQLite allows one writer at a time. Rather than letting concurrent transactions collide on
``database is locked`` (a deferred transaction that reads and then writes cannot wait for the
lock, it fails), every writing transaction in this process goes through :meth:`Database.write`
or :meth:`Database.transact`, which serialise writers with an in-process lock. Readers run
alongside in WAL mode. The queue's own transactions, hot and short, use :meth:`transact` and
:meth:`transact_session`: on SQLite they run on pysqlite without a round trip to aiosqlite's
thread per statement (:mod:`graphq.db.writer`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import anyio
from sqlalchemy import Connection, event, text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from graphq.db.writer import SQLITE_PRAGMAS, Writer

T = TypeVar("T")


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
        self.writer: Writer | None = None
        if self.is_sqlite:
            _configure_sqlite(self.engine)
            self.writer = Writer(url)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # Taken without a trip round the event loop when free: the queue takes it for every
        # job, and two needless yields per transaction cost more than the transaction.
        self._write_lock = anyio.Lock(fast_acquire=True)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self.sessions() as session:
            yield session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction that commits on success and rolls back on error."""
        async with self._write_lock, self.sessions() as session, session.begin():
            yield session

    async def transact(self, fn: Callable[[Connection], T]) -> T:
        """Run ``fn(connection)`` — Core statements, no awaits — as one write transaction."""
        async with self._write_lock:
            if self.writer is not None:
                async with self.writer.transaction() as connection:
                    return fn(connection)
            async with self.engine.begin() as async_connection:
                return await async_connection.run_sync(fn)

    async def transact_session(self, fn: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """Run ``await fn(session)`` as one write transaction; the session is flushed at the end.

        On SQLite the session's I/O is synchronous (see :mod:`graphq.db.writer`).
        """
        async with self._write_lock:
            if self.writer is None:
                async with self.sessions() as session, session.begin():
                    return await fn(session)
            async with self.writer.transaction() as connection:
                session = AsyncSession(bind=None, expire_on_commit=False)
                sync_session = session.sync_session
                sync_session.bind = connection
                try:
                    result = await fn(session)
                    sync_session.flush()  # synchronous I/O: no hop through a greenlet
                    return result
                finally:
                    sync_session.close()

    async def ping(self) -> bool:
        try:
            async with self.sessions() as session:
                await session.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.writer is not None:
            self.writer.close()
