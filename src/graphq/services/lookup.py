"""Rows by id, or the NOT_FOUND problem every service answers for a missing one.

:func:`fetch_now` answers on the event loop's own thread. Through an ``AsyncSession`` one row
costs six round trips to aiosqlite's thread (check-out, execute, fetch, close, rollback,
check-in): two thirds of a job poll's CPU, and on a machine whose cores are busy each trip
waits for a core. A primary-key lookup in SQLite's WAL mode takes tens of microseconds and
never waits for a writer, so it runs directly on a pysqlite connection of the calling thread
(:meth:`graphq.db.database.Database.sqlite_reader`, closed with the database), read-only and
in autocommit: each read sees the latest commit. Its ``busy_timeout`` is 0: should SQLite
ever answer busy (a WAL reset), the read goes through the session instead of blocking the
loop. On PostgreSQL every read goes through the session.
"""

from __future__ import annotations

import sqlite3
from typing import Any, TypeVar

from sqlalchemy import Row, Select, Table, bindparam, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from graphq.db.database import Database
from graphq.errors import GraphqError

Model = TypeVar("Model")
Found = TypeVar("Found")

_BUSY = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


async def fetch(session: AsyncSession, model: type[Model], row_id: str, noun: str) -> Model:
    """The row of ``model`` with ``row_id``; ``NOT_FOUND`` (404) naming it as ``noun``."""
    return _found(await session.get(model, row_id), noun, row_id)


_BY_ID: dict[Table, Select[Any]] = {}


def _by_id(table: Table) -> Select[Any]:
    """``table``'s row with the ``id`` parameter, built once per table."""
    query = _BY_ID.get(table)
    if query is None:
        query = _BY_ID[table] = select(table).where(table.c.id == bindparam("id"))
    return query


def _found(row: Found | None, noun: str, row_id: str) -> Found:
    """``row``, or ``NOT_FOUND`` (404) naming it as ``noun``."""
    if row is None:
        raise GraphqError("NOT_FOUND", f"no {noun} {row_id}")
    return row


async def fetch_now(db: Database, table: Table, row_id: str, noun: str) -> Row[Any]:
    """The row of ``table`` with ``row_id`` as last committed (its columns by name, no ORM
    instance to build), on the calling thread where the database allows; ``NOT_FOUND``
    naming it as ``noun``."""
    query = _by_id(table)
    if db.is_sqlite:
        try:
            with db.sqlite_reader().connect() as connection:
                found = connection.execute(query, {"id": row_id}).first()
        except OperationalError as exc:
            if getattr(exc.orig, "sqlite_errorcode", None) not in _BUSY:
                raise
        else:
            return _found(found, noun, row_id)
    async with db.read() as session:
        return _found((await session.execute(query, {"id": row_id})).first(), noun, row_id)
