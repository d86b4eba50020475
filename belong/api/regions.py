"""/api/v1/regions: the regions the token's person may see, with their progress."""

from __future__ import annotations

from flask import Blueprint, g, url_for
from flask_login import current_user
from sqlalchemy import func, select

from belong.access import Permission
from belong.api.auth import region_read
from belong.api.schemas import Paging, RegionDetail, RegionItem, RegionLinks, RegionList, StepItem
from belong.api.spec import api_spec, responses
from belong.extensions import db
from belong.models import Membership, Region
from belong.services import summaries, versions
from belong.services.paging import page_bounds
from belong.services.progress import StepProgress

bp = Blueprint("regions", __name__)


def _links(region: Region) -> RegionLinks:
    return RegionLinks(
        self=url_for("api.regions.show", slug=region.slug),
        versions=url_for("api.versions.index", slug=region.slug),
        page=url_for("regions.home", slug=region.slug),
    )


def _item(region: Region, role, percent: int) -> dict:
    return {
        "slug": region.slug,
        "name": region.name,
        "country": region.country,
        "period": region.period,
        "language": region.language,
        "template": region.template_id,
        "role": role.value if role is not None else None,
        "percent_complete": percent,
        "links": _links(region),
    }


def step_item(region: Region, progress: StepProgress) -> StepItem:
    return StepItem(
        id=progress.step.id,
        title=progress.step.title,
        state=progress.state.value,
        answered=progress.answered,
        missing_required=list(progress.missing_required),
        links={
            "self": url_for("api.steps.show", slug=region.slug, step_id=progress.step.id),
            "page": url_for("steps.show", slug=region.slug, step_id=progress.step.id),
        },
    )


@bp.get("/regions")
@api_spec.validate(query=Paging, resp=responses(HTTP_200=RegionList), tags=["regions"])
def index(query: Paging):
    """The regions you may see

    A programme admin sees every region; anyone else the regions they are a member of.
    Sorted by name, a page at a time."""
    statement = select(Region, Membership.role).outerjoin(
        Membership, (Membership.region_id == Region.id) & (Membership.user_id == current_user.id)
    )
    if not current_user.is_admin:
        statement = statement.where(Membership.id.is_not(None))
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    page, pages = page_bounds(query.page, total, query.per_page)
    rows = db.session.execute(
        statement.order_by(Region.name, Region.id)
        .limit(query.per_page)
        .offset((page - 1) * query.per_page)
    ).all()
    found = summaries.summaries([region for region, _role in rows])
    return RegionList(
        regions=[
            RegionItem(**_item(region, role, found[region.id].percent)) for region, role in rows
        ],
        page=page,
        pages=pages,
        total=total,
    )


@bp.get("/regions/<slug>")
@api_spec.validate(resp=responses(HTTP_200=RegionDetail), tags=["regions"])
@region_read(Permission.VIEW)
def show(region: Region):
    """A region and its progress, step by step"""
    found = summaries.summary(region)
    latest = versions.latest_version(region)
    membership = g.get("membership")  # set by the access check
    role = membership.role if membership is not None else None
    return RegionDetail(
        **_item(region, role, found.percent),
        steps=[step_item(region, p) for p in found.progress],
        latest_version=latest.number if latest is not None else None,
    )
