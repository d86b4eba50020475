"""grouped notifications: a group key and a count (e.g. "3 new inputs on Diagnosis")

Revision ID: 0013h
Revises: 0012
Create Date: 2026-12-02 19:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0013h"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("group_key", sa.String(length=120), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("count", sa.Integer(), server_default="1", nullable=False))


def downgrade():
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_column("count")
        batch_op.drop_column("group_key")
