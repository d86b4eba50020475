"""rendered PDFs, the shared cache of documents

Revision ID: 0009
Revises: 0002
Create Date: 2026-11-28 04:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rendered_pdfs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("render_seconds", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["regions.id"],
            name=op.f("fk_rendered_pdfs_region_id_regions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rendered_pdfs")),
        sa.UniqueConstraint("key", name=op.f("uq_rendered_pdfs_key")),
    )
    with op.batch_alter_table("rendered_pdfs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rendered_pdfs_region_id"), ["region_id"], unique=False)


def downgrade():
    with op.batch_alter_table("rendered_pdfs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rendered_pdfs_region_id"))
    op.drop_table("rendered_pdfs")
