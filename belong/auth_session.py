"""Flask-Login wiring: the session id carries a version, so old sessions can be ended."""

from __future__ import annotations

from typing import NamedTuple

from flask import Flask, g, has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import bindparam, select

from belong.access import keep_loaded_region, with_region_of_address
from belong.extensions import db, login_manager
from belong.models import User
from belong.services.activity import unread_count
from belong.services.waiting import reviews_waiting_count


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.jinja_env.globals["reader_header"] = reader_header


class Header(NamedTuple):
    """What the layout's header shows of the signed-in reader. Kept pages are keyed on it
    (belong/page_cache.py), so whatever is added here shows at once in kept pages too."""

    name: str
    is_admin: bool
    unread: int  # notifications
    reviews: int  # versions waiting for this person's review


def reader_header() -> Header | None:
    """The header's part of the reader, None when signed out. Never a query of its own: the
    unread count comes with the sign-in (load_user below; a request that signs someone in
    redirects before any page shows it)."""
    if not current_user.is_authenticated:
        return None
    return Header(
        current_user.name,
        current_user.is_admin,
        g.get("unread_notifications", 0),
        g.get("reviews_waiting", 0),
    )


# Built once: they run on every request.
USER_WITH_UNREAD = select(
    User,
    unread_count(User.id).scalar_subquery(),
    reviews_waiting_count(User.id).scalar_subquery(),
).where(User.id == bindparam("user_id"))
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
    user, g.unread_notifications, g.reviews_waiting, *region_and_membership = found
    if not user.active or user.session_version != int(version):
        return None
    if region_and_membership:
        keep_loaded_region(slug, user.id, *region_and_membership)
    return user
