"""How a region's documents are published: logo, accent colour and imprint details, and the
images uploaded for them (kept for good, so a submitted version keeps the logo it showed)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from belong.extensions import db
from belong.models.base import ShownInRegion, utcnow


class PublicationImage(ShownInRegion, db.Model):
    """An uploaded image (a logo or an EU emblem), decoded and re-encoded on upload; found by
    its region and the SHA-256 of the stored bytes. Never changed or removed: versions name
    the images they froze by that hash."""

    __tablename__ = "publication_images"
    __table_args__ = (UniqueConstraint("region_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str] = mapped_column(String(20))  # image/png or image/jpeg
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PublicationSettings(ShownInRegion, db.Model):
    """One row per region (none: the documents carry no logo, imprint details or accent)."""

    __tablename__ = "publication_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(
        ForeignKey("regions.id", ondelete="CASCADE"), unique=True
    )
    logo_sha256: Mapped[str | None] = mapped_column(String(64))
    accent: Mapped[str] = mapped_column(String(7), default="")  # "#1d5a8c" or empty
    publisher: Mapped[str] = mapped_column(String(200), default="")
    contact: Mapped[str] = mapped_column(Text, default="")
    licence: Mapped[str] = mapped_column(String(20), default="")
    eu_funded: Mapped[bool] = mapped_column(Boolean, default=False)
    eu_statement: Mapped[str] = mapped_column(Text, default="")
    emblem_sha256: Mapped[str | None] = mapped_column(String(64))
    signatory_name: Mapped[str] = mapped_column(String(200), default="")
    signatory_title: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
