"""adoptions: the political adoption of a released version, recorded apart from the release

Revision ID: 0015d
Revises: 0014
Create Date: 2026-12-03 00:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0015d"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "adoptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(length=200), nullable=False),
        sa.Column("adopted_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["region_id"], ["regions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["version_id"], ["draft_versions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version_id", name="uq_adoptions_version_id"),
    )
    op.create_index("ix_adoptions_region_id", "adoptions", ["region_id"])


def downgrade():
    op.drop_index("ix_adoptions_region_id", table_name="adoptions")
    op.drop_table("adoptions")
