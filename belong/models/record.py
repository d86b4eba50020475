"""Records of a region's strategy (priorities, objectives, actions, indicators, ...): one row
per record, of a kind its strategy template declares (`records:` in template.yaml)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from belong.extensions import db
from belong.models.base import NotShown, ShownInRegion, utcnow
from belong.models.user import User


class Record(ShownInRegion, db.Model):
    """One record: its kind, a stable key other records refer to it by, its place in the
    list of its kind, and its field values (JSON, as the field types store them)."""

    __tablename__ = "records"
    __table_args__ = (
        UniqueConstraint("region_id", "key"),
        Index("ix_records_region_kind", "region_id", "kind", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(60))
    key: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(default=0)
    values: Mapped[Any] = mapped_column(JSON, default=dict)
    revision: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    updated_by: Mapped[User | None] = relationship()

    # A flush whose revision no longer matches the row fails: races end in a conflict.
    __mapper_args__ = {"version_id_col": revision}


class RecordRevision(NotShown, db.Model):
    """Every saved state of a record, append-only (values None: the record was deleted).
    Kept by region and key, so the history outlives a deleted record."""

    __tablename__ = "record_revisions"
    __table_args__ = (Index("ix_record_revisions_region_key", "region_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(60))
    key: Mapped[str] = mapped_column(String(60))
    revision: Mapped[int]
    values: Mapped[Any] = mapped_column(JSON, nullable=True)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    saved_by: Mapped[User | None] = relationship()
