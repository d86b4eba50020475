"""Submitted draft versions and their review: requests, comment threads, verdicts, mail."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from belong.extensions import db
from belong.models.base import NotShown, ShownInRegion, utcnow
from belong.models.user import User


class ImmutableVersion(Exception):
    """Someone tried to change what a submitted version recorded."""


class DraftVersion(ShownInRegion, db.Model):
    """The answers and the rendered PDF as they were when the coordinator submitted them."""

    __tablename__ = "draft_versions"
    __table_args__ = (UniqueConstraint("region_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    template_id: Mapped[str] = mapped_column(String(60))
    template_version: Mapped[int]
    # {step_id: {question_id: value}}; like the PDFs, loaded only when read (lists of versions
    # and the region's home page stay light).
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    # The consultation record annex as it stood at submission (plain values in the document's
    # language), so that the release and the review copy show what the version showed.
    # None for versions submitted before versions kept it: their documents have no such annex.
    consultation: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)
    # The publication settings as they stood at submission (logo and emblem by their hash,
    # belong/services/publication.py); None: submitted before versions kept them, or none set.
    publication: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)
    # Empty until the version's PDF has rendered (off the request), then set once for good.
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text, default="")
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Set once, when the coordinator releases the approved version.
    # active_history: the guard below sees the old value even if it was not loaded.
    released_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), active_history=True
    )
    released_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), active_history=True
    )
    released_pdf: Mapped[bytes | None] = mapped_column(
        LargeBinary, deferred=True, active_history=True
    )
    released_sha256: Mapped[str | None] = mapped_column(String(64), active_history=True)
    approvers: Mapped[list[str] | None] = mapped_column(JSON, active_history=True)

    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    released_by: Mapped[User | None] = relationship(foreign_keys=[released_by_id])

    @property
    def pdf_ready(self) -> bool:
        """Has the PDF rendered and been recorded (with its hash)?"""
        return bool(self.sha256)

    @property
    def label(self) -> str:
        return f"v{self.number}"

    def values(self) -> dict[tuple[str, str], Any]:
        """The snapshot in the shape the document renderer takes."""
        return {
            (step_id, question_id): value
            for step_id, questions in (self.answers or {}).items()
            for question_id, value in questions.items()
        }


FROZEN = ("region_id", "number", "template_id", "template_version", "answers", "consultation")
FROZEN += ("publication",)
FROZEN += ("message", "submitted_by_id", "submitted_at")
# Empty at submission; recorded once when the render ends.
SET_ONCE_RENDERED = ("pdf", "sha256")
SET_ONCE = ("released_at", "released_by_id", "approvers")
# Empty at release; recorded once when the released PDF's render ends.
SET_ONCE_RELEASED = ("released_pdf", "released_sha256")


@event.listens_for(DraftVersion, "before_update")
def _refuse_changes(_mapper, connection, target: DraftVersion) -> None:
    """The last line of defence: no code path may rewrite a submitted version. Its PDF and
    hash, and its released PDF and hash, may each be set once: when the render ends, while the
    stored hash is still empty."""
    state = inspect(target)
    for name in FROZEN:
        if state.attrs[name].history.has_changes():
            raise ImmutableVersion(f"{name} of a submitted version cannot change")
    if any(state.attrs[name].history.has_changes() for name in SET_ONCE_RENDERED):
        stored = connection.scalar(
            select(DraftVersion.sha256).where(DraftVersion.id == target.id)
        )  # the PDF is not loaded to compare: the stored hash says whether one is recorded
        if stored:
            raise ImmutableVersion("the PDF of a submitted version cannot change")
    if any(state.attrs[name].history.has_changes() for name in SET_ONCE_RELEASED):
        stored = connection.scalar(
            select(DraftVersion.released_sha256).where(DraftVersion.id == target.id)
        )
        if stored:
            raise ImmutableVersion("the PDF of a released version cannot change")
    for name in SET_ONCE:
        history = state.attrs[name].history
        if history.has_changes() and any(v is not None for v in history.deleted):
            raise ImmutableVersion(f"{name} of a released version cannot change")


class ReviewStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    COMMENTING = "commenting"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"


class ReviewRequest(ShownInRegion, db.Model):
    """One reviewer's review of one version, with its verdict once given."""

    __tablename__ = "review_requests"
    __table_args__ = (UniqueConstraint("version_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("draft_versions.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default=ReviewStatus.NOT_STARTED.value)
    summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    version: Mapped[DraftVersion] = relationship()
    reviewer: Mapped[User] = relationship()


class CommentThread(ShownInRegion, db.Model):
    """A conversation anchored to a place in a version: a step and, optionally, a question."""

    __tablename__ = "comment_threads"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("draft_versions.id", ondelete="CASCADE"), index=True
    )
    step_id: Mapped[str] = mapped_column(String(60))
    question_id: Mapped[str] = mapped_column(String(60), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    version: Mapped[DraftVersion] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])
    comments: Mapped[list[Comment]] = relationship(
        back_populates="thread", order_by="Comment.id", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class Comment(ShownInRegion, db.Model):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("comment_threads.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    thread: Mapped[CommentThread] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship()
    edits: Mapped[list[CommentEdit]] = relationship(order_by="CommentEdit.id")


class CommentEdit(ShownInRegion, db.Model):
    """The text a comment had before each edit: nothing is replaced silently."""

    __tablename__ = "comment_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    previous_body: Mapped[str] = mapped_column(Text)
    edited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MailPreference(NotShown, db.Model):
    """How a person wants notifications by e-mail: each at once, a daily digest, or none."""

    __tablename__ = "mail_preferences"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    mode: Mapped[str] = mapped_column(String(20), default="immediate")


class OutboxMessage(NotShown, db.Model):
    """Every e-mail the app writes; sent through SMTP when a mail server is configured."""

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str] = mapped_column(Text, default="")
