"""Flask-Login wiring: the session id carries a version, so old sessions can be ended."""

from __future__ import annotations

from flask import Flask, g
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select

from belong.extensions import db, login_manager
from belong.models import User
from belong.services.activity import unread_count


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


# Built once: it runs on every request.
USER_WITH_UNREAD = select(User, unread_count(User.id).scalar_subquery()).where(
    User.id == bindparam("user_id")
)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The signed-in person, with their unread notifications counted in the same query (every
    page shows the count in its header)."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    found = db.session.execute(USER_WITH_UNREAD, {"user_id": int(user_id)}).first()
    if found is None:
        return None
    user, g.unread_notifications = found
    if not user.active or user.session_version != int(version):
        return None
    return user
