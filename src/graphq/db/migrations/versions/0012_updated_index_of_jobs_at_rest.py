"""``ix_jobs_updated`` leaves out running jobs and jobs still queued as they were inserted

Its one read is the monitor's recent jobs: the latest changed, by ``updated_at``. Every change
of a job moves its entry: a queued job wrote a page of the index at its INSERT, its claim took
the entry out from among the waiting jobs' (mid-index) and put it back at the end, and every
progress flush and lease renewal of a running job moved it again. Now a job enters the index
when it comes to rest changed: at its end, mostly, or put back to wait for a retry, or
re-prioritised while it waits.

The recent-jobs read takes the rest from ``ix_jobs_status_created``: the running (a few, one
per worker slot) sorted as read, and the newest jobs queued as inserted, whose ``updated_at``
is their ``created_at``. The three sets part the table, and one statement (a UNION ALL of the
three, each limited) reads them in one snapshot, so its answer is the one the whole index gave.

Measured in the same minutes against the tree before it (``benchmarks/queue_vs_huey.py``'s
paths, alternating): 76.0 -> 68.9 KiB written per job straight into the queue and 35.4 ->
33.1 in one batch at 10,000 jobs (74.3 -> 67.5 and 34.0 -> 31.8 at 1,000); a progress flush
or lease renewal of two running jobs writes 4.0 KiB where it wrote 8.0. CPU per job did not
change measurably (0.22-0.29 ms either way, load 24-28).

The predicate is spelled the same in the read, so both databases use the partial index.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 19:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AT_REST_CHANGED = sa.text(
    "status <> 'processing' AND (status <> 'queued' OR updated_at <> created_at)"
)


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_updated")
        batch_op.create_index(
            "ix_jobs_updated",
            ["updated_at"],
            sqlite_where=AT_REST_CHANGED,
            postgresql_where=AT_REST_CHANGED,
        )


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_updated")
        batch_op.create_index("ix_jobs_updated", ["updated_at"])
