"""Account safety: changing a password, password reset links, disabling and enabling people.

Each change that should end other sessions bumps `User.session_version` (checked by the
user loader in belong/auth_session.py).
"""

from __future__ import annotations

from enum import Enum

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from belong.extensions import db
from belong.i18n import force_language_of
from belong.models import Membership, Region, User
from belong.services import accounts, activity, mail
from belong.services.errors import DomainError


class WrongPassword(DomainError):
    pass


class CannotDisableSelf(DomainError):
    pass


def change_password(user: User, current: str, new: str) -> None:
    """Check the current password, then set the new one; other sessions end."""
    if accounts.authenticate(user.email, current) is None:
        raise WrongPassword("current password does not match")
    accounts.set_password(user, new)
    accounts.expire_tokens(user)
    activity.record("password_changed", user=user)
    db.session.flush()


def request_password_reset(email: str) -> tuple[User, str] | None:
    """A reset link secret for an active account with this address; None otherwise.
    The caller answers the same either way, so nobody learns which addresses exist."""
    user = accounts.find_user(email)
    if user is None or not user.active:
        return None
    secret = accounts.issue_token(user, "reset", reset_hours())
    activity.record("password_reset_requested", user=user)
    return user, secret


def reset_hours() -> int:
    return int(current_app.config["RESET_TOKEN_HOURS"])


def send_reset_link(user: User, link: str) -> None:
    """E-mail the link when a mail server is configured; otherwise log it for the operator."""
    link = mail.external_url(link)
    if not mail.configured():
        current_app.logger.info("password reset link for %s: %s", user.email, link)
        return
    with force_language_of(user):
        subject = _("Belong: choose a new password")
        text = ngettext(
            "Hello %(name)s,\n\nSomeone (we hope you) asked to choose a new password for "
            "Belong. Open this link within %(num)d hour; it works once:\n\n%(link)s\n\n"
            "If you did not ask for this, ignore this message: your password stays as it is.\n",
            "Hello %(name)s,\n\nSomeone (we hope you) asked to choose a new password for "
            "Belong. Open this link within %(num)d hours; it works once:\n\n%(link)s\n\n"
            "If you did not ask for this, ignore this message: your password stays as it is.\n",
            reset_hours(),
            name=user.name,
            link=link,
        )
    mail.send_now(user.email, subject, text)


class Delivery(Enum):
    SHOWN = "shown"  # no mail server: the inviter passes it on by hand
    MAILED = "mailed"
    FAILED = "failed"  # a mail server is set up but did not take it: shown to nobody


def deliver_invitation(user: User, region: Region, link: str, hours: int) -> Delivery:
    """A new account's set-password link goes by e-mail to its owner only. Without a mail
    server it is logged, and the caller shows it to whoever invited."""
    link = mail.external_url(link)
    if not mail.configured():
        current_app.logger.info("invitation link for %s: %s", user.email, link)
        return Delivery.SHOWN
    if _send_invitation_link(user, region, link, hours):
        return Delivery.MAILED
    return Delivery.FAILED


def _send_invitation_link(user: User, region: Region, link: str, hours: int) -> bool:
    """Straight to its owner (never through the outbox, which keeps what it sends), in the
    person's language."""
    with force_language_of(user, region):
        subject = _("Belong: you are invited to %(region)s", region=region.name)
        text = ngettext(
            "Hello %(name)s,\n\nYou are invited to work on the integration strategy of "
            "%(region)s in Belong. Open this link within %(num)d hour to choose your "
            "password; it works once:\n\n%(link)s\n",
            "Hello %(name)s,\n\nYou are invited to work on the integration strategy of "
            "%(region)s in Belong. Open this link within %(num)d hours to choose your "
            "password; it works once:\n\n%(link)s\n",
            hours,
            name=user.name,
            region=region.name,
            link=link,
        )
    return mail.send_now(user.email, subject, text)


def all_users() -> list[User]:
    memberships = selectinload(User.memberships).selectinload(Membership.region)
    query = select(User).options(memberships).order_by(User.name, User.email)
    return list(db.session.scalars(query))


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def disable_user(user: User, actor: User) -> None:
    """The person can no longer sign in; their open sessions and pending links end."""
    if user.id == actor.id:
        raise CannotDisableSelf("an admin cannot disable their own account")
    user.active = False
    user.session_version += 1
    accounts.expire_tokens(user)
    activity.record("user_disabled", user=actor, target=user.id)
    db.session.flush()


def enable_user(user: User, actor: User) -> None:
    user.active = True
    activity.record("user_enabled", user=actor, target=user.id)
    db.session.flush()
