from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from belong.extensions import db
from belong.models.base import NotShown, utcnow


class RenderedPdf(NotShown, db.Model):
    """A rendered document, found again by the hash of everything that decided its bytes:
    a PDF, or the Word document (`kind` "docx") made from the same HTML.

    Kept in the database so every app server and the PDF worker share one cache."""

    __tablename__ = "rendered_pdfs"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8), default="pdf", server_default="pdf")
    pdf: Mapped[bytes] = mapped_column(LargeBinary)  # the document's bytes, whatever its kind
    size: Mapped[int]
    render_seconds: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
