"""versions keep the consultation record they were submitted with

A submitted version's PDF, its release and its review copy show the same consultation
record annex as the draft had at submission; versions submitted before this keep none.

Revision ID: 0013e
Revises: 0012
Create Date: 2026-12-02 19:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0013e"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("draft_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consultation", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("draft_versions", schema=None) as batch_op:
        batch_op.drop_column("consultation")
