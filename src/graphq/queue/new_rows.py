"""New rows as plain SQL: a job's, and a kind's result rows from its ``store_in``.

A new row names every column (:func:`table_row`): the caller's values, the column defaults,
then None, with the time of creation set once. What is inserted is then exactly what the
caller holds, so the row goes in as one plain statement (no defaults applied by SQLAlchemy):
on SQLite straight on pysqlite (:mod:`graphq.queue.sqlite_path`); on PostgreSQL, inside a
group's completion, gathered into that one statement (:mod:`graphq.queue.row_completions`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from sqlalchemy import ColumnDefault, Connection, Table, insert

from graphq.db.database import Database
from graphq.db.models import Job, utcnow
from graphq.queue import sqlite_path

JOBS = cast(Table, Job.__table__)


@dataclass(frozen=True, slots=True)
class _RowPlan:
    """A table's new row before ``given``: every column with its constant default or None,
    and the columns whose default is made for each row (ids, fresh dicts and lists)."""

    constant: dict[str, Any]
    made: tuple[tuple[str, Callable[[Any], Any]], ...]


@cache
def _row_plan(table: Table) -> _RowPlan:
    constant: dict[str, Any] = dict.fromkeys(table.c.keys())
    made = []
    for column in table.c:
        default = column.default
        if not isinstance(default, ColumnDefault) or column.name in _TIMES:
            continue
        if default.is_callable:
            made.append((column.name, default.arg))
        else:
            constant[column.name] = default.arg
    return _RowPlan(constant, tuple(made))


# Every table has both (``Timestamped``); a new row's are the same moment.
_TIMES = ("created_at", "updated_at")


def table_row(table: Table, given: dict[str, Any]) -> dict[str, Any]:
    """A new row of ``table`` naming every column: ``given``, then the defaults, then None.

    The row is what the database will hold, so it can be inserted as plain SQL (no defaults
    applied by SQLAlchemy) and hands back what was stored.
    """
    plan = _row_plan(table)
    row = plan.constant.copy()
    row["created_at"] = row["updated_at"] = utcnow()
    for name, make in plan.made:
        if name not in given:
            row[name] = make(None)
    row.update(given)
    return row


def job_row(given: dict[str, Any]) -> dict[str, Any]:
    """A new job's row naming every column (:func:`table_row`); the caller hands it back as
    the job created."""
    return table_row(JOBS, given)


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert complete rows (:func:`table_row`) inside the caller's transaction, one statement:
    a job's, or a kind's result rows from its ``store_in`` (on PostgreSQL these are gathered
    and go in with the group's completions, :mod:`graphq.queue.row_completions`)."""
    raw = sqlite_path.pysqlite(conn)
    gathered = conn.info.get(GATHERED)
    if raw is not None:
        sqlite_path.insert_rows(raw, table, rows)
    elif gathered is not None:
        gathered.add(table, rows)
    elif rows:
        conn.execute(insert(table), rows)


# Where :func:`graphq.queue.row_completions.gathering` keeps the rows it holds back, on the
# connection.
GATHERED = "graphq_gathered_rows"


def insert_jobs(conn: Connection, rows: list[dict[str, Any]]) -> None:
    insert_rows(conn, JOBS, rows)


async def enqueue(db: Database, rows: Sequence[dict[str, Any]]) -> None:
    """Commit new jobs as ``queued`` in one transaction; each row names at least its ``id``."""
    if rows:
        complete = [job_row(row) for row in rows]
        await db.transact(lambda conn: insert_jobs(conn, complete))
