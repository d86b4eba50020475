"""The saved texts of one answer, newest first, and restoring an earlier one as a new save."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from belong.extensions import db
from belong.models import Answer, AnswerRevision, Region, User
from belong.services import answers as answer_service
from belong.services.errors import DomainError
from belong.templating.schema import Question, Step


class RevisionNotFound(DomainError):
    pass


@dataclass(frozen=True)
class History:
    answer: Answer | None
    revisions: list[AnswerRevision]

    @property
    def version(self) -> int:
        return self.answer.version if self.answer else 0


def question_history(region: Region, step: Step, question: Question) -> History:
    answer = db.session.scalar(
        select(Answer).where(
            Answer.region_id == region.id,
            Answer.step_id == step.id,
            Answer.question_id == question.id,
        )
    )
    if answer is None:
        return History(None, [])
    revisions = db.session.scalars(
        select(AnswerRevision)
        .where(AnswerRevision.answer_id == answer.id)
        .order_by(AnswerRevision.version.desc(), AnswerRevision.id.desc())
    )
    return History(answer, list(revisions))


def revision_of(history: History, revision_id: int) -> AnswerRevision:
    for revision in history.revisions:
        if revision.id == revision_id:
            return revision
    raise RevisionNotFound(revision_id)


def restore(
    region: Region,
    step: Step,
    question: Question,
    revision: AnswerRevision,
    base_version: int,
    user: User,
) -> list[str]:
    """Save an earlier text as the newest one, through the same version check as any save.

    Raises Conflict when someone saved after the page was loaded; returns the saved ids
    (empty when the earlier text is the current one already)."""
    current = answer_service.step_answers(region, step)
    values = {qid: a.value for qid, a in current.items()}
    versions = {qid: a.version for qid, a in current.items()}
    values[question.id] = revision.value
    versions[question.id] = base_version
    return answer_service.save_step(region, step, values, versions, user)


def as_text(question: Question, value: Any) -> str:
    """An answer as plain text a person can read and copy (Markdown stays as typed)."""
    return question.readable_text(value)
