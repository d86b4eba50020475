"""What waits for a person: versions they are asked to review, and review threads that wait
for the team's answer. The header, the "Waiting for you" page and the region home's next
action all ask here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased, selectinload

from belong.extensions import db
from belong.models import (
    Comment,
    CommentThread,
    DraftVersion,
    Membership,
    Region,
    ReviewRequest,
    Role,
    User,
)
from belong.models.review import ReviewStatus
from belong.services.contributions import authored_by
from belong.services.progress import StepState

UNDECIDED = (ReviewStatus.NOT_STARTED.value, ReviewStatus.COMMENTING.value)
TEAM = (Role.COORDINATOR, Role.EDITOR)

_newer = aliased(DraftVersion)


def _waiting_reviews(user_id):
    """A statement of the person's review requests without a verdict, on the latest version of
    a region where they are still a reviewer, not yet released (`user_id` may be a column)."""
    return (
        select(ReviewRequest.id)
        .join(DraftVersion, DraftVersion.id == ReviewRequest.version_id)
        .join(
            Membership,
            and_(
                Membership.region_id == ReviewRequest.region_id,
                Membership.user_id == ReviewRequest.reviewer_id,
                Membership.role == Role.REVIEWER,
            ),
        )
        .where(
            ReviewRequest.reviewer_id == user_id,
            ReviewRequest.status.in_(UNDECIDED),
            DraftVersion.released_at.is_(None),
            ~select(_newer.id)
            .where(_newer.region_id == DraftVersion.region_id, _newer.number > DraftVersion.number)
            .exists(),
        )
    )


def reviews_waiting_count(user_id):
    """For the header: a scalar statement, run inside the sign-in query (no query of its own)."""
    return select(func.count()).select_from(_waiting_reviews(user_id).subquery())


@dataclass(frozen=True)
class WaitingReview:
    region: Region
    number: int  # the version's
    asked_at: datetime  # when the review was requested


def reviews_waiting(user: User) -> list[WaitingReview]:
    rows = db.session.execute(
        select(Region, DraftVersion.number, ReviewRequest.created_at)
        .join(DraftVersion, DraftVersion.id == ReviewRequest.version_id)
        .join(Region, Region.id == ReviewRequest.region_id)
        .where(ReviewRequest.id.in_(_waiting_reviews(user.id)))
        .order_by(ReviewRequest.created_at, ReviewRequest.id)
    )
    return [WaitingReview(region, number, asked_at) for region, number, asked_at in rows]


@dataclass(frozen=True)
class WaitingThread:
    thread: CommentThread
    last: Comment


def threads_waiting(region: Region) -> list[WaitingThread]:
    """Open threads whose latest comment is not the team's (coordinators and editors): a
    reviewer asked and nobody of the team has answered yet."""
    team = set(
        db.session.scalars(
            select(Membership.user_id).where(
                Membership.region_id == region.id, Membership.role.in_(TEAM)
            )
        )
    )
    threads = db.session.scalars(
        select(CommentThread)
        .where(CommentThread.region_id == region.id, CommentThread.resolved_at.is_(None))
        .options(selectinload(CommentThread.comments))
        .order_by(CommentThread.created_at, CommentThread.id)
    )
    return [
        WaitingThread(thread, thread.comments[-1])
        for thread in threads
        if thread.comments and thread.comments[-1].author_id not in team
    ]


@dataclass(frozen=True)
class NextAction:
    """The one thing the region's home puts first for this reader."""

    kind: str  # review, answer, continue, submit, input, read
    number: int | None = None  # the version to review or answer on
    thread_id: int | None = None
    count: int = 0
    step: object | None = None  # the step to continue or give input on


def next_action(
    region: Region,
    user: User,
    *,
    reviews: bool,
    writes: bool,
    submits: bool,
    contributes: bool,
    progress,
    template,
) -> NextAction:
    """Decided in this order: a review asked of the reader, the team's unanswered review
    comments, the next step to write, submitting a complete draft, a contributor's input on
    a step they have not spoken to yet; otherwise reading the draft. The flags are the
    reader's rights in the region (belong/access.py decides them)."""
    if reviews:
        mine = [r for r in reviews_waiting(user) if r.region.id == region.id]
        if mine:
            return NextAction("review", number=mine[-1].number)
    if writes:
        found = threads_waiting(region)
        if found:
            first = found[0].thread
            return NextAction(
                "answer", number=first.version.number, thread_id=first.id, count=len(found)
            )
        step = next((p.step for p in progress if p.state is not StepState.COMPLETED), None)
        if step is not None:
            return NextAction("continue", step=step)
        if submits:
            return NextAction("submit")
    elif contributes:
        spoken = {c.step_id for c in authored_by(region, user)}
        step = next((s for s in template.steps if s.prompts and s.id not in spoken), None)
        return NextAction("input", step=step)
    return NextAction("read")
