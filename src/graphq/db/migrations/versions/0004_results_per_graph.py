"""a job may store one result per image: a datasheet job stores one per graph it found

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 0001 left the unique constraint on job_id unnamed; this convention names it so batch mode
# can find and drop it on SQLite. PostgreSQL named it itself (``extraction_results_job_id_key``)
# and a downgrade names it ``uq_extraction_results_job_id``: the name is read from the database.
_NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _job_id_constraint() -> str:
    for constraint in sa.inspect(op.get_bind()).get_unique_constraints("extraction_results"):
        if constraint["column_names"] == ["job_id"] and constraint["name"]:
            return constraint["name"]
    return "uq_extraction_results_job_id"


def upgrade() -> None:
    name = _job_id_constraint()
    with op.batch_alter_table(
        "extraction_results", schema=None, naming_convention=_NAMING
    ) as batch_op:
        batch_op.drop_constraint(name, type_="unique")
        batch_op.create_unique_constraint("uq_extraction_results_job_image", ["job_id", "image_id"])


def downgrade() -> None:
    with op.batch_alter_table("extraction_results", schema=None) as batch_op:
        batch_op.drop_constraint("uq_extraction_results_job_image", type_="unique")
        batch_op.create_unique_constraint("uq_extraction_results_job_id", ["job_id"])
