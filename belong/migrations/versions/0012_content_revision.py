"""content revision: counts every write to what a region's pages show

Rendered parts of busy pages are kept under it (belong/page_cache.py).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 10:45:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("content_revision", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.drop_column("content_revision")
