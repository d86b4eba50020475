from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from belong.extensions import db
from belong.models.base import ShownInRegion, utcnow
from belong.models.user import User


class Role(enum.StrEnum):
    COORDINATOR = "coordinator"
    EDITOR = "editor"
    CONTRIBUTOR = "contributor"
    REVIEWER = "reviewer"


class Region(ShownInRegion, db.Model):
    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(80), default="")
    template_id: Mapped[str] = mapped_column(String(60))
    language: Mapped[str] = mapped_column(String(10), default="en")
    period: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Counts writes to the region's answers (belong/services/summaries.py keeps it), so a
    # stored summary can tell whether it was worked out from the answers as they are now.
    answers_revision: Mapped[int] = mapped_column(default=0, server_default="0")
    # Counts writes to anything the region's pages show (belong/page_cache.py keeps it), so a
    # rendered part of a page kept under an older count is never shown again.
    content_revision: Mapped[int] = mapped_column(default=0, server_default="0")

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="region", cascade="all, delete-orphan"
    )

    def shown_region_id(self) -> int:
        return self.id

    def __repr__(self) -> str:
        return f"<Region {self.slug}>"


class Membership(ShownInRegion, db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("region_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=lambda e: [r.value for r in e])
    )
    organisation: Mapped[str] = mapped_column(String(160), default="")
    category: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    region: Mapped[Region] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(back_populates="memberships")
