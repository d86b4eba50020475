"""join this session's branches (e-mail spelling, rate-limit counts, a version's consultation
record, grouped notifications)

Revision ID: 0014
Revises: 0013a, 0013c, 0013e, 0013h
Create Date: 2026-12-02 20:45:00

"""

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = ("0013a", "0013c", "0013e", "0013h")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
