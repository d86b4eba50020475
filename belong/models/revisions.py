"""The one flush hook of the app's session: it keeps the regions' revisions, in the same
transaction as the write.

- `content_revision` counts writes to rows a region's pages show (the models say which, see
  belong/models/base.py); kept parts of pages are keyed on it (belong/page_cache.py).
- the regions whose shown content changed are noted for the background render of their
  drafts after the commit (belong/services/prerender.py);
- `answers_revision` counts writes to a region's answers; a stored summary
  (belong/services/summaries.py) is removed with it and worked out again when read.
"""

from __future__ import annotations

from sqlalchemy import delete, event, inspect, update
from sqlalchemy.orm import Session

from belong.extensions import db
from belong.models.answer import Answer
from belong.models.base import ShownEverywhere, ShownInRegion
from belong.models.region import Region
from belong.models.summary import RegionSummary

# session.info: the regions whose shown content the transaction changed; a background render
# of their drafts follows the commit (belong/services/prerender.py). A change every page shows
# (a person's name) is not one: it would render every region.
CHANGED_REGIONS = "belong_changed_regions"


def _shown_change(session: Session, obj: ShownEverywhere) -> bool:
    if obj in session.deleted:
        return True
    state = inspect(obj)
    return any(state.attrs[field].history.has_changes() for field in obj.shown_fields)


def _written(session: Session) -> tuple[set[int], bool, set[int]]:
    """The regions whose shown rows were written, whether a row every page shows changed,
    and the regions whose answers were written."""
    shown: set[int] = set()
    everywhere = False
    answered: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Answer):
            answered.add(obj.region_id)
        if obj in session.dirty and not session.is_modified(obj):
            continue
        if isinstance(obj, ShownEverywhere):
            everywhere = everywhere or (obj not in session.new and _shown_change(session, obj))
        elif isinstance(obj, ShownInRegion):
            if isinstance(obj, Region) and obj in session.new:
                continue  # a region just added has nothing kept yet
            region_id = obj.shown_region_id()
            if region_id is not None:
                shown.add(region_id)
    return shown, everywhere, answered


@event.listens_for(db.session, "after_flush")
def _revisions(session: Session, _context) -> None:
    shown, everywhere, answered = _written(session)
    connection = session.connection()
    if answered:
        connection.execute(delete(RegionSummary).where(RegionSummary.region_id.in_(answered)))
        connection.execute(
            update(Region)
            .where(Region.id.in_(answered))
            .values(answers_revision=Region.answers_revision + 1)
        )
    if shown:
        session.info.setdefault(CHANGED_REGIONS, set()).update(shown)
    if shown or everywhere:
        statement = update(Region).values(content_revision=Region.content_revision + 1)
        if not everywhere:
            statement = statement.where(Region.id.in_(shown))
        connection.execute(statement)
