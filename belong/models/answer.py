from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from belong.extensions import db
from belong.models.base import NotShown, ShownInRegion, utcnow
from belong.models.user import User


class Answer(ShownInRegion, db.Model):
    """The current answer to one question of one region: one row per question."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("region_id", "step_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    step_id: Mapped[str] = mapped_column(String(60))
    question_id: Mapped[str] = mapped_column(String(60))
    value: Mapped[Any] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    updated_by: Mapped[User | None] = relationship()

    # SQLAlchemy refuses a flush whose version no longer matches the row: races end in a conflict.
    __mapper_args__ = {"version_id_col": version}


class AnswerRevision(NotShown, db.Model):
    """Every saved text, append-only, so earlier answers can be read and restored. Not kept
    on any page (the history page is rendered each time); each comes with its answer's write."""

    __tablename__ = "answer_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    value: Mapped[Any] = mapped_column(JSON)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    saved_by: Mapped[User | None] = relationship()
