from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from belong.extensions import db
from belong.models.base import NotShown, utcnow


class RenderedPdf(NotShown, db.Model):
    """A rendered document, found again by the hash of everything that decided its bytes.

    Kept in the database so every app server and the PDF worker share one cache."""

    __tablename__ = "rendered_pdfs"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int]
    render_seconds: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
