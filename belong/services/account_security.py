"""Account safety: changing a password, password reset links, disabling and enabling people.

Each change that should end other sessions bumps `User.session_version` (checked by the
user loader in belong/auth_session.py).
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from enum import Enum

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from belong.extensions import db
from belong.models import Membership, Region, User
from belong.services import accounts, activity
from belong.services.errors import DomainError

RESET_TOKEN_HOURS = 2


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
    return int(current_app.config.get("RESET_TOKEN_HOURS", RESET_TOKEN_HOURS))


def mail_server_configured() -> bool:
    """Links are e-mailed to their owner when a mail server is set up; only without one are
    they shown to whoever invited and written to the log."""
    return bool(current_app.config.get("MAIL_SERVER"))


def send_reset_link(user: User, link: str) -> None:
    """E-mail the link when a mail server is configured; otherwise log it for the operator."""
    if not mail_server_configured():
        current_app.logger.info("password reset link for %s: %s", user.email, link)
        return
    hours = reset_hours()
    _send_link(
        user,
        "Belong: choose a new password",
        f"Hello {user.name},\n\nSomeone (we hope you) asked to choose a new password for "
        f"Belong. Open this link within {hours} hours; it works once:\n\n{link}\n\n"
        "If you did not ask for this, ignore this message: your password stays as it is.\n",
    )


class Delivery(Enum):
    SHOWN = "shown"  # no mail server: the inviter passes it on by hand
    MAILED = "mailed"
    FAILED = "failed"  # a mail server is set up but did not take it: shown to nobody


def deliver_invitation(user: User, region: Region, link: str, hours: int) -> Delivery:
    """A new account's set-password link goes by e-mail to its owner only. Without a mail
    server it is logged, and the caller shows it to whoever invited."""
    if not mail_server_configured():
        current_app.logger.info("invitation link for %s: %s", user.email, link)
        return Delivery.SHOWN
    if _send_invitation_link(user, region, link, hours):
        return Delivery.MAILED
    return Delivery.FAILED


def _send_invitation_link(user: User, region: Region, link: str, hours: int) -> bool:
    return _send_link(
        user,
        _("Belong: you are invited to %(region)s", region=region.name),
        _(
            "Hello %(name)s,\n\nYou are invited to work on the integration strategy of "
            "%(region)s in Belong. Open this link within %(hours)s hours to choose your "
            "password; it works once:\n\n%(link)s\n",
            name=user.name,
            region=region.name,
            hours=hours,
            link=link,
        ),
    )


def _send_link(user: User, subject: str, body: str) -> bool:
    """Send one message that carries a one-time link straight to its owner (never through
    the outbox, which keeps what it sends)."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config.get("MAIL_FROM", "belong@localhost")
    message["To"] = user.email
    message.set_content(body)
    server = current_app.config["MAIL_SERVER"]
    try:
        with smtplib.SMTP(server, int(current_app.config.get("MAIL_PORT", 25)), timeout=10) as smtp:
            if current_app.config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if current_app.config.get("MAIL_USERNAME"):
                smtp.login(current_app.config["MAIL_USERNAME"], current_app.config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        # The answer to the person stays the same; the operator sees the failure.
        current_app.logger.exception("could not send a mail with a link to %s", user.email)
        return False
    return True


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
