from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from belong.extensions import db
from belong.models.base import NotShown, utcnow


class RegionSummary(NotShown, db.Model):
    """A region's progress and self-assessment scores, worked out from its answers once and
    kept until an answer changes (the programme pages read a row per region, not every answer).

    Derived data (belong/services/summaries.py): any write to the region's answers removes it
    and bumps the region's answers_revision; it is worked out again on the next read. Left out
    of region exports."""

    __tablename__ = "region_summaries"

    region_id: Mapped[int] = mapped_column(
        ForeignKey("regions.id", ondelete="CASCADE"), primary_key=True
    )
    # The region's answers_revision it was worked out from; read before the answers.
    answers_revision: Mapped[int]
    # The template it was worked out against (its id and a digest of its definition).
    template_key: Mapped[str] = mapped_column(String(140))
    percent: Mapped[int]
    # Per step, in template order: [state, answered, [missing required question ids]].
    steps: Mapped[list[Any]] = mapped_column(JSON)
    overall: Mapped[float | None] = mapped_column(Float)
    # {area_id: score}
    areas: Mapped[dict[str, float]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
