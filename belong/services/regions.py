"""Regions and their members."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from belong.extensions import db
from belong.models import Answer, Membership, Region, User
from belong.services import activity
from belong.services.errors import DomainError
from belong.services.paging import page_bounds
from belong.templating.loader import LoadedTemplate

# A region's short name, as it appears in its addresses: the one rule for the admin form and
# for imports. \Z, not $: "$" would let a trailing line break through.
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*\Z"
SLUG_MAX_LENGTH = 60


class SlugTaken(DomainError):
    pass


def create_region(
    name: str,
    slug: str,
    template_id: str,
    *,
    country: str = "",
    period: str = "",
    language: str = "en",
) -> Region:
    if db.session.scalar(select(Region.id).where(Region.slug == slug)):
        raise SlugTaken(slug)
    region = Region(
        name=name.strip(),
        slug=slug,
        template_id=template_id,
        country=country.strip(),
        period=period.strip(),
        language=language,
    )
    db.session.add(region)
    db.session.flush()
    return region


class LanguageNotInTemplate(DomainError):
    """The template has no translation in the language asked for."""


def change_language(region: Region, template: LoadedTemplate, language: str) -> bool:
    """Write the region's strategy in `language` from now on: the document's frame, dates and
    figures, and the guidance of readers whose own language the template lacks. The answers
    are the team's text and stay as written. Recorded in the audit log; pages, summaries and
    the draft PDF follow from the region's content revision. False when nothing changed."""
    if language not in template.languages:
        raise LanguageNotInTemplate(language)
    if language == region.language:
        return False
    previous, region.language = region.language, language
    activity.record("region_language_changed", region, previous=previous, language=language)
    return True


def memberships_of(user: User) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.user_id == user.id)
            .options(selectinload(Membership.region))
            .join(Region)
            .order_by(Region.name)
        )
    )


def region_members(region: Region) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.region_id == region.id)
            .options(selectinload(Membership.user))
            .join(User)
            .order_by(Membership.role, User.name)
        )
    )


def all_regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.name)))


def regions_page(page: int, per_page: int) -> tuple[list[Region], int, int, int]:
    """(regions on the page by name, the page shown, number of pages, number of regions)."""
    total = db.session.scalar(select(func.count()).select_from(Region)) or 0
    page, pages = page_bounds(page, total, per_page)
    query = select(Region).order_by(Region.name, Region.id)
    shown = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page))
    return list(shown), page, pages, total


def answer_values(region_ids: list[int]) -> dict[int, dict[tuple[str, str], object]]:
    """Every answer value of the given regions, in one query."""
    values: dict[int, dict[tuple[str, str], object]] = {rid: {} for rid in region_ids}
    if not region_ids:
        return values
    rows = db.session.execute(
        select(Answer.region_id, Answer.step_id, Answer.question_id, Answer.value).where(
            Answer.region_id.in_(region_ids)
        )
    )
    for region_id, step_id, question_id, value in rows:
        values[region_id][(step_id, question_id)] = value
    return values
