"""Reading the audit log: newest first, a page at a time, for one region or for all."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from belong.extensions import db
from belong.models import AuditEvent, Region
from belong.services.paging import page_bounds

PER_PAGE = 50


@dataclass(frozen=True)
class EventPage:
    events: list[AuditEvent]
    page: int
    pages: int
    total: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def events_page(region: Region | None, page: int, per_page: int = PER_PAGE) -> EventPage:
    """One page of events; region None means every event of the programme."""
    where = [AuditEvent.region_id == region.id] if region is not None else []
    total = db.session.scalar(select(func.count(AuditEvent.id)).where(*where)) or 0
    page, pages = page_bounds(page, total, per_page)
    events = db.session.scalars(
        select(AuditEvent)
        .where(*where)
        .options(joinedload(AuditEvent.user))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return EventPage(list(events), page, pages, total)


def region_names(events: list[AuditEvent]) -> dict[int, Region]:
    ids = {e.region_id for e in events if e.region_id is not None}
    if not ids:
        return {}
    return {r.id: r for r in db.session.scalars(select(Region).where(Region.id.in_(ids)))}
