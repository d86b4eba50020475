from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from belong.extensions import db
from belong.models.base import NotShown, utcnow


class KeptForm(NotShown, db.Model):
    """A step form posted after the sign-in had ended, kept until its author saves it after
    signing in again (or for a day).

    Only a hash of the secret is stored; the secret itself lives in a cookie of the browser
    that typed the text, so nobody else can bring the text back."""

    __tablename__ = "kept_forms"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    step_id: Mapped[str] = mapped_column(String(60))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The posted fields in order, as [name, value] pairs (a name may repeat).
    fields: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
