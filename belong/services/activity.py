"""Record audit events and send in-app notifications (the one place for both)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask_babel.speaklater import LazyString
from flask_login import current_user
from sqlalchemy import func, select

from belong.extensions import db
from belong.i18n import force_language_of
from belong.models import AuditEvent, Notification, Region, User
from belong.models.base import utcnow
from belong.services import mail


def record(action: str, region: Region | None = None, user: User | None = None, **detail: Any):
    """Add an audit event to the session (committed with the action it records)."""
    if user is None and current_user and getattr(current_user, "is_authenticated", False):
        user = current_user
    event = AuditEvent(
        action=action,
        region_id=region.id if region is not None else None,
        user_id=user.id if user is not None else None,
        detail={k: v for k, v in detail.items() if v is not None},
    )
    db.session.add(event)
    return event


def notify(
    users: Iterable[User],
    kind: str,
    message: str | LazyString,
    *,
    region: Region | None = None,
    link: str = "",
) -> list[Notification]:
    """One notification per person (each person once), skipping whoever caused it, written in
    that person's language (pass a lazy string, `_l(...)`) and mailed by their preference."""
    made = []
    for user in _recipients(users):
        with force_language_of(user, region):
            text = str(message)
        made.append(_add(user, kind, text, region, link, group=""))
    return made


def notify_grouped(
    users: Iterable[User],
    kind: str,
    group: str,
    message: Callable[[int], str],
    *,
    region: Region | None = None,
    link: str = "",
) -> None:
    """Like `notify`, but many events of one group (e.g. input on one step) make one unread
    notification per person, whose count rises while it stays unread ("3 new inputs on ...").
    `message(count)` is called in each person's language. Only the first is mailed at once;
    a digest shows the count as it stands."""
    for user in _recipients(users):
        note = db.session.scalar(
            select(Notification)
            .where(
                Notification.user_id == user.id,
                Notification.kind == kind,
                Notification.group_key == group,
                Notification.read_at.is_(None),
            )
            .with_for_update()  # two inputs at once count two
        )
        if note is None:
            with force_language_of(user, region):
                text = message(1)
            _add(user, kind, text, region, link, group=group)
            continue
        note.count += 1
        with force_language_of(user, region):
            note.message = message(note.count)
        note.link = link
        note.created_at = utcnow()
        note.emailed_at = None  # the next digest tells the new count


def _recipients(users: Iterable[User]) -> list[User]:
    actor_id = current_user.id if getattr(current_user, "is_authenticated", False) else None
    chosen: dict[int, User] = {}
    for user in users:
        if user.id != actor_id:
            chosen.setdefault(user.id, user)
    return list(chosen.values())


def _add(
    user: User, kind: str, text: str, region: Region | None, link: str, *, group: str
) -> Notification:
    note = Notification(
        user_id=user.id,
        region_id=region.id if region is not None else None,
        kind=kind,
        group_key=group,
        count=1,
        message=text,
        link=link,
    )
    db.session.add(note)
    mail.queue_notification(note, user, region)
    return note


def unread_count(user_id):
    """How many of a person's notifications are unread (a statement; `user_id` may be a
    column, for use as a subquery)."""
    return select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
