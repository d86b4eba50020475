"""Flask-Login wiring: the session id carries a version, so old sessions can be ended."""

from __future__ import annotations

from flask import Flask, g, has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select

from belong.access import keep_loaded_region, with_region_of_address
from belong.extensions import db, login_manager
from belong.models import User
from belong.services.activity import unread_count


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


# Built once: they run on every request.
USER_WITH_UNREAD = select(User, unread_count(User.id).scalar_subquery()).where(
    User.id == bindparam("user_id")
)
USER_WITH_UNREAD_AND_REGION = with_region_of_address(USER_WITH_UNREAD, User)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The signed-in person, with their unread notifications counted in the same query (every
    page shows the count in its header); on a region's page, the region and their membership
    come in that query too (belong/access.py checks them)."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    values = {"user_id": int(user_id)}
    slug = (request.view_args or {}).get("slug") if has_request_context() else None
    if isinstance(slug, str):
        found = db.session.execute(USER_WITH_UNREAD_AND_REGION, {**values, "slug": slug}).first()
    else:
        found = db.session.execute(USER_WITH_UNREAD, values).first()
    if found is None:
        return None
    user, g.unread_notifications, *region_and_membership = found
    if not user.active or user.session_version != int(version):
        return None
    if region_and_membership:
        keep_loaded_region(slug, user.id, *region_and_membership)
    return user
