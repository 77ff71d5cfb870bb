"""Changes to existing rows by a kind's ``store_in``: an image's status, say.

A kind that stores plain rows (:func:`graphq.queue.new_rows.insert_rows`) often also moves
the row its job was for (the image it digitized) to a new state. Handed here, the change
commits with the job's completion as its rows do: inside the completing transaction on
SQLite or in an ORM session, and on PostgreSQL gathered into the group's one statement
(:mod:`graphq.queue.row_completions`), made only if the job was still ours.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Connection, Table, Update, bindparam, select, update

from graphq.db.models import utcnow
from graphq.queue import new_rows


def update_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Set, in each row of ``table`` whose ``id`` a dict of ``rows`` names, the dict's other
    columns, and ``updated_at`` to now unless given (as the ORM's ``onupdate`` does). Rows
    that set the same columns go together: one statement each."""
    if not rows:
        return
    now = utcnow()
    changed = [{"updated_at": now, **row} if "updated_at" in table.c else row for row in rows]
    gathered = conn.info.get(new_rows.GATHERED)
    if gathered is not None:
        gathered.change(table, changed)
        return
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in changed:
        by_columns.setdefault(tuple(name for name in row if name != "id"), []).append(row)
    for names, same in by_columns.items():
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({name: bindparam(f"new_{name}") for name in names})
        )
        params = [
            {"row_id": row["id"], **{f"new_{name}": row[name] for name in names}} for row in same
        ]
        conn.execute(statement, params)


def fail_subject(table: Table, names: Column[str | None]) -> Update:
    """The statement that marks failed the row of ``table`` the job (``:job_id``) names in
    its column ``names`` (an image, a datasheet): a kind's ``on_dead_in`` runs it in the
    transaction that dead-letters the job."""
    subject = select(names).where(new_rows.JOBS.c.id == bindparam("job_id")).scalar_subquery()
    return update(table).where(table.c.id == subject).values(status="failed")
