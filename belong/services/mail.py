"""E-mail for notifications: written to the outbox, sent through SMTP when MAIL_SERVER is set.

Each notification is queued at once for people who want that (the default); people who chose
the daily digest get one message a day from `flask send-digests`; `none` sends nothing.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import event, select

from belong.extensions import db
from belong.models import MailPreference, Notification, OutboxMessage, User
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


@event.listens_for(Notification, "before_insert")
def _queue_immediate(_mapper, connection, target: Notification) -> None:
    """Every notification, whoever creates it, is queued for people who want mail at once."""
    row = connection.execute(
        select(User.email, User.active, MailPreference.mode)
        .outerjoin(MailPreference, MailPreference.user_id == User.id)
        .where(User.id == target.user_id)
    ).first()
    if row is None or not row.active or (row.mode or "immediate") != "immediate":
        return
    link = target.link or ""
    connection.execute(
        OutboxMessage.__table__.insert().values(
            user_id=target.user_id,
            to_address=row.email,
            subject=_subject(target.message),
            body=f"{target.message}\n\n{link}".strip() + "\n",
            created_at=utcnow(),
            error="",
        )
    )
    target.emailed_at = utcnow()


def _subject(message: str) -> str:
    first = message.strip().splitlines()[0] if message.strip() else "Belong"
    return ("Belong: " + first)[:200]


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
        lines = [f"- {n.message} {n.link}".rstrip() for n in notes]
        db.session.add(
            OutboxMessage(
                user_id=user.id,
                to_address=user.email,
                subject=f"Belong: {len(notes)} notifications today",
                body="Your notifications since the last digest:\n\n" + "\n".join(lines) + "\n",
                error="",
            )
        )
        now = utcnow()
        for note in notes:
            note.emailed_at = now
        made += 1
    db.session.flush()
    return made


def send_pending() -> int:
    """Send unsent outbox messages when a mail server is configured; keep them otherwise."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
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
        with smtplib.SMTP(config["MAIL_SERVER"], config.get("MAIL_PORT", 25), timeout=20) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            for message in pending:
                email = EmailMessage()
                email["From"] = config.get("MAIL_DEFAULT_SENDER") or "belong@localhost"
                email["To"] = message.to_address
                email["Subject"] = message.subject
                email.set_content(message.body)
                try:
                    smtp.send_message(email)
                except smtplib.SMTPException as exc:
                    message.error = str(exc)[:500]
                    log.warning("mail to %s failed: %s", message.to_address, exc)
                else:
                    message.sent_at = utcnow()
                    sent += 1
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("mail server %s unavailable: %s", config["MAIL_SERVER"], exc)
    db.session.flush()
    return sent


def outbox(limit: int = 200) -> list[OutboxMessage]:
    return list(
        db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit))
    )
