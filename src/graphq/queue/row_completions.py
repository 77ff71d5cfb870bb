"""A group's completions and its kinds' result rows as one statement, on PostgreSQL.

On PostgreSQL every statement is a round trip to another process, and a busy machine makes
each one wait for a core twice. Completing a group as a transaction costs four in sequence:
its begin, the completions, the result rows, its commit. When every kind of the group stores
plain rows (``store_in``, through :func:`graphq.queue.new_rows.insert_rows`), the rows are
gathered first, each with its job, and the group goes in as one statement, which is a
transaction of its own: the completions of the jobs still ours, each with its needs-review
mark (an ``UPDATE … RETURNING`` in a ``WITH``), and, per table, the rows of the jobs that
``UPDATE`` returned and of no other (``INSERT … SELECT`` from arrays, one per column). A job
whose lease passed to another run stores nothing, as in the transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Table, event
from sqlalchemy.dialects import postgresql

from graphq.errors import GraphqError
from graphq.queue import new_rows, store

_DIALECT = postgresql.asyncpg.dialect()


@dataclass
class GatheredRows:
    """The rows :func:`graphq.queue.new_rows.insert_rows` was given while gathering, by table,
    each with the job whose ``store_in`` gave it."""

    job_id: str = ""
    rows: dict[Table, list[tuple[str, dict[str, Any]]]] = field(default_factory=dict)

    def add(self, table: Table, rows: list[dict[str, Any]]) -> None:
        self.rows.setdefault(table, []).extend((self.job_id, row) for row in rows)


def _refuse(*_: Any) -> None:
    """A statement a ``store_in`` runs itself would commit at once on a connection with no
    transaction, whether or not its job is still ours."""
    raise GraphqError(
        "INTERNAL", "a store_in ran a statement of its own; it hands its rows to insert_rows"
    )


@contextmanager
def gathering(conn: Connection) -> Iterator[GatheredRows]:
    """Inside, rows given to :func:`graphq.queue.new_rows.insert_rows` on ``conn`` are kept,
    for :func:`complete_with_rows`, rather than inserted; any other statement is refused."""
    gathered = GatheredRows()
    conn.info[new_rows.GATHERED] = gathered
    event.listen(conn, "before_execute", _refuse)
    try:
        yield gathered
    finally:
        event.remove(conn, "before_execute", _refuse)
        del conn.info[new_rows.GATHERED]


@dataclass(frozen=True)
class _Columns:
    """A table's columns as the statement passes them: one array each, cast to the column's
    type, the values converted as SQLAlchemy converts them for asyncpg (JSON to text)."""

    names: tuple[str, ...]
    array_types: tuple[str, ...]
    converters: tuple[Callable[[Any], Any] | None, ...]


@cache
def _columns(table: Table) -> _Columns:
    columns = list(table.c)
    return _Columns(
        tuple(column.name for column in columns),
        tuple(f"{column.type.compile(dialect=_DIALECT)}[]" for column in columns),
        tuple(column.type.dialect_impl(_DIALECT).bind_processor(_DIALECT) for column in columns),
    )


def complete_with_rows(
    conn: Connection,
    owner: str,
    runs: Sequence[tuple[str, datetime | None]],
    needs_review: set[str],
    gathered: GatheredRows,
) -> list[bool]:
    """Complete each run, (job id, started at), marking those in ``needs_review``, and store
    the rows gathered for the jobs still ours; one statement. Answers, in the order of
    ``runs``, whether each job was still ours."""
    now = store.utcnow()
    ids = [job_id for job_id, _ in runs]
    params: list[Any] = [
        ids,
        [(now - started).total_seconds() if started else None for _, started in runs],
        now,
        owner,
        [job_id in needs_review for job_id in ids],
    ]
    parts = [f"done AS ({store.COMPLETE_ALL_PG_REVIEWED})"]
    for number, (table, tagged) in enumerate(gathered.rows.items()):
        columns = _columns(table)
        first = len(params) + 1
        params.append([job_id for job_id, _ in tagged])
        for name, convert in zip(columns.names, columns.converters, strict=True):
            values = [row[name] for _, row in tagged]
            if convert is not None:
                values = [convert(value) if value is not None else None for value in values]
            params.append(values)
        arrays = ", ".join(
            f"${first + 1 + place}::{array_type}"
            for place, array_type in enumerate(columns.array_types)
        )
        names = ", ".join(columns.names)
        parts.append(
            f"rows_{number} AS (INSERT INTO {table.name} ({names}) SELECT {names} "
            f"FROM unnest(${first}::text[], {arrays}) AS given(graphq_job, {names}) "
            "WHERE given.graphq_job IN (SELECT id FROM done))"
        )
    statement = f"WITH {', '.join(parts)} SELECT id FROM done"
    done = {row[0] for row in conn.exec_driver_sql(statement, tuple(params))}
    return [job_id in done for job_id in ids]
