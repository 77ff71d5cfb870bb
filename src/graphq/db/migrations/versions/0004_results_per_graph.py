"""a job may store one result per image: a datasheet job stores one per graph it found

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 10:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 0001 left the unique constraint on job_id unnamed; this convention names it so batch mode
# can find and drop it.
_NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def upgrade() -> None:
    with op.batch_alter_table(
        "extraction_results", schema=None, naming_convention=_NAMING
    ) as batch_op:
        batch_op.drop_constraint("uq_extraction_results_job_id", type_="unique")
        batch_op.create_unique_constraint("uq_extraction_results_job_image", ["job_id", "image_id"])


def downgrade() -> None:
    with op.batch_alter_table("extraction_results", schema=None) as batch_op:
        batch_op.drop_constraint("uq_extraction_results_job_image", type_="unique")
        batch_op.create_unique_constraint("uq_extraction_results_job_id", ["job_id"])
