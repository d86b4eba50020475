"""All e-mail the app sends, through one path: `compose` (the one sender, MAIL_DEFAULT_SENDER)
and `_server` (the one SMTP connection, MAIL_SERVER and its settings).

Notifications are written to the outbox and sent from there: at once for people who want that
(the default), as one message a day from `flask send-digests` for people who chose the digest,
never for `none`. One-time links (password resets) are never stored: `send_now` sends them.
Every mail is written in its recipient's language, with absolute links from EXTERNAL_URL.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from belong.extensions import db
from belong.i18n import force_language_of
from belong.models import MailPreference, Notification, OutboxMessage, Region, User
from belong.models.base import utcnow

log = logging.getLogger(__name__)

MODES = ("immediate", "daily", "none")


def mode_of(user: User) -> str:
    mode = db.session.scalar(select(MailPreference.mode).where(MailPreference.user_id == user.id))
    return mode or "immediate"


def set_mode(user: User, mode: str) -> None:
    if mode not in MODES:
        raise ValueError(mode)
    preference = db.session.scalar(select(MailPreference).where(MailPreference.user_id == user.id))
    if preference is None:
        db.session.add(MailPreference(user_id=user.id, mode=mode))
    else:
        preference.mode = mode
    db.session.flush()


def external_url(link: str) -> str:
    """The address of a page of the app (`/r/valdoria/versions/3`) as a reader outside opens
    it, from EXTERNAL_URL (never from the Host header of whoever caused the mail)."""
    if not link or link.startswith(("http://", "https://")):
        return link
    return current_app.config["EXTERNAL_URL"] + ("" if link.startswith("/") else "/") + link


def _footer() -> str:
    return _(
        "You receive this e-mail because of your notification settings in Belong; "
        "change them at %(url)s",
        url=external_url("/notifications/"),
    )


def queue_notification(note: Notification, user: User, region: Region | None) -> None:
    """Write a notification's mail to the outbox when its person wants each one at once."""
    if not user.active or mode_of(user) != "immediate":
        return
    with force_language_of(user, region):
        body = "\n\n".join(part for part in (note.message, external_url(note.link)) if part)
        db.session.add(
            OutboxMessage(
                user_id=user.id,
                to_address=user.email,
                subject=_subject(note.message),
                body=f"{body}\n\n-- \n{_footer()}\n",
                error="",
            )
        )
    note.emailed_at = utcnow()


def _subject(message: str) -> str:
    first = message.strip().splitlines()[0] if message.strip() else ""
    return ("Belong: " + first)[:200] if first else "Belong"


def build_digests() -> int:
    """One outbox message per daily-digest reader with notifications not yet mailed."""
    readers = db.session.scalars(
        select(User).join(MailPreference).where(MailPreference.mode == "daily", User.active)
    )
    made = 0
    for user in readers:
        notes = list(
            db.session.scalars(
                select(Notification)
                .where(Notification.user_id == user.id, Notification.emailed_at.is_(None))
                .order_by(Notification.created_at)
            )
        )
        if not notes:
            continue
        lines = [f"- {n.message} {external_url(n.link)}".rstrip() for n in notes]
        with force_language_of(user):
            subject = ngettext(
                "Belong: %(num)d notification today",
                "Belong: %(num)d notifications today",
                len(notes),
            )
            intro = _("Your notifications since the last digest:")
            footer = _footer()
        db.session.add(
            OutboxMessage(
                user_id=user.id,
                to_address=user.email,
                subject=subject,
                body=f"{intro}\n\n" + "\n".join(lines) + f"\n\n-- \n{footer}\n",
                error="",
            )
        )
        now = utcnow()
        for note in notes:
            note.emailed_at = now
        made += 1
    db.session.flush()
    return made


def configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def compose(to_address: str, subject: str, body: str) -> EmailMessage:
    """Every mail the app sends, from the one sender address."""
    email = EmailMessage()
    email["From"] = current_app.config.get("MAIL_DEFAULT_SENDER") or "belong@localhost"
    email["To"] = to_address
    email["Subject"] = subject
    email.set_content(body)
    return email


@contextmanager
def _server() -> Iterator[smtplib.SMTP]:
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT", 25)), timeout=20) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        yield smtp


def send_now(to_address: str, subject: str, body: str) -> bool:
    """Send one message that must not be kept (it carries a one-time link); whether it left.
    A failure is logged for the operator, never raised to the person."""
    if not configured():
        return False
    try:
        with _server() as smtp:
            smtp.send_message(compose(to_address, subject, body))
    except (OSError, smtplib.SMTPException):
        log.exception("could not send mail to %s", to_address)
        return False
    return True


def send_pending() -> int:
    """Send unsent outbox messages when a mail server is configured; keep them otherwise."""
    if not configured():
        return 0
    pending = list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.error == "")
            .order_by(OutboxMessage.id)
        )
    )
    if not pending:
        return 0
    sent = 0
    try:
        with _server() as smtp:
            for message in pending:
                try:
                    smtp.send_message(compose(message.to_address, message.subject, message.body))
                except smtplib.SMTPException as exc:
                    message.error = str(exc)[:500]
                    log.warning("mail to %s failed: %s", message.to_address, exc)
                else:
                    message.sent_at = utcnow()
                    sent += 1
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("mail server %s unavailable: %s", current_app.config["MAIL_SERVER"], exc)
    db.session.flush()
    return sent


def send_queued() -> None:
    """After a request's commit: send what it queued, when a mail server is configured
    (never fails the request; `flask send-mail` retries what is left)."""
    if configured() and send_pending():
        db.session.commit()


def outbox(limit: int = 200) -> list[OutboxMessage]:
    return list(
        db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit))
    )
