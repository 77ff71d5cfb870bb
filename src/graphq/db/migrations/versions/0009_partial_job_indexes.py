"""the job table's indexes of the jobs needing review and of batches hold only those jobs

A job's INSERT writes one page of every index on ``jobs``, so each index is a cost of every
job. Two serve a minority of the rows and now hold only them: ``ix_jobs_needs_review`` the
jobs whose result needs review, ``ix_jobs_batch`` the jobs of a batch; a job created on its
own is in neither. Each predicate is one the queries reading the index imply, so they still
use it: the job list's filter says ``needs_review = 1`` (``= true``) and the review counts
``needs_review IS 1`` (``IS TRUE``), and each database sees the index answers either only when
its predicate names both forms. ``ix_jobs_kind_completed`` stays whole: the
job list filtered by kind counts through it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEEDS_REVIEW_SQLITE = sa.text("needs_review = 1 OR needs_review IS 1")
NEEDS_REVIEW_POSTGRESQL = sa.text("needs_review OR needs_review IS TRUE")
IN_A_BATCH = sa.text("batch_id IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_needs_review")
        batch_op.drop_index("ix_jobs_batch")
        batch_op.create_index(
            "ix_jobs_needs_review",
            ["needs_review"],
            sqlite_where=NEEDS_REVIEW_SQLITE,
            postgresql_where=NEEDS_REVIEW_POSTGRESQL,
        )
        batch_op.create_index(
            "ix_jobs_batch", ["batch_id"], sqlite_where=IN_A_BATCH, postgresql_where=IN_A_BATCH
        )


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_batch")
        batch_op.drop_index("ix_jobs_needs_review")
        batch_op.create_index("ix_jobs_batch", ["batch_id"])
        batch_op.create_index("ix_jobs_needs_review", ["needs_review"])
