"""``ix_jobs_completed`` holds only jobs that ended

Every index on ``jobs`` is a cost of every job: its INSERT adds an entry, and each change of an
indexed column (the claim and the completion both change ``status``) moves one. The reads of
``ix_jobs_completed`` (status, completed_at, actual_duration) are all of jobs that ended, by
their end time: outcomes and durations of the last hour, the hourly history, the latest
durations. A job that waits or runs has no ``completed_at``, so the index now holds only the
jobs that have one (``completed_at IS NOT NULL``): a job enters it once, when it ends, rather
than at its insert, its claim and its completion. Each of those reads names ``completed_at``
with a comparison (or ``IS NOT NULL``), which implies the predicate on both databases; the
reads by status alone (waiting, running, counts by status) use ``ix_jobs_status_created``,
whose first column is ``status`` too.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 13:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["status", "completed_at", "actual_duration"]
ENDED = sa.text("completed_at IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_completed")
        batch_op.create_index(
            "ix_jobs_completed", COLUMNS, sqlite_where=ENDED, postgresql_where=ENDED
        )


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_completed")
        batch_op.create_index("ix_jobs_completed", COLUMNS)
