"""The political adoption of a released version: recorded by the coordinator once the
competent body has decided. Internal review approval (the release) is not adoption."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    LargeBinary,
    String,
    event,
    inspect,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from belong.extensions import db
from belong.models.base import ShownInRegion, utcnow
from belong.models.review import DraftVersion, ImmutableVersion
from belong.models.user import User


class Adoption(ShownInRegion, db.Model):
    """Who adopted a released version, when, by which decision; and the adopted edition's
    PDF (its cover says so), rendered off the request and stored once, beside the released
    PDF, which stays as it was released."""

    __tablename__ = "adoptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("draft_versions.id", ondelete="CASCADE"), unique=True
    )
    body: Mapped[str] = mapped_column(String(200))
    adopted_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(120))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Empty until the adopted edition has rendered, then set once for good.
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True, active_history=True)
    sha256: Mapped[str | None] = mapped_column(String(64), active_history=True)

    version: Mapped[DraftVersion] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    @property
    def pdf_ready(self) -> bool:
        return bool(self.sha256)


ADOPTION_FROZEN = ("region_id", "version_id", "body", "adopted_on", "reference")
ADOPTION_FROZEN += ("recorded_by_id", "recorded_at")


@event.listens_for(Adoption, "before_update")
def _refuse_changes(_mapper, connection, target: Adoption) -> None:
    """A recorded adoption is a fact: never rewritten. Its PDF and hash are set once."""
    state = inspect(target)
    for name in ADOPTION_FROZEN:
        if state.attrs[name].history.has_changes():
            raise ImmutableVersion(f"{name} of a recorded adoption cannot change")
    if any(state.attrs[name].history.has_changes() for name in ("pdf", "sha256")):
        stored = connection.scalar(select(Adoption.sha256).where(Adoption.id == target.id))
        if stored:
            raise ImmutableVersion("the PDF of an adopted version cannot change")
