"""rate limit counts: sign-in and reset limits shared by every worker without Redis

Revision ID: 0013c
Revises: 0012
Create Date: 2026-12-02 19:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0013c"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rate_limit_counts",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limit_counts")),
    )
    with op.batch_alter_table("rate_limit_counts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rate_limit_counts_expires_at"), ["expires_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("rate_limit_counts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rate_limit_counts_expires_at"))
    op.drop_table("rate_limit_counts")
