"""A group's completions and its kinds' result rows as one statement, on PostgreSQL.

On PostgreSQL every statement is a round trip to another process, and a busy machine makes
each one wait for a core twice. Completing a group as a transaction costs four in sequence:
its begin, the completions, the result rows, its commit. When every kind of the group stores
plain rows (``store_in``, through :func:`graphq.queue.new_rows.insert_rows`), the rows are
gathered first, each with its job, and the group goes in as one statement, which is a
transaction of its own: the completions of the jobs still ours, each with its needs-review
mark (an ``UPDATE … RETURNING`` in a ``WITH``), and, per table, the rows of the jobs that
``UPDATE`` returned and of no other (``INSERT … SELECT`` from arrays, one per column), and
likewise the updates of existing rows a kind makes (:func:`graphq.queue.row_updates.update_rows`,
an image's status say: ``UPDATE … FROM`` arrays). A job whose lease passed to another run
stores and changes nothing, as in the transaction.
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
    # Changes to existing rows, by table and the columns they set: each names its row's id.
    updates: dict[tuple[Table, tuple[str, ...]], list[tuple[str, dict[str, Any]]]] = field(
        default_factory=dict
    )

    def add(self, table: Table, rows: list[dict[str, Any]]) -> None:
        self.rows.setdefault(table, []).extend((self.job_id, row) for row in rows)

    def change(self, table: Table, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            key = (table, tuple(name for name in row if name != "id"))
            self.updates.setdefault(key, []).append((self.job_id, row))


def _refuse(*_: Any) -> None:
    """A statement a ``store_in`` runs itself would commit at once on a connection with no
    transaction, whether or not its job is still ours."""
    raise GraphqError(
        "INTERNAL",
        "a store_in ran a statement of its own; it hands its rows to insert_rows or update_rows",
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
class _Column:
    """A column as the statement passes it: one array, cast to the column's type, the values
    converted as SQLAlchemy converts them for asyncpg (JSON to text)."""

    array_type: str
    converter: Callable[[Any], Any] | None


@cache
def _columns(table: Table) -> dict[str, _Column]:
    return {
        column.name: _Column(
            f"{column.type.compile(dialect=_DIALECT)}[]",
            column.type.dialect_impl(_DIALECT).bind_processor(_DIALECT),
        )
        for column in table.c
    }


def _arrays(
    params: list[Any], table: Table, names: Sequence[str], tagged: list[tuple[str, dict[str, Any]]]
) -> str:
    """Append the job of each row, then each column named, as arrays to ``params``; answers
    ``unnest(…) AS given(graphq_job, <names>)`` over them."""
    columns = _columns(table)
    first = len(params) + 1
    params.append([job_id for job_id, _ in tagged])
    for name in names:
        values = [row[name] for _, row in tagged]
        convert = columns[name].converter
        if convert is not None:
            values = [convert(value) if value is not None else None for value in values]
        params.append(values)
    arrays = ", ".join(
        f"${first + 1 + place}::{columns[name].array_type}" for place, name in enumerate(names)
    )
    return f"unnest(${first}::text[], {arrays}) AS given(graphq_job, {', '.join(names)})"


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
    ours = "given.graphq_job IN (SELECT id FROM done)"
    for number, (table, tagged) in enumerate(gathered.rows.items()):
        names = tuple(_columns(table))
        given = _arrays(params, table, names, tagged)
        listed = ", ".join(names)
        parts.append(
            f"rows_{number} AS (INSERT INTO {table.name} ({listed}) SELECT {listed} "
            f"FROM {given} WHERE {ours})"
        )
    for number, ((table, names), tagged) in enumerate(gathered.updates.items()):
        given = _arrays(params, table, ("id", *names), tagged)
        sets = ", ".join(f"{name} = given.{name}" for name in names)
        parts.append(
            f"changed_{number} AS (UPDATE {table.name} SET {sets} FROM {given} "
            f"WHERE {table.name}.id = given.id AND {ours})"
        )
    statement = f"WITH {', '.join(parts)} SELECT id FROM done"
    done = {row[0] for row in conn.exec_driver_sql(statement, tuple(params))}
    return [job_id in done for job_id in ids]
