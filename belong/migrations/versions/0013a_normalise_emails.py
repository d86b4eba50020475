"""one spelling per e-mail address: NFKC, lower case, the domain in its IDNA form

Addresses are compared in this form from now on (belong/services/accounts.py); stored ones are
brought to it here. An address whose normal form another account already has stays as it is
(that look-alike account can no longer be signed into, and the log names it).

Revision ID: 0013a
Revises: 0012
Create Date: 2026-12-02 19:10:00

"""

import contextlib
import logging
import unicodedata

import idna
import sqlalchemy as sa
from alembic import op

revision = "0013a"
down_revision = "0012"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def _normal(email: str) -> str:
    """A frozen copy of belong.services.accounts.normalise_email (migrations do not change)."""
    text = unicodedata.normalize("NFKC", email).strip().lower()
    local, at, domain = text.rpartition("@")
    if not at:
        return text
    with contextlib.suppress(UnicodeError):
        domain = idna.decode(idna.encode(domain, uts46=True))
    return f"{local}@{domain}"


def upgrade():
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("email", sa.String))
    connection = op.get_bind()
    rows = connection.execute(sa.select(users.c.id, users.c.email).order_by(users.c.id)).all()
    taken = {email for _id, email in rows}
    for user_id, email in rows:
        normal = _normal(email)
        if normal == email:
            continue
        if normal in taken:
            log.warning(
                "user %s keeps the address %r: another account has %r", user_id, email, normal
            )
            continue
        connection.execute(users.update().where(users.c.id == user_id).values(email=normal))
        taken.discard(email)
        taken.add(normal)


def downgrade():
    pass  # the normal spelling is as valid under the older code
