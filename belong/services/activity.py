"""Record audit events and send in-app notifications (the one place for both)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_login import current_user
from sqlalchemy import func, select

from belong.extensions import db
from belong.models import AuditEvent, Notification, Region, User


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
    users: Iterable[User], kind: str, message: str, *, region: Region | None = None, link: str = ""
) -> list[Notification]:
    """One notification per person (each person once), skipping whoever caused it."""
    actor_id = current_user.id if getattr(current_user, "is_authenticated", False) else None
    made = []
    seen: set[int] = set()
    for user in users:
        if user.id in seen or user.id == actor_id:
            continue
        seen.add(user.id)
        note = Notification(
            user_id=user.id,
            region_id=region.id if region is not None else None,
            kind=kind,
            message=message,
            link=link,
        )
        db.session.add(note)
        made.append(note)
    return made


def unread_count(user_id):
    """How many of a person's notifications are unread (a statement; `user_id` may be a
    column, for use as a subquery)."""
    return select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
