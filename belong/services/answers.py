"""Reading and saving answers, one row per question, with an append-only history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from belong.extensions import db
from belong.forms.questions import same_answer
from belong.models import Answer, AnswerRevision, Region, User
from belong.models.base import utcnow
from belong.services.errors import Conflict
from belong.templating.schema import Step


@dataclass(frozen=True)
class ConflictingAnswer:
    question_id: str
    mine: Any
    theirs: Any
    their_version: int
    their_author: str
    their_time: Any


def region_answers(region: Region) -> dict[tuple[str, str], Answer]:
    rows = db.session.scalars(select(Answer).where(Answer.region_id == region.id))
    return {(a.step_id, a.question_id): a for a in rows}


def step_answers(region: Region, step: Step) -> dict[str, Answer]:
    rows = db.session.scalars(
        select(Answer)
        .where(Answer.region_id == region.id, Answer.step_id == step.id)
        .options(selectinload(Answer.updated_by))  # "last saved by" under every question
    )
    return {a.question_id: a for a in rows}


def save_step(
    region: Region,
    step: Step,
    values: dict[str, Any],
    base_versions: dict[str, int],
    user: User,
) -> list[str]:
    """Save the changed answers of a step; refuse all of them if any is stale.

    A question whose value did not change (as the form reads it, see same_answer) is left
    alone: no revision, no write, and two people editing different questions of one step
    never collide. A question missing from `values` is left alone too. Returns the saved
    question ids.
    """
    current = step_answers(region, step)
    changed: list[str] = []
    conflicts: list[ConflictingAnswer] = []
    for question in step.questions:
        if question.id not in values:
            continue  # a question that does not apply: its stored answer is kept as it is
        value = values[question.id]
        answer = current.get(question.id)
        stored = answer.value if answer else None
        if same_answer(question, value, stored):
            continue
        seen = base_versions.get(question.id, 0)
        now = answer.version if answer else 0
        if seen != now and same_answer(question, value, _value_at(answer, seen)):
            continue  # untouched since loaded: someone else's newer text stays
        if seen != now:
            conflicts.append(
                ConflictingAnswer(
                    question.id,
                    value,
                    stored,
                    now,
                    answer.updated_by.name if answer and answer.updated_by else "",
                    answer.updated_at if answer else None,
                )
            )
        changed.append(question.id)
    if conflicts:
        raise Conflict(conflicts)
    try:
        for question_id in changed:
            _write(
                region,
                step.id,
                question_id,
                values.get(question_id),
                current.get(question_id),
                user,
            )
        if changed:
            region.updated_at = utcnow()
        db.session.flush()
    except (StaleDataError, IntegrityError):
        # Another save landed between our read and our write (PostgreSQL races; SQLite
        # serialises writers): the transaction is spoilt, so report it as the conflict it is.
        db.session.rollback()
        raise Conflict(_lost_race(region, step, values, changed)) from None
    return changed


def save_what_can_be_saved(
    region: Region,
    step: Step,
    values: dict[str, Any],
    versions: dict[str, int],
    user: User,
    skip: set[str] = frozenset(),
) -> tuple[list[str], list[ConflictingAnswer]]:
    """Save the answers nobody else changed since `versions`, leaving those in `skip` as
    stored; return (saved ids, conflicts of the others). A conflict rolls the session back
    and the step is tried again without that answer: at most one round per question."""
    values, versions = dict(values), dict(versions)
    conflicts: list[ConflictingAnswer] = []
    for _attempt in range(len(step.questions) + 1):
        current = step_answers(region, step)
        for question_id in skip | {c.question_id for c in conflicts}:
            answer = current.get(question_id)
            values[question_id] = answer.value if answer else None
            versions[question_id] = answer.version if answer else 0
        try:
            return save_step(region, step, values, versions, user), conflicts
        except Conflict as conflict:
            db.session.rollback()
            conflicts.extend(conflict.conflicts)
    return [], conflicts


def _lost_race(
    region: Region, step: Step, values: dict[str, Any], changed: list[str]
) -> list[ConflictingAnswer]:
    current = step_answers(region, step)
    lost = []
    for question_id in changed:
        answer = current.get(question_id)
        lost.append(
            ConflictingAnswer(
                question_id,
                values.get(question_id),
                answer.value if answer else None,
                answer.version if answer else 0,
                answer.updated_by.name if answer and answer.updated_by else "",
                answer.updated_at if answer else None,
            )
        )
    return lost


def _value_at(answer: Answer | None, version: int) -> Any:
    """The text this answer had at a version (None before the first save)."""
    if answer is None or version <= 0:
        return None
    return db.session.scalar(
        select(AnswerRevision.value).where(
            AnswerRevision.answer_id == answer.id, AnswerRevision.version == version
        )
    )


def _write(
    region: Region, step_id: str, question_id: str, value: Any, answer: Answer | None, user: User
) -> Answer:
    if answer is None:
        answer = Answer(region_id=region.id, step_id=step_id, question_id=question_id)
        db.session.add(answer)
    answer.value = value
    answer.updated_by = user
    answer.updated_at = utcnow()
    db.session.flush()  # assigns the id and bumps the version (checked against the row)
    db.session.add(
        AnswerRevision(
            answer_id=answer.id, version=answer.version, value=value, saved_by_id=user.id
        )
    )
    return answer


def set_answer(region: Region, step_id: str, question_id: str, value: Any, user: User) -> Answer:
    """Write one answer unconditionally (demo data, imports)."""
    answer = db.session.scalar(
        select(Answer).where(
            Answer.region_id == region.id,
            Answer.step_id == step_id,
            Answer.question_id == question_id,
        )
    )
    return _write(region, step_id, question_id, value, answer, user)
