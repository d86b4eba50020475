"""The programme's view across regions: one query per kind of data, never one per region."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from belong.extensions import db
from belong.models import AuditEvent, CommentThread, DraftVersion, Region, ReviewRequest
from belong.models.base import as_utc
from belong.services.paging import page_bounds
from belong.services.progress import StepProgress
from belong.services.summaries import programme_headlines, summaries
from belong.templating.registry import all_templates

SORTS = ("name", "progress", "version", "review", "open", "activity", "score")
REVIEW_LABELS = {
    "none": _l("No version"),
    "in_review": _l("In review"),
    "approved": _l("Approved"),
    "changes_requested": _l("Changes requested"),
    "released": _l("Released"),
}


def review_label(state: str) -> str:
    return str(REVIEW_LABELS[state])


@dataclass
class RegionRow:
    region: Any  # a light row (id, name, slug) while sorting; the Region once shown
    progress: list[StepProgress]
    percent: int
    version: int | None = None
    released: bool = False
    review: dict[str, int] = field(default_factory=dict)
    open_threads: int = 0
    last_activity: datetime | None = None
    overall: float | None = None
    areas: dict[str, float] = field(default_factory=dict)

    @property
    def review_state(self) -> str:
        if self.version is None:
            return "none"
        if self.released:
            return "released"
        if self.review.get("changes_requested"):
            return "changes_requested"
        if self.review and set(self.review) == {"approved"}:
            return "approved"
        return "in_review"


def _as_aware(moment: datetime | None) -> datetime | None:
    return as_utc(moment) if moment is not None else None


@dataclass
class ProgrammePage:
    rows: list[RegionRow]  # the regions shown, with their step detail and area scores
    areas: list[tuple[str, str]]  # (area id, label) of the areas scored in these rows
    page: int
    pages: int
    total: int


def programme_rows(sort: str = "name", descending: bool = False) -> tuple[list[RegionRow], list]:
    """Every region's row, sorted, with step detail and area scores (the CSV export)."""
    listed = programme_page(sort, descending, page=1, per_page=None)
    return listed.rows, listed.areas


def programme_page(
    sort: str = "name", descending: bool = False, *, page: int = 1, per_page: int | None = 25
) -> ProgrammePage:
    """One page of the sorted regions (all of them when `per_page` is None). Sorting needs a
    few figures of every region (one row per region from the stored summaries, and one
    grouped query over the whole programme per kind of data); the step detail and area scores
    are read for the shown regions only."""
    rows = _sorted_rows(sort, descending)
    total = len(rows)
    if per_page is None:
        page, pages = 1, 1
    else:
        page, pages = page_bounds(page, total, per_page)
        rows = rows[(page - 1) * per_page : page * per_page]
    shown = db.session.scalars(select(Region).where(Region.id.in_([r.region.id for r in rows])))
    regions = {region.id: region for region in shown}
    for row in rows:
        row.region = regions[row.region.id]
    found = summaries(regions.values())
    scored: set[str] = set()
    for row in rows:
        summary = found[row.region.id]
        row.progress, row.areas = summary.progress, summary.areas
        scored.update(summary.areas)
    areas: dict[str, str] = {}
    for template in all_templates().values():
        for area in template.definition.areas:
            if area.id in scored:
                areas.setdefault(area.id, area.label)
    return ProgrammePage(rows, list(areas.items()), page, pages, total)


def _sorted_rows(sort: str, descending: bool) -> list[RegionRow]:
    rows = {}
    for region, percent, overall in programme_headlines():
        row = RegionRow(region, [], percent, overall=overall)
        row.last_activity = _as_aware(region.updated_at)
        rows[region.id] = row
    if rows:
        latest = (
            select(DraftVersion.region_id, func.max(DraftVersion.number).label("number"))
            .group_by(DraftVersion.region_id)
            .subquery()
        )
        versions = db.session.execute(
            select(DraftVersion.id, DraftVersion.region_id, DraftVersion.number,
                   DraftVersion.released_at)
            .join(latest, (latest.c.region_id == DraftVersion.region_id)
                  & (latest.c.number == DraftVersion.number))
        ).all()  # fmt: skip
        version_region = {}
        for vid, region_id, number, released_at in versions:
            if region_id not in rows:
                continue
            rows[region_id].version = number
            rows[region_id].released = released_at is not None
            version_region[vid] = region_id
        if version_region:
            for vid, status, count in db.session.execute(
                select(ReviewRequest.version_id, ReviewRequest.status, func.count())
                .join(latest, (latest.c.region_id == ReviewRequest.region_id))
                .join(DraftVersion, (DraftVersion.id == ReviewRequest.version_id)
                      & (DraftVersion.number == latest.c.number))
                .group_by(ReviewRequest.version_id, ReviewRequest.status)
            ):  # fmt: skip
                if vid in version_region:
                    rows[version_region[vid]].review[status] = count
        for region_id, count in db.session.execute(
            select(CommentThread.region_id, func.count())
            .where(CommentThread.resolved_at.is_(None))
            .group_by(CommentThread.region_id)
        ):
            if region_id in rows:
                rows[region_id].open_threads = count
        for region_id, at in db.session.execute(
            select(AuditEvent.region_id, func.max(AuditEvent.at))
            .where(AuditEvent.region_id.is_not(None))
            .group_by(AuditEvent.region_id)
        ):
            at = _as_aware(at)
            row = rows.get(region_id)
            if row is None:
                continue
            if at and (row.last_activity is None or at > row.last_activity):
                row.last_activity = at
    result = list(rows.values())
    keys: dict[str, Any] = {
        "name": lambda r: r.region.name.lower(),
        "progress": lambda r: r.percent,
        "version": lambda r: r.version or 0,
        "review": lambda r: r.review_state,
        "open": lambda r: r.open_threads,
        "activity": lambda r: r.last_activity.timestamp() if r.last_activity else 0,
        "score": lambda r: r.overall if r.overall is not None else -1,
    }
    result.sort(key=keys.get(sort, keys["name"]), reverse=descending)
    return result


def export(rows: list[RegionRow], areas: list[tuple[str, str]]) -> tuple[list[str], list[list]]:
    """The header and rows of the dashboard's CSV, with the reader's labels."""
    steps = max((len(r.progress) for r in rows), default=0)
    header = [
        _("Region"),
        _("Short name for addresses"),
        _("Progress (%)"),
        *(_("Step %(number)s", number=n) for n in range(1, steps + 1)),
        _("Current version"),
        _("Review state"),
        _("Open comments"),
        _("Last activity"),
        _("Self-assessment score"),
        *(label for _id, label in areas),
    ]
    body = [
        [
            r.region.name,
            r.region.slug,
            r.percent,
            *(p.state.label for p in r.progress),
            *[""] * (steps - len(r.progress)),
            r.version or "",
            review_label(r.review_state),
            r.open_threads,
            r.last_activity,
            r.overall,
            *(r.areas.get(area_id) for area_id, _label in areas),
        ]
        for r in rows
    ]
    return header, body
