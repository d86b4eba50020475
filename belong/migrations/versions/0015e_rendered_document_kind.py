"""the document cache keeps Word documents beside PDFs

A row of rendered_pdfs says what kind of document it holds ("pdf" or "docx"), so each kind
keeps its own newest few per region.

Revision ID: 0015e
Revises: 0014
Create Date: 2026-12-02 23:45:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0015e"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("rendered_pdfs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=8), server_default="pdf", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("rendered_pdfs", schema=None) as batch_op:
        batch_op.drop_column("kind")
