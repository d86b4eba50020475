"""join this session's branches (records, adoptions, Word documents, API tokens, public
consultations)

Revision ID: 0016
Revises: 0015a, 0015d, 0015e, 0015f, 0015g
"""

from __future__ import annotations

revision = "0016"
down_revision = ("0015a", "0015d", "0015e", "0015f", "0015g")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
