"""indexes that keep lists, stats and monitor views flat as the tables grow

Each read the API serves on every page or poll has an index that answers it without a scan
of the job table: the job list in its order (whole, per status and per queue), counts per queue,
status and priority from one covering index, the finished jobs of a time window, the recent
errors, the recently changed jobs, the jobs needing review, a product's results and the
dead letters awaiting reprocessing. ``ix_jobs_status_queue`` gives way to
``ix_jobs_queue_status``, which answers everything it did and the per-queue counts besides.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-14 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_HAS_ERROR = sa.text("error_code IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_status_queue")
        batch_op.create_index(
            "ix_jobs_queue_status",
            ["queue_id", "status", "priority", "completed_at", "actual_duration"],
        )
        batch_op.create_index("ix_jobs_created", ["created_at", "enqueued_ns", "id"])
        batch_op.create_index(
            "ix_jobs_status_created", ["status", "created_at", "enqueued_ns", "id"]
        )
        batch_op.create_index(
            "ix_jobs_queue_created", ["queue_id", "created_at", "enqueued_ns", "id"]
        )
        batch_op.create_index("ix_jobs_completed", ["status", "completed_at", "actual_duration"])
        batch_op.create_index("ix_jobs_updated", ["updated_at"])
        batch_op.create_index("ix_jobs_needs_review", ["needs_review"])
        batch_op.create_index(
            "ix_jobs_errors",
            ["updated_at", "error_code"],
            sqlite_where=_HAS_ERROR,
            postgresql_where=_HAS_ERROR,
        )
    with op.batch_alter_table("extraction_results", schema=None) as batch_op:
        batch_op.create_index("ix_extraction_results_product", ["product_id", "created_at", "id"])
    with op.batch_alter_table("dead_letters", schema=None) as batch_op:
        batch_op.create_index("ix_dead_letters_job", ["job_id"])
        batch_op.create_index("ix_dead_letters_waiting", ["reprocessed_at", "created_at"])


def downgrade() -> None:
    with op.batch_alter_table("dead_letters", schema=None) as batch_op:
        batch_op.drop_index("ix_dead_letters_waiting")
        batch_op.drop_index("ix_dead_letters_job")
    with op.batch_alter_table("extraction_results", schema=None) as batch_op:
        batch_op.drop_index("ix_extraction_results_product")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        for name in (
            "ix_jobs_errors",
            "ix_jobs_needs_review",
            "ix_jobs_updated",
            "ix_jobs_completed",
            "ix_jobs_queue_created",
            "ix_jobs_status_created",
            "ix_jobs_created",
            "ix_jobs_queue_status",
        ):
            batch_op.drop_index(name)
        batch_op.create_index("ix_jobs_status_queue", ["status", "queue_id"])
