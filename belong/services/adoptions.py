"""The political adoption of a released version: a separate act, by the coordinator, once
the competent body has decided. Release is the team's internal approval and never adoption.

The released PDF is stored once and never changed, so recording an adoption does not touch
it: the adopted edition (the released document, its cover saying who adopted it, when and by
which decision) renders off the request and is stored once beside it on the adoption."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from belong.extensions import db
from belong.formatting import format_day
from belong.models import Adoption, DraftVersion, Membership, Region, User
from belong.services import activity, documents
from belong.services import versions as version_service
from belong.services.documents import Purpose
from belong.services.errors import DomainError
from belong.templating.loader import LoadedTemplate
from belong.templating.registry import get_template


class AdoptionRefused(DomainError):
    pass


def adoption_of(version: DraftVersion) -> Adoption | None:
    return db.session.scalar(select(Adoption).where(Adoption.version_id == version.id))


def adoption_problem(version: DraftVersion) -> str | None:
    """Why this version's adoption cannot be recorded (None: it can)."""
    if version.released_at is None:
        return _(
            "Only a released version can be adopted. Release version %(n)s first, once every "
            "reviewer has approved it.",
            n=version.number,
        )
    if adoption_of(version) is not None:
        return _("The adoption of version %(n)s is already recorded.", n=version.number)
    return None


def date_problem(version: DraftVersion, adopted_on: date, today: date) -> str | None:
    """A decision cannot come before the version was released for it, nor in the future."""
    if adopted_on > today:
        return _("The date of the decision cannot be in the future.")
    released = version.released_at.date() if version.released_at else None
    if released and adopted_on < released:
        return _(
            "Version %(n)s was released on %(date)s; it cannot have been adopted before.",
            n=version.number,
            date=format_day(released),
        )
    return None


def record(
    region: Region,
    version: DraftVersion,
    user: User,
    *,
    body: str,
    adopted_on: date,
    reference: str,
) -> Adoption:
    """Record the adoption, audited, and tell the members. The adopted edition's PDF renders
    afterwards (`adopted_html`, then `record_adopted_pdf`)."""
    problem = adoption_problem(version) or date_problem(version, adopted_on, date.today())
    if problem:
        raise AdoptionRefused(problem)
    adoption = Adoption(
        region_id=region.id,
        version_id=version.id,
        body=body.strip(),
        adopted_on=adopted_on,
        reference=reference.strip(),
        recorded_by_id=user.id,
    )
    db.session.add(adoption)
    activity.record(
        "adoption_recorded",
        region,
        user,
        number=version.number,
        body=adoption.body,
        adopted_on=adopted_on.isoformat(),
        reference=adoption.reference,
    )
    members = db.session.scalars(
        select(User).join(Membership).where(Membership.region_id == region.id)
    )
    activity.notify(
        members,
        "version_adopted",
        _l(
            "The adoption of version %(n)s of %(region)s by %(body)s is recorded.",
            n=version.number,
            region=region.name,
            body=adoption.body,
        ),
        region=region,
        link=url_for("review.version", slug=region.slug, number=version.number),
    )
    db.session.flush()
    return adoption


def adopted_html(adoption_id: int) -> tuple[LoadedTemplate, str] | None:
    """The adopted edition of a version (None: nothing to render): the released document
    with the adoption on its cover, through the one assembly path."""
    adoption = db.session.get(Adoption, adoption_id)
    if adoption is None or adoption.sha256:
        return None
    version = db.session.get(DraftVersion, adoption.version_id)
    region = db.session.get(Region, adoption.region_id)
    template = get_template(version.template_id)
    edition = replace(
        version_service.release_edition(version),
        purpose=Purpose.ADOPTED,
        adoption=(adoption.body, adoption.adopted_on, adoption.reference),
    )
    return template, documents.document_html(region, template, edition)


def record_adopted_pdf(adoption_id: int, pdf: bytes) -> Adoption | None:
    """Store the adopted edition's PDF with its hash, once (the guard refuses a change)."""
    adoption = db.session.scalar(
        select(Adoption)
        .where(Adoption.id == adoption_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if adoption is None or adoption.sha256:
        return adoption
    adoption.pdf = pdf
    adoption.sha256 = version_service.sha256(pdf)
    region = db.session.get(Region, adoption.region_id)
    version = db.session.get(DraftVersion, adoption.version_id)
    activity.record(
        "adopted_pdf_recorded", region, adoption.recorded_by, number=version.number,
        sha256=adoption.sha256,
    )  # fmt: skip
    db.session.flush()
    return adoption
