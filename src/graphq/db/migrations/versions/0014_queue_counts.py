"""``queue_counts``: each queue's jobs per status and priority, and its waiting dead letters

Stats and monitors counted the job table for every answer: at 100,000 jobs one pass over
about 100,000 entries of ``ix_jobs_queue_status`` and a join of every waiting dead letter to
its job, 25-38 ms of server CPU a dashboard. Triggers now keep the counts in the transaction
of each change, whatever makes it (the queue's statements, a cascade from a deleted product or
queue, a hand-written fix), and the reads sum a few rows.

A key's count is the sum of its shards. SQLite has one writer, so shard 0 holds it all. On
PostgreSQL several nodes complete jobs at once: a single row per key would make every
transaction that moves a job wait, until commit, for the last one's lock on that row, and two
transactions moving jobs in opposite directions (one claiming, one completing and claiming the
next) could deadlock. Each connection therefore adds to its own shard, its backend's pid: no
two open transactions share a counter row. ``graphq.queue.counts.fold`` folds the shards back
into shard 0 now and then, skipping rows a transaction holds, so the rows stay few.

The counts are filled from the rows already there, in the migration's transaction (on
PostgreSQL creating a trigger locks the table against writes until the commit, so no change is
missed or counted twice).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08 02:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LETTERS = "letters_waiting"
KEY = "(queue_id, status, priority, shard)"


def _add(shard: str, queue: str, status: str, priority: str, n: str) -> str:
    """One count added to its row, the row made if missing."""
    return (
        f"INSERT INTO queue_counts (queue_id, status, priority, shard, n) "
        f"VALUES ({queue}, {status}, {priority}, {shard}, {n}) "
        f"ON CONFLICT {KEY} DO UPDATE SET n = queue_counts.n + excluded.n"
    )


def _letters_of_job(shard: str, queue: str, sign: str) -> str:
    """A job's waiting letters added to (sign ``+``) or taken from (``-``) ``queue``."""
    return (
        f"INSERT INTO queue_counts (queue_id, status, priority, shard, n) "
        f"SELECT {queue}, '{LETTERS}', '', {shard}, {sign}count(*) FROM dead_letters "
        f"WHERE job_id = OLD.id AND reprocessed_at IS NULL HAVING count(*) > 0 "
        f"ON CONFLICT {KEY} DO UPDATE SET n = queue_counts.n + excluded.n"
    )


def _letter(shard: str, row: str, sign: str) -> str:
    """A letter counted to (``+``) or from (``-``) its job's queue; none when its job is gone
    (deleted with it: the job's own trigger counted its letters out)."""
    return (
        f"INSERT INTO queue_counts (queue_id, status, priority, shard, n) "
        f"SELECT queue_id, '{LETTERS}', '', {shard}, {sign}1 FROM jobs WHERE id = {row}.job_id "
        f"ON CONFLICT {KEY} DO UPDATE SET n = queue_counts.n + excluded.n"
    )


KEY_CHANGED = (
    "OLD.queue_id IS DISTINCT FROM NEW.queue_id OR OLD.status IS DISTINCT FROM NEW.status "
    "OR OLD.priority IS DISTINCT FROM NEW.priority"
)
LETTER_CHANGED = (
    "(OLD.reprocessed_at IS NULL) <> (NEW.reprocessed_at IS NULL) OR OLD.job_id <> NEW.job_id"
)


def _sqlite_triggers() -> list[str]:
    new = ("0", "NEW.queue_id", "NEW.status", "NEW.priority")
    old = ("0", "OLD.queue_id", "OLD.status", "OLD.priority")
    key_changed = KEY_CHANGED.replace("IS DISTINCT FROM", "IS NOT")
    return [
        f"CREATE TRIGGER queue_counts_job_added AFTER INSERT ON jobs BEGIN {_add(*new, '1')}; END",
        f"CREATE TRIGGER queue_counts_job_changed AFTER UPDATE OF queue_id, status, priority "
        f"ON jobs WHEN {key_changed} BEGIN {_add(*old, '-1')}; {_add(*new, '1')}; END",
        f"CREATE TRIGGER queue_counts_job_moved AFTER UPDATE OF queue_id ON jobs "
        f"WHEN OLD.queue_id IS NOT NEW.queue_id BEGIN "
        f"{_letters_of_job('0', 'OLD.queue_id', '-')}; "
        f"{_letters_of_job('0', 'NEW.queue_id', '')}; END",
        # Before the row goes: a cascade deletes its letters after it, when they can no longer
        # find its queue.
        f"CREATE TRIGGER queue_counts_job_removed BEFORE DELETE ON jobs BEGIN "
        f"{_add(*old, '-1')}; {_letters_of_job('0', 'OLD.queue_id', '-')}; END",
        f"CREATE TRIGGER queue_counts_letter_added AFTER INSERT ON dead_letters "
        f"WHEN NEW.reprocessed_at IS NULL BEGIN {_letter('0', 'NEW', '')}; END",
        f"CREATE TRIGGER queue_counts_letter_changed AFTER UPDATE OF reprocessed_at, job_id "
        f"ON dead_letters WHEN {LETTER_CHANGED} BEGIN "
        f"INSERT INTO queue_counts (queue_id, status, priority, shard, n) "
        f"SELECT queue_id, '{LETTERS}', '', 0, -1 FROM jobs "
        f"WHERE id = OLD.job_id AND OLD.reprocessed_at IS NULL "
        f"ON CONFLICT {KEY} DO UPDATE SET n = queue_counts.n + excluded.n; "
        f"INSERT INTO queue_counts (queue_id, status, priority, shard, n) "
        f"SELECT queue_id, '{LETTERS}', '', 0, 1 FROM jobs "
        f"WHERE id = NEW.job_id AND NEW.reprocessed_at IS NULL "
        f"ON CONFLICT {KEY} DO UPDATE SET n = queue_counts.n + excluded.n; END",
        f"CREATE TRIGGER queue_counts_letter_removed AFTER DELETE ON dead_letters "
        f"WHEN OLD.reprocessed_at IS NULL BEGIN {_letter('0', 'OLD', '-')}; END",
    ]


SHARD = "pg_backend_pid()"


def _postgresql_functions() -> list[str]:
    new = (SHARD, "NEW.queue_id", "NEW.status", "NEW.priority")
    old = (SHARD, "OLD.queue_id", "OLD.status", "OLD.priority")
    body = {
        "job_added": f"{_add(*new, '1')}; RETURN NULL;",
        "job_changed": (
            f"{_add(*old, '-1')}; {_add(*new, '1')}; "
            f"IF OLD.queue_id <> NEW.queue_id THEN "
            f"{_letters_of_job(SHARD, 'OLD.queue_id', '-')}; "
            f"{_letters_of_job(SHARD, 'NEW.queue_id', '')}; END IF; RETURN NULL;"
        ),
        "job_removed": (
            f"{_add(*old, '-1')}; {_letters_of_job(SHARD, 'OLD.queue_id', '-')}; RETURN OLD;"
        ),
        "letter_added": f"{_letter(SHARD, 'NEW', '')}; RETURN NULL;",
        "letter_changed": (
            f"IF OLD.reprocessed_at IS NULL THEN {_letter(SHARD, 'OLD', '-')}; END IF; "
            f"IF NEW.reprocessed_at IS NULL THEN {_letter(SHARD, 'NEW', '')}; END IF; RETURN NULL;"
        ),
        "letter_removed": f"{_letter(SHARD, 'OLD', '-')}; RETURN NULL;",
    }
    return [
        f"CREATE FUNCTION graphq_count_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {statements} END $$"
        for name, statements in body.items()
    ]


POSTGRESQL_TRIGGERS = [
    "CREATE TRIGGER queue_counts_job_added AFTER INSERT ON jobs "
    "FOR EACH ROW EXECUTE FUNCTION graphq_count_job_added()",
    "CREATE TRIGGER queue_counts_job_changed AFTER UPDATE OF queue_id, status, priority ON jobs "
    f"FOR EACH ROW WHEN ({KEY_CHANGED}) EXECUTE FUNCTION graphq_count_job_changed()",
    "CREATE TRIGGER queue_counts_job_removed BEFORE DELETE ON jobs "
    "FOR EACH ROW EXECUTE FUNCTION graphq_count_job_removed()",
    "CREATE TRIGGER queue_counts_letter_added AFTER INSERT ON dead_letters "
    "FOR EACH ROW WHEN (NEW.reprocessed_at IS NULL) EXECUTE FUNCTION graphq_count_letter_added()",
    "CREATE TRIGGER queue_counts_letter_changed AFTER UPDATE OF reprocessed_at, job_id "
    f"ON dead_letters FOR EACH ROW WHEN ({LETTER_CHANGED}) "
    "EXECUTE FUNCTION graphq_count_letter_changed()",
    "CREATE TRIGGER queue_counts_letter_removed AFTER DELETE ON dead_letters "
    "FOR EACH ROW WHEN (OLD.reprocessed_at IS NULL) "
    "EXECUTE FUNCTION graphq_count_letter_removed()",
]
TRIGGERS = (
    "queue_counts_job_added",
    "queue_counts_job_changed",
    "queue_counts_job_moved",
    "queue_counts_job_removed",
    "queue_counts_letter_added",
    "queue_counts_letter_changed",
    "queue_counts_letter_removed",
)
FUNCTIONS = (
    "job_added",
    "job_changed",
    "job_removed",
    "letter_added",
    "letter_changed",
    "letter_removed",
)

FILL = [
    "INSERT INTO queue_counts (queue_id, status, priority, shard, n) "
    "SELECT queue_id, status, priority, 0, count(*) FROM jobs "
    "GROUP BY queue_id, status, priority",
    "INSERT INTO queue_counts (queue_id, status, priority, shard, n) "
    f"SELECT jobs.queue_id, '{LETTERS}', '', 0, count(*) "
    "FROM dead_letters JOIN jobs ON jobs.id = dead_letters.job_id "
    "WHERE dead_letters.reprocessed_at IS NULL GROUP BY jobs.queue_id",
]


def upgrade() -> None:
    op.create_table(
        "queue_counts",
        sa.Column("queue_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("shard", sa.Integer(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("queue_id", "status", "priority", "shard"),
    )
    if op.get_bind().dialect.name == "postgresql":
        # Both tables at once, before any trigger: creating each trigger locks its table, and a
        # running node's transaction holding the other table's lock would deadlock with that.
        statements = [
            "LOCK TABLE jobs, dead_letters IN SHARE ROW EXCLUSIVE MODE",
            *_postgresql_functions(),
            *POSTGRESQL_TRIGGERS,
        ]
    else:
        statements = _sqlite_triggers()
    for statement in [*statements, *FILL]:
        op.execute(statement)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for trigger in TRIGGERS:
        on = "dead_letters" if "letter" in trigger else "jobs"
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}" + (f" ON {on}" if postgresql else ""))
    if postgresql:
        for name in FUNCTIONS:
            op.execute(f"DROP FUNCTION graphq_count_{name}()")
    op.drop_table("queue_counts")
