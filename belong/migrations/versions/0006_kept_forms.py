"""kept forms: step text posted after the sign-in ended, kept until the author is back

Revision ID: 0006
Revises: 0002
Create Date: 2026-11-28 04:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "kept_forms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.String(length=60), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["regions.id"],
            name=op.f("fk_kept_forms_region_id_regions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kept_forms")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_kept_forms_token_hash")),
    )
    with op.batch_alter_table("kept_forms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kept_forms_region_id"), ["region_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_kept_forms_expires_at"), ["expires_at"], unique=False)


def downgrade():
    with op.batch_alter_table("kept_forms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kept_forms_expires_at"))
        batch_op.drop_index(batch_op.f("ix_kept_forms_region_id"))
    op.drop_table("kept_forms")
