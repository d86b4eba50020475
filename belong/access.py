"""Who may do what: the one place where roles are turned into permissions."""

from __future__ import annotations

import enum
from functools import wraps

from flask import abort, g
from flask_login import current_user, login_required
from sqlalchemy import bindparam, select

from belong.extensions import db
from belong.models import Membership, Region, Role


class Permission(enum.StrEnum):
    VIEW = "view"  # the region home, steps (read-only), the draft document
    EDIT_ANSWERS = "edit_answers"
    MANAGE_MEMBERS = "manage_members"
    CONTRIBUTE = "contribute"  # add stakeholder input to steps
    CONSOLIDATE = "consolidate"  # adopt / note / decline contributions
    VIEW_PARTICIPATION = "view_participation"  # participation overview and its export
    SUBMIT_VERSION = "submit_version"
    RELEASE_VERSION = "release_version"
    # Record that the competent body adopted a released version (the coordinator only).
    RECORD_ADOPTION = "record_adoption"
    # Read the internal review of versions: threads (here and on the step pages) and the
    # review copy. Contributors, who are outside stakeholders, do not.
    VIEW_REVIEW = "view_review"
    COMMENT = "comment"  # comment on submitted versions
    REVIEW = "review"  # give a verdict on a version
    VIEW_AUDIT = "view_audit"
    EXPORT_DATA = "export_data"  # the region's JSON export
    CHANGE_LANGUAGE = "change_language"  # the language of the region's strategy
    # Open and close a public consultation on a submitted version, erase what its
    # commenters gave of themselves on request.
    RUN_CONSULTATION = "run_consultation"
    # The comments of the public: publish or hide them, answer them once it closed.
    MODERATE_CONSULTATION = "moderate_consultation"
    # The documents' logo, accent colour and imprint details (the coordinator only).
    PUBLICATION_SETTINGS = "publication_settings"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.COORDINATOR: frozenset(Permission) - {Permission.REVIEW},
    Role.EDITOR: frozenset(
        {
            Permission.VIEW,
            Permission.EDIT_ANSWERS,
            Permission.CONTRIBUTE,
            Permission.CONSOLIDATE,
            Permission.VIEW_REVIEW,
            Permission.COMMENT,
            Permission.MODERATE_CONSULTATION,
        }
    ),
    Role.CONTRIBUTOR: frozenset({Permission.VIEW, Permission.CONTRIBUTE}),
    Role.REVIEWER: frozenset(
        {Permission.VIEW, Permission.VIEW_REVIEW, Permission.COMMENT, Permission.REVIEW}
    ),
}
# The programme admin sees every region and manages people, but writes no region's text.
ADMIN_PERMISSIONS = frozenset(
    {
        Permission.VIEW,
        Permission.MANAGE_MEMBERS,
        Permission.VIEW_PARTICIPATION,
        Permission.VIEW_REVIEW,
        Permission.VIEW_AUDIT,
        Permission.EXPORT_DATA,
        Permission.CHANGE_LANGUAGE,
    }
)


def membership_of(user, region: Region) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.region_id == region.id, Membership.user_id == user.id)
    )


def permissions_in(user, region: Region, membership: Membership | None) -> frozenset[Permission]:
    granted = ROLE_PERMISSIONS[membership.role] if membership else frozenset()
    if user.is_admin:
        granted = granted | ADMIN_PERMISSIONS
    return granted


# Built once: it runs on every region page.
REGION_WITH_MEMBERSHIP = (
    select(Region, Membership)
    .outerjoin(
        Membership,
        (Membership.region_id == Region.id) & (Membership.user_id == bindparam("user_id")),
    )
    .where(Region.slug == bindparam("slug"))
)


def with_region_of_address(statement, person):
    """`statement` (one row per person, from the `person` entity) joined to the region named
    by the address's `slug` and the person's membership of it: the sign-in reads both in
    the statement that loads the person (belong/auth_session.py), and keeps them for
    `load_region` with `keep_loaded_region`."""
    return (
        statement.add_columns(Region, Membership)
        .select_from(person)
        .outerjoin(Region, Region.slug == bindparam("slug"))
        .outerjoin(
            Membership, (Membership.region_id == Region.id) & (Membership.user_id == person.id)
        )
    )


def keep_loaded_region(slug: str, user_id: int, region, membership) -> None:
    g._loaded_region = (slug, user_id, region, membership)


def _region_and_membership(slug: str):
    """The region named `slug` and the current user's membership: as loaded with the sign-in
    in this request (used once), else one statement."""
    loaded = g.pop("_loaded_region", None)
    if loaded is not None and loaded[:2] == (slug, current_user.id):
        return None if loaded[2] is None else loaded[2:]
    values = {"slug": slug, "user_id": current_user.id}
    return db.session.execute(REGION_WITH_MEMBERSHIP, values).first()


def load_region(slug: str, permission: Permission) -> Region:
    """The region if the current user may act on it; 404 for outsiders, 403 for members."""
    found = _region_and_membership(slug)
    if found is None:
        abort(404)
    region, membership = found
    if membership is None and not current_user.is_admin:
        abort(404)
    granted = permissions_in(current_user, region, membership)
    if permission not in granted:
        abort(403)
    g.region, g.membership, g.permissions = region, membership, granted
    return region


def region_access(permission: Permission):
    """View decorator: swaps the `slug` URL argument for the checked `region`."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, slug: str, **kwargs):
            return view(*args, region=load_region(slug, permission), **kwargs)

        return wrapped

    return decorator


def admin_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def can(permission: Permission) -> bool:
    """For templates: may the current user do this in the region of this request?"""
    return permission in g.get("permissions", frozenset())
