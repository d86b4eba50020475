"""self-assessment snapshots

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-28 04:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "assessment_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_by_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["regions.id"],
            name=op.f("fk_assessment_snapshots_region_id_regions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["taken_by_id"],
            ["users.id"],
            name=op.f("fk_assessment_snapshots_taken_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_snapshots")),
    )
    with op.batch_alter_table("assessment_snapshots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_snapshots_region_id"), ["region_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("assessment_snapshots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_snapshots_region_id"))
    op.drop_table("assessment_snapshots")
