"""The statements every job runs, as plain SQL on SQLite's own connection.

Inserting a job (and a kind's plain result rows), claiming it and completing it are the
queue's per-job writes. Through SQLAlchemy's execution context each costs about twice what
SQLite takes to run it, so on SQLite they go straight to the writer's pysqlite connection
(:mod:`graphq.db.writer`), inside the caller's transaction. Values are stored as SQLAlchemy
stores them, times and JSON by converters of their own (:func:`stored_time`, :func:`stored_json`:
SQLAlchemy's pass each value through two or three layers of processors, a few microseconds
a value and about ten values a job), every other type through its column type's own bind
processor; JSON is read back with ``json.loads``.
:mod:`graphq.queue.store` keeps the Core statements for every other database, and for a
connection that is not pysqlite's, except the completion: a group's completions are one
statement whose text :mod:`graphq.queue.store` gives both databases, run here on SQLite.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import JSON, Connection, Table
from sqlalchemy.dialects import sqlite

from graphq.db.models import UtcDateTime
from graphq.queue.vocabulary import JobStatus

_DIALECT = sqlite.dialect()


def pysqlite(conn: Connection) -> sqlite3.Connection | None:
    """The pysqlite connection under ``conn``; None on another database or driver."""
    if conn.dialect.name != "sqlite":
        return None
    raw = conn.connection.dbapi_connection
    return raw if isinstance(raw, sqlite3.Connection) else None


def stored_time(value: datetime) -> str:
    """A :class:`UtcDateTime` as SQLAlchemy stores it on SQLite: UTC, to the microsecond."""
    if value.tzinfo is not UTC:
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        value = value.astimezone(UTC)
    return "%04d-%02d-%02d %02d:%02d:%02d.%06d" % (  # noqa: UP031 - the fastest way here
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
    )


def stored_json(value: Any) -> str:
    """A JSON column's value as SQLAlchemy stores it (``json.dumps``); the empty dict and list
    that most rows hold are constants."""
    if not value:
        if type(value) is dict:
            return "{}"
        if type(value) is list:
            return "[]"
    return json.dumps(value)


def _converter(column_type: Any) -> Callable[[Any], Any] | None:
    """How a value of ``column_type`` is stored; None when as it is."""
    if isinstance(column_type, UtcDateTime):
        return stored_time
    if isinstance(column_type, JSON):
        return stored_json
    return column_type.dialect_impl(_DIALECT).bind_processor(_DIALECT)


@dataclass(frozen=True)
class _InsertPlan:
    """The INSERT naming every column of a table, and the columns whose type converts the
    value first (times, JSON), by their place in the statement."""

    sql: str
    names: tuple[str, ...]
    converted: tuple[tuple[int, Callable[[Any], Any]], ...]

    def values(self, row: dict[str, Any]) -> list[Any]:
        """The row's values in the statement's order, converted; a value that is the same
        object as the one converted before it, by the same converter (a new row's
        ``created_at`` and ``updated_at``), is converted once."""
        values = [row[name] for name in self.names]
        last: tuple[Any, Any] = (None, None)
        stored: Any = None
        for place, process in self.converted:
            value = values[place]
            if value is not None:
                if value is not last[0] or process is not last[1]:
                    last, stored = (value, process), process(value)
                values[place] = stored
        return values


@cache
def _insert_plan(table: Table) -> _InsertPlan:
    names = tuple(column.name for column in table.c)
    processors = (_converter(column.type) for column in table.c)
    converted = tuple((place, p) for place, p in enumerate(processors) if p is not None)
    marks = ", ".join("?" * len(names))
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})"
    return _InsertPlan(sql, names, converted)


def insert_rows(raw: sqlite3.Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """New rows of ``table``, each naming every column (see ``new_rows.table_row``)."""
    plan = _insert_plan(table)
    raw.executemany(plan.sql, [plan.values(row) for row in rows])


def completed(
    raw: sqlite3.Connection,
    sql: str,
    job_ids: list[str],
    durations_s: list[float | None],
    owner: str,
    now: datetime,
) -> set[str]:
    """The jobs a group's completion (``sql``, numbered parameters: the time, the owner, then
    each job's id and run time) found still ours."""
    params: list[Any] = [stored_time(now), owner]
    for job_id, duration_s in zip(job_ids, durations_s, strict=True):
        params += (job_id, duration_s)
    return {row[0] for row in raw.execute(sql, params)}


@cache
def _claim_sql(count: int) -> str:
    marks = ", ".join("?" * count)
    return (
        "UPDATE jobs SET status = ?, attempts = attempts + 1, lease_owner = ?, "
        "lease_expires_at = ?, started_at = ?, completed_at = NULL, next_attempt_at = NULL, "
        "progress = 0.0, current_step = 'preparing', updated_at = ? "
        f"WHERE id IN ({marks}) AND status IN (?, ?) "
        "RETURNING id, kind, queue_id, product_id, image_id, priority, attempts, max_attempts, "
        "extraction_method, parameters"
    )


def claim(
    raw: sqlite3.Connection,
    job_ids: list[str],
    owner: str,
    now: datetime,
    lease_expires_at: datetime,
) -> list[tuple[Any, ...]]:
    """The claimed rows, their ``parameters`` decoded, in the snapshot's column order."""
    stored_now = stored_time(now)
    params = (
        JobStatus.PROCESSING.value,
        owner,
        stored_time(lease_expires_at),
        stored_now,
        stored_now,
        *job_ids,
        JobStatus.QUEUED.value,
        JobStatus.PENDING.value,
    )
    rows = raw.execute(_claim_sql(len(job_ids)), params).fetchall()
    return [(*row[:-1], json.loads(row[-1]) if row[-1] else {}) for row in rows]
