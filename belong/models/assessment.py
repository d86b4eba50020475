from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from belong.extensions import db
from belong.models.base import ShownInRegion, utcnow
from belong.models.user import User


class AssessmentSnapshot(ShownInRegion, db.Model):
    """Self-assessment scores recorded at one moment; the first is the region's baseline,
    later ones are re-runs compared against it."""

    __tablename__ = "assessment_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    label: Mapped[str] = mapped_column(String(120), default="")
    scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    taken_by: Mapped[User | None] = relationship()
