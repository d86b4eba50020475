"""join the feature branches (stakeholder input, review, assessment, kept forms, PDF cache)

Revision ID: 0010
Revises: 0003, 0004, 0005, 0006, 0009
Create Date: 2026-11-28 06:10:00

"""

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = ("0003", "0004", "0005", "0006", "0009")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
