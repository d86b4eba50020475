"""join this session's branches (publication settings, plan tables to records, the register and
training groups as records)

Revision ID: 0018
Revises: 0017m, 0017p, 0017r
"""

from __future__ import annotations

revision = "0018"
down_revision = ("0017m", "0017p", "0017r")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
