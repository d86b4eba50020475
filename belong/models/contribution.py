"""Stakeholder input on a step: what was said, by whom, and what became of it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from belong.extensions import db
from belong.models.base import ShownInRegion, utcnow
from belong.models.user import User


class ContributionStatus(enum.StrEnum):
    PENDING = "pending"
    ADOPTED = "adopted"
    NOTED = "noted"
    DECLINED = "declined"


class Contribution(ShownInRegion, db.Model):
    """One piece of input; organisation and category are copied from the author's
    membership when it is written, so removing the member keeps the attribution."""

    __tablename__ = "contributions"
    __table_args__ = (Index("ix_contributions_region_id_step_id", "region_id", "step_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"))
    step_id: Mapped[str] = mapped_column(String(60))
    prompt_index: Mapped[int | None]  # None: a general remark on the step
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    organisation: Mapped[str] = mapped_column(String(160), default="")
    category: Mapped[str] = mapped_column(String(40), default="")
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[ContributionStatus] = mapped_column(
        Enum(
            ContributionStatus,
            native_enum=False,
            length=20,
            values_callable=lambda e: [s.value for s in e],
        ),
        default=ContributionStatus.PENDING,
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    adopted_into: Mapped[str | None] = mapped_column(String(60))  # question id, if inserted
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    show_organisation: Mapped[bool] = mapped_column(default=False)  # consent to be named
    show_name: Mapped[bool] = mapped_column(default=False)  # an individual opts in to be named
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    # An edit and a decision made on the same loaded version cannot both land.
    __mapper_args__ = {"version_id_col": version}

    @property
    def editable(self) -> bool:
        return self.status is not ContributionStatus.ADOPTED
