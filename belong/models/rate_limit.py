from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from belong.extensions import db
from belong.models.base import NotShown


class RateLimitCount(NotShown, db.Model):
    """One fixed-window counter of the sign-in and reset limits, shared by every process
    that uses this database (belong/services/ratelimit.py, when no Redis is configured).
    The key names the kind and a digest of the account and address, never them in clear."""

    __tablename__ = "rate_limit_counts"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int]
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
