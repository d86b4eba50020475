"""Stakeholder input: writing it, deciding on it, and counting it for the record."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from belong.extensions import db
from belong.forms.questions import text_limit
from belong.models import Answer, Contribution, ContributionStatus, Membership, Region, Role, User
from belong.models.base import utcnow
from belong.services import activity
from belong.services.answers import set_answer, step_answers
from belong.services.errors import DomainError, NotAllowed
from belong.services.paging import page_bounds
from belong.templating.conditions import applicable_questions
from belong.templating.registry import step_title
from belong.templating.schema import Step, StrategyTemplate

DECIDED = (ContributionStatus.ADOPTED, ContributionStatus.NOTED, ContributionStatus.DECLINED)
# Adopted is final: its text may already stand in the draft, under the team's edits.
TRANSITIONS: dict[ContributionStatus, frozenset[ContributionStatus]] = {
    ContributionStatus.PENDING: frozenset(DECIDED),
    ContributionStatus.NOTED: frozenset({ContributionStatus.ADOPTED, ContributionStatus.DECLINED}),
    ContributionStatus.DECLINED: frozenset({ContributionStatus.ADOPTED, ContributionStatus.NOTED}),
    ContributionStatus.ADOPTED: frozenset(),
}


class StaleContribution(DomainError):
    """The contribution changed since the form was loaded."""


class ReasonRequired(DomainError):
    pass


class NotInsertable(DomainError):
    """The chosen answer is not a long text of this step."""


class InsertTooLong(DomainError):
    """Appending the input would take the answer over its length limit."""

    def __init__(self, length: int, limit: int) -> None:
        super().__init__(f"{length} characters, limit {limit}")
        self.length = length
        self.limit = limit


def get_contribution(region: Region, contribution_id: int) -> Contribution | None:
    """Only a contribution of this region: another region's ids are not found."""
    return db.session.scalar(
        select(Contribution).where(
            Contribution.id == contribution_id, Contribution.region_id == region.id
        )
    )


INPUT_PER_PAGE = 20


@dataclass(frozen=True)
class InputPage:
    """One page of a step's input, as filtered; `total` counts all of the step's input."""

    items: list[Contribution]
    matching: int
    total: int
    page: int
    pages: int


def step_contributions(
    region: Region,
    step_id: str,
    *,
    category: str | None = None,
    status: str | None = None,
    page: int = 1,
    per_page: int = INPUT_PER_PAGE,
) -> InputPage:
    """The step's input, oldest first, a page at a time (a step may gather hundreds)."""
    of_step = (Contribution.region_id == region.id, Contribution.step_id == step_id)
    filters = []
    if category is not None:
        filters.append(Contribution.category == category)
    if status is not None:
        filters.append(Contribution.status == ContributionStatus(status))
    count = select(func.count()).select_from(Contribution)
    total = db.session.scalar(count.where(*of_step)) or 0
    matching = (db.session.scalar(count.where(*of_step, *filters)) or 0) if filters else total
    page, pages = page_bounds(page, matching, per_page)
    items = db.session.scalars(
        select(Contribution)
        .where(*of_step, *filters)
        .options(selectinload(Contribution.author), selectinload(Contribution.decided_by))
        .order_by(Contribution.created_at, Contribution.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return InputPage(list(items), matching, total, page, pages)


def authored_by(region: Region, user: User, step_id: str | None = None) -> list[Contribution]:
    query = select(Contribution).where(
        Contribution.region_id == region.id, Contribution.author_id == user.id
    )
    if step_id is not None:
        query = query.where(Contribution.step_id == step_id)
    return list(db.session.scalars(query.order_by(Contribution.created_at, Contribution.id)))


def region_contributions(region: Region) -> list[Contribution]:
    return list(
        db.session.scalars(
            select(Contribution)
            .where(Contribution.region_id == region.id)
            .options(selectinload(Contribution.author))
            .order_by(Contribution.created_at, Contribution.id)
        )
    )


def add(
    region: Region,
    step: Step,
    author: User,
    membership: Membership | None,
    *,
    body: str,
    prompt_index: int | None,
    show_organisation: bool = False,
    show_name: bool = False,
    link: str = "",
) -> Contribution:
    """Stakeholder input on a step; the team is told (`link`: where they read it)."""
    if prompt_index is not None and not 0 <= prompt_index < len(step.prompts):
        prompt_index = None
    contribution = Contribution(
        region_id=region.id,
        step_id=step.id,
        prompt_index=prompt_index,
        author_id=author.id,
        organisation=membership.organisation if membership else "",
        category=membership.category if membership else "",
        body=body,
        status=ContributionStatus.PENDING,
        reason="",
        show_organisation=show_organisation,
        show_name=show_name,
    )
    db.session.add(contribution)
    db.session.flush()
    activity.record("contribution_added", region, step=step.id, contribution=contribution.id)
    _tell_the_team(region, step, link)
    return contribution


def _tell_the_team(region: Region, step: Step, link: str) -> None:
    """The coordinators and editors hear of new input: one unread notification per step and
    person, counting up, so twenty inputs are not twenty mails."""
    from belong.services.versions import members_with  # versions -> documents -> here

    activity.notify_grouped(
        members_with(region, Role.COORDINATOR, Role.EDITOR),
        "contribution_added",
        f"input:{region.id}:{step.id}",
        lambda count: ngettext(
            "%(num)d new stakeholder input on “%(step)s” in %(region)s.",
            "%(num)d new stakeholder inputs on “%(step)s” in %(region)s.",
            count,
            step=step_title(region, step.id),  # as each person reads the template
            region=region.name,
        ),
        region=region,
        link=link,
    )


def _check_version(contribution: Contribution, seen_version: int | None) -> None:
    if seen_version is not None and seen_version != contribution.version:
        raise StaleContribution(contribution.id)


def _lock(contribution: Contribution) -> None:
    """Before an edit or a decision: wait for any other one on this input to end, then look
    at it as that one left it (PostgreSQL; SQLite writes one at a time anyway). Two of them
    made from the same loaded page then end in one change and one refusal, never in a
    stale row or a deadlock."""
    db.session.scalars(
        select(Contribution)
        .where(Contribution.id == contribution.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def edit(
    contribution: Contribution,
    user: User,
    *,
    body: str,
    prompt_index: int | None,
    step: Step,
    show_organisation: bool,
    show_name: bool,
    seen_version: int | None,
) -> bool:
    """Only its author edits a contribution, and only until it is adopted. An edit of
    noted or declined input sends it back to the team. Returns whether anything changed."""
    if contribution.author_id != user.id:
        raise NotAllowed("only the author edits a contribution")
    _lock(contribution)
    if not contribution.editable:
        raise NotAllowed("adopted input is not edited any more")
    _check_version(contribution, seen_version)
    if prompt_index is not None and not 0 <= prompt_index < len(step.prompts):
        prompt_index = None
    changed_text = body != contribution.body or prompt_index != contribution.prompt_index
    changed = changed_text or (
        (show_organisation, show_name) != (contribution.show_organisation, contribution.show_name)
    )
    if not changed:
        return False
    contribution.body = body
    contribution.prompt_index = prompt_index
    contribution.show_organisation = show_organisation
    contribution.show_name = show_name
    contribution.updated_at = utcnow()
    if changed_text and contribution.status is not ContributionStatus.PENDING:
        contribution.status = ContributionStatus.PENDING
        contribution.decided_at = None
        contribution.decided_by_id = None
    db.session.flush()
    region = db.session.get(Region, contribution.region_id)
    activity.record(
        "contribution_edited", region, step=contribution.step_id, contribution=contribution.id
    )
    return True


def insertable_questions(region: Region, step: Step) -> list:
    """Answers that adopted input can be inserted into: the step's long texts that apply
    for the region's answers (belong/templating/conditions.py)."""
    values = {qid: a.value for qid, a in step_answers(region, step).items()}
    return [q for q in applicable_questions(step, values) if q.takes_inserted_text]


def decide(
    contribution: Contribution,
    user: User,
    *,
    status: ContributionStatus,
    step: Step,
    reason: str = "",
    insert_into: str | None = None,
    seen_version: int | None = None,
    link: str = "",
    max_length: int,
) -> None:
    """Adopt, note or decline. Adopting may append the text to a long-text answer of the
    step, through the answer history, where the team can then edit it, as long as the
    answer stays within its limit (text_limit of the question, MAX_ANSWER_LENGTH)."""
    _lock(contribution)
    if status not in TRANSITIONS[contribution.status]:
        raise NotAllowed(f"{contribution.status.value} cannot become {status.value}")
    _check_version(contribution, seen_version)
    reason = reason.strip()
    if status is ContributionStatus.DECLINED and not reason:
        raise ReasonRequired("a declined contribution needs a reason")
    region = db.session.get(Region, contribution.region_id)
    if insert_into:
        if status is not ContributionStatus.ADOPTED:
            raise NotInsertable(insert_into)
        question = next(
            (q for q in insertable_questions(region, step) if q.id == insert_into), None
        )
        if question is None:
            raise NotInsertable(insert_into)
        answer = db.session.scalar(
            select(Answer).where(
                Answer.region_id == region.id,
                Answer.step_id == step.id,
                Answer.question_id == insert_into,
            )
        )
        before = answer.value if answer and isinstance(answer.value, str) else ""
        text = f"{before.rstrip()}\n\n{contribution.body.strip()}" if before else contribution.body
        text = text.strip()
        if len(text) > text_limit(question, max_length):
            raise InsertTooLong(len(text), text_limit(question, max_length))
        set_answer(region, step.id, insert_into, text, user)
        contribution.adopted_into = insert_into
    contribution.status = status
    contribution.reason = reason
    contribution.decided_by_id = user.id
    contribution.decided_at = utcnow()
    db.session.flush()
    activity.record(
        "contribution_decided",
        region,
        step=contribution.step_id,
        contribution=contribution.id,
        status=status.value,
        inserted_into=insert_into or None,
    )
    if contribution.author is not None:
        activity.notify(
            [contribution.author],
            "contribution_decided",
            _decision_message(status, LazyString(step_title, region, step.id)),
            region=region,
            link=link,
        )


def _decision_message(status: ContributionStatus, title: LazyString) -> LazyString:
    if status is ContributionStatus.ADOPTED:
        return _l("Your input on “%(step)s” was adopted into the draft.", step=title)
    if status is ContributionStatus.NOTED:
        return _l("Your input on “%(step)s” was noted by the team.", step=title)
    return _l("Your input on “%(step)s” was declined; the team gave a reason.", step=title)


# ------------------------------------------------------------------ counting

STATUS_LABELS = {
    ContributionStatus.PENDING: _l("Waiting for the team"),
    ContributionStatus.ADOPTED: _l("Adopted"),
    ContributionStatus.NOTED: _l("Noted"),
    ContributionStatus.DECLINED: _l("Declined"),
}


def status_label(status: ContributionStatus | str) -> str:
    return str(STATUS_LABELS[ContributionStatus(status)])


@dataclass(frozen=True)
class CategoryCount:
    value: str
    label: str
    received: int
    adopted: int


def category_labels(template: StrategyTemplate) -> dict[str, str]:
    return {o.value: o.label for o in template.stakeholder_categories}


def _label(labels: dict[str, str], value: str, unstated: str) -> str:
    return labels.get(value, value) if value else unstated


def participation(region: Region, template: StrategyTemplate, *, unstated: str) -> dict[str, Any]:
    """Counts by category and step, for the coordinator's overview."""
    rows = db.session.execute(
        select(Contribution.step_id, Contribution.category, Contribution.status).where(
            Contribution.region_id == region.id
        )
    ).all()
    labels = category_labels(template)
    by_cell: Counter[tuple[str, str]] = Counter()
    by_category: Counter[str] = Counter()
    by_step: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    for step_id, category, status in rows:
        by_cell[(category, step_id)] += 1
        by_category[category] += 1
        by_step[step_id] += 1
        by_status[ContributionStatus(status).value] += 1
    categories = [o.value for o in template.stakeholder_categories]
    extra = sorted({c for c in by_category if c not in labels}, key=lambda c: (c == "", c))
    return {
        "steps": [
            {"id": s.id, "number": n, "title": s.title, "total": by_step[s.id]}
            for n, s in enumerate(template.steps, start=1)
        ],
        "categories": [
            {
                "value": c,
                "label": _label(labels, c, unstated),
                "total": by_category[c],
                "cells": [by_cell[(c, s.id)] for s in template.steps],
            }
            for c in categories + extra
        ],
        "not_heard": [{"value": c, "label": labels[c]} for c in categories if by_category[c] == 0],
        "by_status": {s.value: by_status[s.value] for s in ContributionStatus},
        "total": len(rows),
    }


def consultation_record(
    region: Region,
    template: StrategyTemplate,
    *,
    unstated: str,
    contributions: list[Contribution] | None = None,
) -> dict[str, Any]:
    """Plain values for the document's annex. Organisations are named only where their
    input agreed to it; individuals are counted, and named only if they opted in.
    `contributions`: the region's (by default), or sample ones for checking a layout."""
    if contributions is None:
        contributions = region_contributions(region)
    labels = category_labels(template)
    per_step: dict[str, list[Contribution]] = defaultdict(list)
    for c in contributions:
        per_step[c.step_id].append(c)
    steps = []
    for number, step in enumerate(template.steps, start=1):
        items = per_step.get(step.id, [])
        if not items:
            continue
        received: Counter[str] = Counter(c.category for c in items)
        adopted: Counter[str] = Counter(
            c.category for c in items if c.status is ContributionStatus.ADOPTED
        )
        order = [o.value for o in template.stakeholder_categories]
        ordered = sorted(
            received, key=lambda v: (v not in order, order.index(v) if v in order else 0, v)
        )
        adopted_from = []
        for c in items:
            if c.status is ContributionStatus.ADOPTED:
                source = _public_source(c, labels, unstated)
                if source not in adopted_from:
                    adopted_from.append(source)
        steps.append(
            {
                "id": step.id,
                "number": number,
                "title": step.title,
                "received": len(items),
                "adopted": sum(adopted.values()),
                "categories": [
                    {
                        "label": _label(labels, value, unstated),
                        "received": received[value],
                        "adopted": adopted[value],
                    }
                    for value in ordered
                ],
                "adopted_from": adopted_from,
            }
        )
    shown: dict[str, str] = {}
    hidden: set[str] = set()
    for c in contributions:
        name = c.organisation.strip()
        if not name:
            continue
        if c.show_organisation:
            shown.setdefault(name, _label(labels, c.category, unstated))
        else:
            hidden.add(name)
    hidden -= set(shown)
    authors = {c.author_id for c in contributions if c.author_id is not None}
    named = sorted({c.author.name for c in contributions if c.show_name and c.author is not None})
    return {
        "total": len(contributions),
        "adopted": sum(1 for c in contributions if c.status is ContributionStatus.ADOPTED),
        "steps": steps,
        "organisations": [
            {"name": name, "category": category}
            for name, category in sorted(shown.items(), key=lambda kv: kv[0].casefold())
        ],
        "unnamed_organisations": len(hidden),
        "people": len(authors),
        "named_people": named,
    }


def _public_source(c: Contribution, labels: dict[str, str], unstated: str) -> str:
    if c.show_organisation and c.organisation.strip():
        return c.organisation.strip()
    return _label(labels, c.category, unstated)


# ------------------------------------------------------------------ export


def participation_export(
    region: Region, template: StrategyTemplate
) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of the participation CSV, one row per contribution, with the
    reader's labels for steps, categories and statuses."""
    labels = category_labels(template)
    numbers = {s.id: n for n, s in enumerate(template.steps, start=1)}
    header = [
        _("Step number"),
        _("Step"),
        _("Consultation question"),
        _("Stakeholder category"),
        _("Organisation"),
        _("Author"),
        _("Status"),
        _("Reason"),
        _("Written at"),
        _("Input"),
    ]
    rows = []
    for c in region_contributions(region):
        step = template.step(c.step_id)
        prompt = ""
        if step is not None and c.prompt_index is not None and c.prompt_index < len(step.prompts):
            prompt = step.prompts[c.prompt_index]
        rows.append(
            [
                numbers.get(c.step_id, ""),
                step.title if step else c.step_id,
                prompt or _("General remark"),
                _label(labels, c.category, _("No category given")),
                c.organisation,
                c.author.name if c.author else "",
                status_label(c.status),
                c.reason,
                c.created_at,
                c.body,
            ]
        )
    return header, rows


def consultation_annex(
    region: Region, template: StrategyTemplate, contributions: list[Contribution] | None = None
) -> dict[str, Any]:
    """The consultation record in the document's language, for the layout's context."""
    with force_locale(region.language or template.language):
        return consultation_record(
            region, template, unstated=_("No category given"), contributions=contributions
        )
