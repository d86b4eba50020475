"""Comment threads on submitted versions: start, reply, edit (history kept), resolve, reopen."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from belong.extensions import db
from belong.models import (
    Comment,
    CommentEdit,
    CommentThread,
    DraftVersion,
    Membership,
    Region,
    Role,
    User,
)
from belong.models.base import utcnow
from belong.services import activity
from belong.services.errors import DomainError, NotAllowed
from belong.services.versions import mark_commenting, members_with
from belong.templating.registry import get_template


class BadAnchor(DomainError):
    pass


def _thread_options():
    return (
        selectinload(CommentThread.comments).selectinload(Comment.author),
        selectinload(CommentThread.comments).selectinload(Comment.edits),
        selectinload(CommentThread.version),
        selectinload(CommentThread.resolved_by),
    )


def threads_of(version: DraftVersion) -> list[CommentThread]:
    return list(
        db.session.scalars(
            select(CommentThread)
            .where(CommentThread.version_id == version.id)
            .options(*_thread_options())
            .order_by(CommentThread.id)
        )
    )


def open_threads_for_step(region: Region, step_id: str) -> list[CommentThread]:
    """Open threads of every version of the region about one step (for the live step page)."""
    return list(
        db.session.scalars(
            select(CommentThread)
            .where(
                CommentThread.region_id == region.id,
                CommentThread.step_id == step_id,
                CommentThread.resolved_at.is_(None),
            )
            .options(*_thread_options())
            .order_by(CommentThread.id)
        )
    )


def get_thread(region: Region, thread_id: int) -> CommentThread | None:
    return db.session.scalar(
        select(CommentThread).where(
            CommentThread.id == thread_id, CommentThread.region_id == region.id
        )
    )


def get_comment(region: Region, comment_id: int) -> Comment | None:
    return db.session.scalar(
        select(Comment).where(Comment.id == comment_id, Comment.region_id == region.id)
    )


def anchors(region: Region) -> list[tuple[str, str, str]]:
    """(step_id, question_id, label) for every place a comment may point to."""
    definition = get_template(region.template_id).definition
    places = []
    for number, step in enumerate(definition.steps, start=1):
        places.append((step.id, "", f"{number}. {step.title}"))
        for index, question in enumerate(step.questions, start=1):
            places.append((step.id, question.id, f"{number}.{index} {question.label}"))
    return places


def _link(region: Region, thread: CommentThread) -> str:
    return url_for(
        "review.version",
        slug=region.slug,
        number=thread.version.number,
        _anchor=f"thread-{thread.id}",
    )


def start_thread(
    region: Region,
    version: DraftVersion,
    user: User,
    membership: Membership | None,
    step_id: str,
    question_id: str,
    body: str,
) -> CommentThread:
    if (step_id, question_id) not in {(s, q) for s, q, _label in anchors(region)}:
        raise BadAnchor(f"{step_id}/{question_id}")
    thread = CommentThread(
        region_id=region.id,
        version_id=version.id,
        version=version,
        step_id=step_id,
        question_id=question_id,
        created_by_id=user.id,
    )
    thread.comments.append(Comment(region_id=region.id, author_id=user.id, body=body.strip()))
    db.session.add(thread)
    db.session.flush()
    mark_commenting(version, user, membership)
    activity.notify(
        members_with(region, Role.COORDINATOR, Role.EDITOR),
        "comment",
        _l(
            "%(name)s commented on version %(n)s of %(region)s.",
            name=user.name,
            n=version.number,
            region=region.name,
        ),
        region=region,
        link=_link(region, thread),
    )
    activity.record("comment_added", region, user, thread=thread.id, number=version.number)
    return thread


def reply(
    region: Region, thread: CommentThread, user: User, membership: Membership | None, body: str
) -> Comment:
    participants = {c.author_id for c in thread.comments if c.author_id}
    comment = Comment(region_id=region.id, author_id=user.id, body=body.strip())
    thread.comments.append(comment)
    db.session.flush()
    mark_commenting(thread.version, user, membership)
    people = db.session.scalars(select(User).where(User.id.in_(participants)))
    activity.notify(
        people,
        "comment",
        _l("%(name)s replied in a thread you are in.", name=user.name),
        region=region,
        link=_link(region, thread),
    )
    activity.record("comment_added", region, user, thread=thread.id)
    return comment


def edit(comment: Comment, user: User, body: str) -> Comment:
    """Only the author edits; the earlier text is kept and the comment shows as edited."""
    if comment.author_id != user.id:
        raise NotAllowed("only the author may edit a comment")
    body = body.strip()
    if body == comment.body:
        return comment
    db.session.add(
        CommentEdit(region_id=comment.region_id, comment_id=comment.id, previous_body=comment.body)
    )
    comment.body = body
    comment.edited_at = utcnow()
    db.session.flush()
    return comment


def resolve(region: Region, thread: CommentThread, user: User) -> None:
    if thread.resolved_at is None:
        thread.resolved_at = utcnow()
        thread.resolved_by_id = user.id
        activity.record("thread_resolved", region, user, thread=thread.id)
        db.session.flush()


def reopen(region: Region, thread: CommentThread, user: User) -> None:
    if thread.resolved_at is not None:
        thread.resolved_at = None
        thread.resolved_by_id = None
        activity.record("thread_reopened", region, user, thread=thread.id)
        db.session.flush()
