"""Managing a region's members: roles, removal, and when each was last active."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from belong.extensions import db
from belong.models import AuditEvent, Membership, Region, Role
from belong.services import activity
from belong.services.errors import DomainError


class LastCoordinator(DomainError):
    """A region keeps at least one coordinator."""


def get_membership(region: Region, membership_id: int) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.id == membership_id, Membership.region_id == region.id)
    )


def _coordinators(region: Region) -> int:
    return db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.region_id == region.id, Membership.role == Role.COORDINATOR
        )
    )


def change_member(
    membership: Membership, *, role: Role, organisation: str, category: str
) -> list[str]:
    """Returns what changed. Contributions keep the organisation they were written under."""
    if (
        membership.role is Role.COORDINATOR
        and role is not Role.COORDINATOR
        and _coordinators(membership.region) <= 1
    ):
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
    if membership.role is Role.COORDINATOR and _coordinators(membership.region) <= 1:
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
