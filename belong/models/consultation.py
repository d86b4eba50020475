"""A public consultation on a submitted version, and the comments people send without an
account (belong/services/consultations.py)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from belong.extensions import db
from belong.models.base import ShownInRegion, utcnow
from belong.models.review import DraftVersion
from belong.models.user import User


class Moderation(enum.StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    HIDDEN = "hidden"


class CommentResponse(enum.StrEnum):
    """The team's answer after the consultation closed ("you said, we did")."""

    ADOPTED = "adopted"
    NOTED = "noted"
    DECLINED = "declined"


def _enum(kind: type[enum.StrEnum]) -> Enum:
    return Enum(kind, native_enum=False, length=20, values_callable=lambda e: [s.value for s in e])


class Consultation(ShownInRegion, db.Model):
    """One consultation of the public on one submitted version. Open from `opens_on` to
    `closes_on` (both days included) unless closed earlier (`closed_at`)."""

    __tablename__ = "consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("draft_versions.id", ondelete="CASCADE"), index=True
    )
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    introduction: Mapped[str] = mapped_column(Text, default="")
    # The stakeholder category values offered to commenters (of the strategy template).
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)  # short general questions
    privacy_notice: Mapped[str] = mapped_column(Text, default="")
    # Names and organisations are erased from every comment on this day (the notice says so).
    keep_personal_data_until: Mapped[date] = mapped_column(Date)
    publish_names: Mapped[bool] = mapped_column(default=False)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # closed early
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    personal_data_erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    version: Mapped[DraftVersion] = relationship()
    opened_by: Mapped[User | None] = relationship(foreign_keys=[opened_by_id])

    def is_open(self, today: date) -> bool:
        return self.closed_at is None and self.opens_on <= today <= self.closes_on

    def is_closed(self, today: date) -> bool:
        return self.closed_at is not None or today > self.closes_on

    def has_opened(self, today: date) -> bool:
        return self.opens_on <= today or self.closed_at is not None


class PublicComment(ShownInRegion, db.Model):
    """A comment from the public on a section of the consulted document or on one of the
    consultation's general questions. Nothing identifies the sender but what they chose to
    give (no address, no account); name and organisation can be erased."""

    __tablename__ = "public_comments"
    __table_args__ = (Index("ix_public_comments_consultation_created", "consultation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"))
    # The document's section (its element id) and chapter, as the consulted version showed
    # them; empty for an answer to a general question.
    section: Mapped[str] = mapped_column(String(120), default="")
    section_title: Mapped[str] = mapped_column(String(300), default="")
    chapter: Mapped[str] = mapped_column(String(120), default="")
    chapter_title: Mapped[str] = mapped_column(String(300), default="")
    question_index: Mapped[int | None]  # a general question of the consultation
    body: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(String(120), default="")
    organisation: Mapped[str] = mapped_column(String(160), default="")
    category: Mapped[str] = mapped_column(String(40), default="")
    consent: Mapped[bool] = mapped_column(default=False)  # may be published
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    moderation: Mapped[Moderation] = mapped_column(_enum(Moderation), default=Moderation.PENDING)
    hidden_reason: Mapped[str] = mapped_column(Text, default="")
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    moderated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    response: Mapped[CommentResponse | None] = mapped_column(_enum(CommentResponse))
    response_reason: Mapped[str] = mapped_column(Text, default="")
    # The answers it changed: "step_id--question_id" of the strategy template.
    changed: Mapped[list[str]] = mapped_column(JSON, default=list)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    consultation: Mapped[Consultation] = relationship()
