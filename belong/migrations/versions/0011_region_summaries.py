"""region summaries: progress and scores per region, kept until an answer changes

regions.answers_revision counts writes to a region's answers.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 07:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("answers_revision", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "region_summaries",
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("answers_revision", sa.Integer(), nullable=False),
        sa.Column("template_key", sa.String(length=140), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("overall", sa.Float(), nullable=True),
        sa.Column("areas", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["regions.id"],
            name=op.f("fk_region_summaries_region_id_regions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("region_id", name=op.f("pk_region_summaries")),
    )


def downgrade():
    op.drop_table("region_summaries")
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.drop_column("answers_revision")
