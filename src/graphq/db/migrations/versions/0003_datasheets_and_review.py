"""datasheets, graph panels' page and box, and review flags on jobs, results and models

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 23:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _review_columns(table: str, *, reasons: bool) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("needs_review", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        if reasons:
            batch_op.add_column(
                sa.Column("review_reasons", sa.JSON(), nullable=False, server_default="[]")
            )


def upgrade() -> None:
    op.create_table(
        "datasheets",
        sa.Column("product_id", sa.String(length=36), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("file_path", sa.String(length=500), nullable=False),
        sa.Column("file_size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("datasheets", schema=None) as batch_op:
        batch_op.create_index("ix_datasheets_product", ["product_id"], unique=False)
    with op.batch_alter_table("graph_images", schema=None) as batch_op:
        batch_op.add_column(sa.Column("datasheet_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("page", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("box", sa.JSON(), nullable=True))
        batch_op.create_foreign_key(
            "fk_graph_images_datasheet", "datasheets", ["datasheet_id"], ["id"], ondelete="CASCADE"
        )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("datasheet_id", sa.String(length=36), nullable=True))
        batch_op.create_foreign_key(
            "fk_jobs_datasheet", "datasheets", ["datasheet_id"], ["id"], ondelete="CASCADE"
        )
    _review_columns("jobs", reasons=False)
    _review_columns("extraction_results", reasons=True)
    _review_columns("spice_models", reasons=True)


def downgrade() -> None:
    with op.batch_alter_table("spice_models", schema=None) as batch_op:
        batch_op.drop_column("review_reasons")
        batch_op.drop_column("needs_review")
    with op.batch_alter_table("extraction_results", schema=None) as batch_op:
        batch_op.drop_column("review_reasons")
        batch_op.drop_column("needs_review")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("needs_review")
        batch_op.drop_constraint("fk_jobs_datasheet", type_="foreignkey")
        batch_op.drop_column("datasheet_id")
    with op.batch_alter_table("graph_images", schema=None) as batch_op:
        batch_op.drop_constraint("fk_graph_images_datasheet", type_="foreignkey")
        batch_op.drop_column("box")
        batch_op.drop_column("page")
        batch_op.drop_column("datasheet_id")
    with op.batch_alter_table("datasheets", schema=None) as batch_op:
        batch_op.drop_index("ix_datasheets_product")
    op.drop_table("datasheets")
