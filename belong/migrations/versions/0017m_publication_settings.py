"""publication settings: a region's logo, accent colour and imprint details; uploaded
images; the settings each submitted version froze

Revision ID: 0017m
Revises: 0016
Create Date: 2026-12-03 05:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0017m"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "publication_images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=20), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["region_id"], ["regions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("region_id", "sha256", name="uq_publication_images_region_id"),
    )
    op.create_index("ix_publication_images_region_id", "publication_images", ["region_id"])
    op.create_table(
        "publication_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("logo_sha256", sa.String(length=64), nullable=True),
        sa.Column("accent", sa.String(length=7), nullable=False),
        sa.Column("publisher", sa.String(length=200), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("licence", sa.String(length=20), nullable=False),
        sa.Column("eu_funded", sa.Boolean(), nullable=False),
        sa.Column("eu_statement", sa.Text(), nullable=False),
        sa.Column("emblem_sha256", sa.String(length=64), nullable=True),
        sa.Column("signatory_name", sa.String(length=200), nullable=False),
        sa.Column("signatory_title", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["region_id"], ["regions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("region_id", name="uq_publication_settings_region_id"),
    )
    with op.batch_alter_table("draft_versions") as batch_op:
        batch_op.add_column(sa.Column("publication", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("draft_versions") as batch_op:
        batch_op.drop_column("publication")
    op.drop_table("publication_settings")
    op.drop_index("ix_publication_images_region_id", table_name="publication_images")
    op.drop_table("publication_images")
