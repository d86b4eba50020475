"""Managing a region's members: roles, removal, and when each was last active."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from belong.extensions import db
from belong.models import AuditEvent, Membership, Region, Role, User
from belong.services import activity
from belong.services.errors import DomainError


class LastCoordinator(DomainError):
    """A region keeps at least one coordinator."""


def get_membership(region: Region, membership_id: int) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.id == membership_id, Membership.region_id == region.id)
    )


def membership_of(region: Region, user: User) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.region_id == region.id, Membership.user_id == user.id)
    )


def _coordinators(region: Region) -> int:
    return db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.region_id == region.id, Membership.role == Role.COORDINATOR
        )
    )


def is_last_coordinator(membership: Membership) -> bool:
    """Removing this person, or giving them another role, would leave the region without a
    coordinator."""
    return membership.role is Role.COORDINATOR and _coordinators(membership.region) <= 1


def tell_added(user: User, region: Region, role_label: str, link: str) -> None:
    """An existing account was added to a region: tell the person (in Belong, and by e-mail
    as they chose). Without a password yet, they choose one through their own mailbox."""
    message = _(
        "You now have access to %(region)s as %(role)s.", region=region.name, role=role_label
    )
    if not user.password_hash:
        message += " " + _(
            "To sign in, first choose a password: use “Forgot your password?” on the sign-in "
            "page, and the link comes to this address."
        )
    activity.notify([user], "member_added", message, region=region, link=link)


def change_member(
    membership: Membership, *, role: Role, organisation: str, category: str
) -> list[str]:
    """Returns what changed. Contributions keep the organisation they were written under."""
    if role is not Role.COORDINATOR and is_last_coordinator(membership):
        raise LastCoordinator(membership.id)
    changed = []
    if role is not membership.role:
        changed.append("role")
    if organisation.strip() != membership.organisation:
        changed.append("organisation")
    if category != membership.category:
        changed.append("category")
    if not changed:
        return changed
    before = membership.role.value
    membership.role = role
    membership.organisation = organisation.strip()
    membership.category = category
    db.session.flush()
    activity.record(
        "member_changed",
        membership.region,
        member=membership.user_id,
        changed=changed,
        role_before=before if "role" in changed else None,
        role=role.value if "role" in changed else None,
    )
    return changed


def remove_member(membership: Membership) -> None:
    """The person loses access; what they contributed stays, attributed to them."""
    if is_last_coordinator(membership):
        raise LastCoordinator(membership.id)
    region = membership.region
    activity.record("member_removed", region, member=membership.user_id, role=membership.role.value)
    db.session.delete(membership)
    db.session.flush()


def last_activity(region: Region) -> dict[int, datetime]:
    """The latest audit event of each person in this region, in one query."""
    rows = db.session.execute(
        select(AuditEvent.user_id, func.max(AuditEvent.at))
        .where(AuditEvent.region_id == region.id, AuditEvent.user_id.is_not(None))
        .group_by(AuditEvent.user_id)
    )
    return {user_id: at for user_id, at in rows}
