"""Submitted draft versions: snapshot, verdicts, release. Versions are never rewritten."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload, undefer

from belong.extensions import db
from belong.models import (
    CommentThread,
    DraftVersion,
    Membership,
    Region,
    ReviewRequest,
    ReviewStatus,
    Role,
    User,
)
from belong.models.base import utcnow
from belong.services import activity, documents, strategy_checks
from belong.services.documents import Edition, Purpose
from belong.services.errors import DomainError, NotAllowed
from belong.templating.loader import LoadedTemplate
from belong.templating.registry import get_template


class ReleaseRefused(DomainError):
    pass


def nested(values: dict[tuple[str, str], Any]) -> dict[str, dict[str, Any]]:
    snapshot: dict[str, dict[str, Any]] = {}
    for (step_id, question_id), value in values.items():
        snapshot.setdefault(step_id, {})[question_id] = value
    return snapshot


def versions_of(region: Region) -> list[DraftVersion]:
    return list(
        db.session.scalars(
            select(DraftVersion)
            .where(DraftVersion.region_id == region.id)
            .options(selectinload(DraftVersion.submitted_by))
            .order_by(DraftVersion.number.desc())
        )
    )


def latest_version(region: Region) -> DraftVersion | None:
    return db.session.scalar(
        select(DraftVersion)
        .where(DraftVersion.region_id == region.id)
        .order_by(DraftVersion.number.desc())
        .limit(1)
    )


def get_version(region: Region, number: int) -> DraftVersion | None:
    return db.session.scalar(
        select(DraftVersion)
        .where(DraftVersion.region_id == region.id, DraftVersion.number == number)
        .options(
            undefer(DraftVersion.answers),
            undefer(DraftVersion.consultation),
            undefer(DraftVersion.publication),
        )
    )


def members_with(region: Region, *roles: Role) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership)
            .where(Membership.region_id == region.id, Membership.role.in_(roles), User.active)
        )
    )


def version_label(number: int) -> str:
    return _("Version %(n)s", n=number)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def edition_of(
    version: DraftVersion,
    purpose: Purpose,
    *,
    approvers: Iterable[str] = (),
    on: date | None = None,
) -> Edition:
    """A stored version as a document: its frozen answers, consultation record and
    self-assessment history, dated the day it was submitted (a release: the day given)."""
    return Edition(
        purpose,
        version.values(),
        version.consultation,
        version_label=version_label(version.number),
        publication=version.publication,
        on=on or version.submitted_at.date(),
        approvers=tuple(approvers),
        as_of=version.submitted_at,
    )


def submit(region: Region, user: User, message: str) -> DraftVersion:
    """Freeze the current answers and consultation record as the next version. Its PDF is
    rendered afterwards, off the request (`complete`); the reviewers are asked then."""
    template = get_template(region.template_id)
    draft = documents.draft_edition(region, template)
    number = (
        db.session.scalar(
            select(func.max(DraftVersion.number)).where(DraftVersion.region_id == region.id)
        )
        or 0
    ) + 1
    version = DraftVersion(
        region_id=region.id,
        number=number,
        template_id=template.id,
        template_version=template.definition.version,
        answers=nested(draft.values),
        consultation=draft.consultation,
        publication=draft.publication,
        pdf=b"",
        sha256="",
        message=message.strip(),
        submitted_by_id=user.id,
        submitted_at=utcnow(),
    )
    db.session.add(version)
    db.session.flush()
    for reviewer in members_with(region, Role.REVIEWER):
        db.session.add(
            ReviewRequest(region_id=region.id, version_id=version.id, reviewer_id=reviewer.id)
        )
    activity.record("version_submitted", region, user, number=number)
    db.session.flush()
    return version


def page_link(region: Region, version: DraftVersion) -> str:
    """The version's page, for notifications (in a request)."""
    return url_for("review.version", slug=region.slug, number=version.number)


def complete(version_id: int, link: str) -> DraftVersion | None:
    """Render a submitted version's PDF and record it (`version_html`, then `record_pdf`), in
    this transaction; the caller commits. The queued job ends its transaction between the two."""
    found = version_html(version_id)
    if found is None:
        return db.session.get(DraftVersion, version_id)
    template, html = found
    return record_pdf(version_id, documents.document_pdf(template, html), link)


def version_html(version_id: int) -> tuple[LoadedTemplate, str] | None:
    """The document of a submitted version as it is frozen (None: none to render)."""
    version = db.session.get(DraftVersion, version_id)
    if version is None or version.pdf_ready:
        return None
    region = db.session.get(Region, version.region_id)
    template = get_template(version.template_id)
    edition = edition_of(version, Purpose.VERSION)
    return template, documents.document_html(region, template, edition)


def record_pdf(version_id: int, pdf: bytes, link: str) -> DraftVersion | None:
    """Record a version's rendered PDF with its hash (once: the guard refuses any later
    change), then ask the reviewers to review it (`link`: the version's page)."""
    version = db.session.scalar(  # another render may have finished meanwhile
        select(DraftVersion)
        .where(DraftVersion.id == version_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if version is None or version.pdf_ready:
        return version
    region = db.session.get(Region, version.region_id)
    version.pdf = pdf
    version.sha256 = sha256(pdf)
    activity.notify(
        [request.reviewer for request in requests_of(version)],
        "review_requested",
        _l(
            "%(region)s submitted version %(n)s for your review.",
            region=region.name,
            n=version.number,
        ),
        region=region,
        link=link,
    )
    activity.record(
        "version_pdf_recorded", region, version.submitted_by, number=version.number,
        sha256=version.sha256,
    )  # fmt: skip
    db.session.flush()
    return version


def requests_of(version: DraftVersion) -> list[ReviewRequest]:
    return list(
        db.session.scalars(
            select(ReviewRequest)
            .where(ReviewRequest.version_id == version.id)
            .options(selectinload(ReviewRequest.reviewer))
            .order_by(ReviewRequest.id)
        )
    )


def request_for(version: DraftVersion, user: User, *, create: bool) -> ReviewRequest | None:
    request = db.session.scalar(
        select(ReviewRequest).where(
            ReviewRequest.version_id == version.id, ReviewRequest.reviewer_id == user.id
        )
    )
    if request is None and create:
        request = ReviewRequest(
            region_id=version.region_id, version_id=version.id, reviewer_id=user.id
        )
        db.session.add(request)
        db.session.flush()
    return request


def mark_commenting(version: DraftVersion, user: User, membership: Membership | None) -> None:
    """A reviewer who starts commenting has started their review."""
    if membership is None or membership.role is not Role.REVIEWER:
        return
    request = request_for(version, user, create=True)
    if request.status == ReviewStatus.NOT_STARTED.value:
        request.status = ReviewStatus.COMMENTING.value


def give_verdict(
    region: Region, version: DraftVersion, user: User, approve: bool, summary: str
) -> ReviewRequest:
    if version.released_at is not None:
        raise NotAllowed("the version is released")
    request = request_for(version, user, create=True)
    request.status = (
        ReviewStatus.APPROVED.value if approve else ReviewStatus.CHANGES_REQUESTED.value
    )
    request.summary = summary.strip()
    request.decided_at = utcnow()
    message = (
        _l("%(name)s approved version %(n)s.", name=user.name, n=version.number)
        if approve
        else _l("%(name)s requested changes to version %(n)s.", name=user.name, n=version.number)
    )
    activity.notify(
        members_with(region, Role.COORDINATOR, Role.EDITOR),
        "verdict_given",
        message,
        region=region,
        link=url_for("review.version", slug=region.slug, number=version.number),
    )
    activity.record("verdict_given", region, user, number=version.number, verdict=request.status)
    db.session.flush()
    return request


def release_problem(version: DraftVersion, requests: Iterable[ReviewRequest]) -> str | None:
    """Why this version cannot be released yet, or None when it can."""
    requests = list(requests)
    if version.released_at is not None:
        return _("This version is released already.")
    if not requests:
        return _("No reviewer has reviewed this version yet.")
    waiting = [r.reviewer.name for r in requests if r.status != ReviewStatus.APPROVED.value]
    if waiting:
        return _(
            "Every reviewer must approve this version first. Still to approve: %(names)s.",
            names=", ".join(sorted(waiting)),
        )
    template = get_template(version.template_id).definition
    failing = [
        r for r in strategy_checks.evaluate(template, version.values()) if r.status.value == "fail"
    ]
    if failing:
        return ngettext(
            "%(num)s strategy check fails for this version: %(titles)s. Correct the answers, "
            "submit a new version and have it reviewed; a version is released only when no "
            "check fails.",
            "%(num)s strategy checks fail for this version: %(titles)s. Correct the answers, "
            "submit a new version and have it reviewed; a version is released only when no "
            "check fails.",
            len(failing),
            titles="; ".join(r.title for r in failing),
        )
    return None


class OpenThreadsNotAccepted(ReleaseRefused):
    """The version has open review threads and the release did not say it accepts them."""


def open_threads_of(version: DraftVersion) -> list[CommentThread]:
    return list(
        db.session.scalars(
            select(CommentThread)
            .where(CommentThread.version_id == version.id, CommentThread.resolved_at.is_(None))
            .order_by(CommentThread.id)
        )
    )


def release(
    region: Region, version: DraftVersion, user: User, *, open_threads_accepted: int = 0
) -> DraftVersion:
    """Release the approved version with its approvers, at once: its PDF (without the DRAFT
    marking) renders afterwards, off the request (`release_html`, then `record_release_pdf`).
    The members are told now. With open review threads, the coordinator must have accepted
    releasing with that many of them."""
    requests = requests_of(version)
    problem = release_problem(version, requests)
    if problem:
        raise ReleaseRefused(problem)
    still_open = len(open_threads_of(version))
    if still_open and open_threads_accepted != still_open:
        raise OpenThreadsNotAccepted(
            ngettext(
                "Tick the box to release with %(num)s open thread, or resolve it first.",
                "Tick the box to release with %(num)s open threads, or resolve them first.",
                still_open,
            )
        )
    version.released_at = utcnow()
    version.released_by_id = user.id
    version.approvers = sorted(r.reviewer.name for r in requests)
    region_members = db.session.scalars(
        select(User).join(Membership).where(Membership.region_id == region.id)
    )
    activity.notify(
        region_members,
        "version_released",
        _l("%(region)s released version %(n)s.", region=region.name, n=version.number),
        region=region,
        link=url_for("review.version", slug=region.slug, number=version.number),
    )
    activity.record("version_released", region, user, number=version.number)
    db.session.flush()
    return version


def release_html(version_id: int) -> tuple[LoadedTemplate, str] | None:
    """The released document of a version as it was released (None: none to render)."""
    version = db.session.get(DraftVersion, version_id)
    if version is None or version.released_at is None or version.released_sha256:
        return None
    region = db.session.get(Region, version.region_id)
    template = get_template(version.template_id)
    return template, documents.document_html(region, template, release_edition(version))


def release_edition(version: DraftVersion) -> Edition:
    """A released version as a document: its approvers, dated the day it was released."""
    decided = [r.decided_at for r in requests_of(version) if r.decided_at is not None]
    return replace(
        edition_of(
            version,
            Purpose.RELEASE,
            approvers=version.approvers or (),
            on=version.released_at.date(),
        ),
        approved_on=max(decided).date() if decided else None,
    )


def record_release_pdf(version_id: int, pdf: bytes) -> DraftVersion | None:
    """Record a released version's PDF with its hash (once: the guard refuses any later
    change)."""
    version = db.session.scalar(  # another render may have finished meanwhile
        select(DraftVersion)
        .where(DraftVersion.id == version_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if version is None or version.released_at is None or version.released_sha256:
        return version
    region = db.session.get(Region, version.region_id)
    version.released_pdf = pdf
    version.released_sha256 = sha256(pdf)
    activity.record(
        "version_release_pdf_recorded", region, version.released_by, number=version.number,
        sha256=version.released_sha256,
    )  # fmt: skip
    db.session.flush()
    return version
