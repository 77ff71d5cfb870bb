"""``ix_jobs_kind_completed`` holds only jobs that ended; ``ix_jobs_created`` carries the kind

Every index on ``jobs`` is a cost of every job: a queued job's INSERT writes a page of each,
and the claim moves its entry in each index that holds ``status``. The reads by kind through
``ix_jobs_kind_completed`` are of jobs that ended, by their end time: the mean run time of a
kind's latest completed jobs (the wait estimate of every new job) and the durations per kind of
the performance view. So, as ``ix_jobs_completed`` in 0010, it now holds only jobs with a
``completed_at``: a job enters it once, when it ends, where it entered it at its insert and
moved in it at its claim and at its completion (one WAL page less per queued job's INSERT).
With ``actual_duration`` in it, both reads are answered from the index alone. Each names
``completed_at`` (``IS NOT NULL``), which implies the predicate on both databases.

The job list filtered by kind counted and sorted through the old index: a common kind's page
sorted every job of the kind (about 45 ms of CPU at 100,000 jobs). It now walks
``ix_jobs_created`` newest first, which carries ``kind`` so that rows of other kinds are
skipped in the index, and counts in the same index: about 5 ms for a common kind's first page
and 12 ms for a rare one's at 100,000 jobs (a rare kind's was a few microseconds).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 18:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENDED = sa.text("completed_at IS NOT NULL")
CREATED = ["created_at", "enqueued_ns", "id"]


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_kind_completed")
        batch_op.create_index(
            "ix_jobs_kind_completed",
            ["kind", "status", "completed_at", "actual_duration"],
            sqlite_where=ENDED,
            postgresql_where=ENDED,
        )
        batch_op.drop_index("ix_jobs_created")
        batch_op.create_index("ix_jobs_created", [*CREATED, "kind"])


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_created")
        batch_op.create_index("ix_jobs_created", CREATED)
        batch_op.drop_index("ix_jobs_kind_completed")
        batch_op.create_index("ix_jobs_kind_completed", ["kind", "status", "completed_at"])
