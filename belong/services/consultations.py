"""Public consultation on a submitted version: opening and closing it, the comments of the
public (received, moderated, answered, erased), and what the document reports of it."""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from belong.document.outline import Outline, outline
from belong.extensions import db
from belong.formatting import format_day
from belong.i18n import babel_locale
from belong.models import (
    CommentResponse,
    Consultation,
    DraftVersion,
    Moderation,
    PublicComment,
    Region,
    Role,
    User,
)
from belong.models.base import utcnow
from belong.services import activity
from belong.services.errors import DomainError, NotAllowed
from belong.services.paging import page_bounds
from belong.templating.schema import StrategyTemplate

COMMENTS_PER_PAGE = 20
# The team's answer as the public page says it ("you said, we did").
RESPONSE_LABELS = {
    CommentResponse.ADOPTED.value: _l("We adopted it."),
    CommentResponse.NOTED.value: _l("We noted it."),
    CommentResponse.DECLINED.value: _l("We declined it."),
}
GENERAL = "general"  # the target of a comment on the draft as a whole


class AlreadyOpen(DomainError):
    """The region has a consultation that is open or yet to open."""


class NotOpen(DomainError):
    """The consultation takes no comments (not yet open, or closed)."""


class NotClosed(DomainError):
    """Comments are answered once the consultation has closed."""


def today() -> date:
    return date.today()


# ------------------------------------------------------------------ finding


def consultations_of(region: Region) -> list[Consultation]:
    return list(
        db.session.scalars(
            select(Consultation)
            .where(Consultation.region_id == region.id)
            .options(selectinload(Consultation.version))
            .order_by(Consultation.id.desc())
        )
    )


def get_consultation(region: Region, consultation_id: int) -> Consultation | None:
    """Only a consultation of this region: another region's ids are not found."""
    return db.session.scalar(
        select(Consultation).where(
            Consultation.id == consultation_id, Consultation.region_id == region.id
        )
    )


def get_comment(region: Region, comment_id: int) -> PublicComment | None:
    return db.session.scalar(
        select(PublicComment).where(
            PublicComment.id == comment_id, PublicComment.region_id == region.id
        )
    )


def pending_consultation(region: Region) -> Consultation | None:
    """The consultation that is open or yet to open, if any (there is at most one)."""
    return next((c for c in consultations_of(region) if not c.is_closed(today())), None)


def public_consultation(slug: str) -> tuple[Region, Consultation] | None:
    """The consultation the public page shows: the region's latest that has opened."""
    region = db.session.scalar(select(Region).where(Region.slug == slug))
    if region is None:
        return None
    found = next((c for c in consultations_of(region) if c.has_opened(today())), None)
    return None if found is None else (region, found)


# ------------------------------------------------------------------ the coordinator


def open_consultation(
    region: Region,
    version: DraftVersion,
    user: User,
    *,
    opens_on: date,
    closes_on: date,
    introduction: str,
    categories: list[str],
    questions: list[str],
    privacy_notice: str,
    keep_personal_data_until: date,
    publish_names: bool,
) -> Consultation:
    """One consultation open (or yet to open) per region at a time: the region's row is
    locked while this is checked, so two coordinators opening at once cannot both succeed."""
    db.session.scalars(select(Region.id).where(Region.id == region.id).with_for_update()).one()
    if version.region_id != region.id:
        raise NotAllowed("the version is another region's")
    if pending_consultation(region) is not None:
        raise AlreadyOpen(region.slug)
    consultation = Consultation(
        region_id=region.id,
        version_id=version.id,
        opens_on=opens_on,
        closes_on=closes_on,
        introduction=introduction.strip(),
        categories=list(categories),
        questions=[q.strip() for q in questions if q.strip()],
        privacy_notice=privacy_notice.strip(),
        keep_personal_data_until=keep_personal_data_until,
        publish_names=publish_names,
        opened_by_id=user.id,
        opened_at=utcnow(),
    )
    db.session.add(consultation)
    db.session.flush()
    activity.record(
        "consultation_opened",
        region,
        user,
        consultation=consultation.id,
        version=version.number,
        opens_on=opens_on.isoformat(),
        closes_on=closes_on.isoformat(),
    )
    return consultation


def close(consultation: Consultation, user: User) -> None:
    """Close before the closing date (after it, a consultation is closed anyway)."""
    if consultation.is_closed(today()):
        return
    consultation.closed_at = utcnow()
    consultation.closed_by_id = user.id
    db.session.flush()
    region = db.session.get(Region, consultation.region_id)
    activity.record("consultation_closed", region, user, consultation=consultation.id)


# ------------------------------------------------------------------ the public


def add_comment(
    consultation: Consultation,
    *,
    target: str,
    section_title: str = "",
    chapter: str = "",
    chapter_title: str = "",
    question_index: int | None = None,
    body: str,
    name: str = "",
    organisation: str = "",
    category: str = "",
    consent: bool = False,
) -> PublicComment:
    """A comment of the public; it waits for the team's moderation before it is shown."""
    if not consultation.is_open(today()):
        raise NotOpen(consultation.id)
    if category and category not in consultation.categories:
        category = ""
    comment = PublicComment(
        region_id=consultation.region_id,
        consultation_id=consultation.id,
        section="" if question_index is not None or target == GENERAL else target,
        section_title=section_title[:300],
        chapter=chapter[:120],
        chapter_title=chapter_title[:300],
        question_index=question_index,
        body=body.strip(),
        name=name.strip(),
        organisation=organisation.strip(),
        category=category,
        consent=consent,
        moderation=Moderation.PENDING,
        hidden_reason="",
        response_reason="",
        changed=[],
    )
    db.session.add(comment)
    db.session.flush()
    return comment


def tell_the_team(consultation: Consultation, link: str) -> None:
    """The coordinators and editors hear of new comments of the public: one unread
    notification per person that counts up, so a hundred comments are not a hundred mails."""
    from belong.services.versions import members_with  # versions -> documents -> here

    region = db.session.get(Region, consultation.region_id)
    activity.notify_grouped(
        members_with(region, Role.COORDINATOR, Role.EDITOR),
        "public_comment_received",
        f"consultation:{consultation.id}",
        lambda count: ngettext(
            "%(num)d new comment of the public to moderate in %(region)s.",
            "%(num)d new comments of the public to moderate in %(region)s.",
            count,
            region=region.name,
        ),
        region=region,
        link=link,
    )


def published_comments(consultation: Consultation) -> list[PublicComment]:
    return list(
        db.session.scalars(
            select(PublicComment)
            .where(
                PublicComment.consultation_id == consultation.id,
                PublicComment.moderation == Moderation.PUBLISHED,
            )
            .order_by(PublicComment.id)
        )
    )


# ------------------------------------------------------------------ the team


@dataclass(frozen=True)
class CommentPage:
    items: list[PublicComment]
    counts: dict[str, int]  # by moderation state, and "all"
    page: int
    pages: int


def comment_page(
    consultation: Consultation, *, state: str | None = None, page: int = 1
) -> CommentPage:
    """The moderation queue, oldest first, a page at a time (filtered by state)."""
    of = PublicComment.consultation_id == consultation.id
    rows = db.session.execute(
        select(PublicComment.moderation, func.count()).where(of).group_by(PublicComment.moderation)
    ).all()
    counts = {m.value: 0 for m in Moderation}
    for moderation, count in rows:
        counts[Moderation(moderation).value] = count
    counts["all"] = sum(counts.values())
    filters = [of]
    if state in counts and state != "all":
        filters.append(PublicComment.moderation == Moderation(state))
    matching = counts.get(state or "all", counts["all"]) if state in counts else counts["all"]
    page, pages = page_bounds(page, matching, COMMENTS_PER_PAGE)
    items = db.session.scalars(
        select(PublicComment)
        .where(*filters)
        .order_by(PublicComment.id)
        .limit(COMMENTS_PER_PAGE)
        .offset((page - 1) * COMMENTS_PER_PAGE)
    )
    return CommentPage(list(items), counts, page, pages)


class ReasonRequired(DomainError):
    pass


class NoConsent(DomainError):
    """The sender did not agree to their comment being published."""


def moderate(comment: PublicComment, user: User, *, publish: bool, reason: str = "") -> None:
    """Publish a comment (only with its sender's consent) or hide it, with a reason."""
    reason = reason.strip()
    if publish and (not comment.consent or comment.erased_at is not None):
        raise NoConsent(comment.id)
    if not publish and not reason:
        raise ReasonRequired("a hidden comment needs a reason")
    comment.moderation = Moderation.PUBLISHED if publish else Moderation.HIDDEN
    comment.hidden_reason = "" if publish else reason
    comment.moderated_by_id = user.id
    comment.moderated_at = utcnow()
    db.session.flush()
    activity.record(
        "public_comment_published" if publish else "public_comment_hidden",
        db.session.get(Region, comment.region_id),
        user,
        consultation=comment.consultation_id,
        comment=comment.id,
        reason=reason or None,
    )


def answer(
    comment: PublicComment,
    user: User,
    *,
    response: CommentResponse,
    reason: str,
    changed: list[str],
    template: StrategyTemplate,
) -> None:
    """The team's answer once the consultation closed: adopted, noted or declined, with a
    reason, and the answers of the strategy it changed."""
    consultation = db.session.get(Consultation, comment.consultation_id)
    if not consultation.is_closed(today()):
        raise NotClosed(consultation.id)
    reason = reason.strip()
    if not reason:
        raise ReasonRequired("an answer needs a reason")
    known = {anchor for anchor, _label in question_choices(template)}
    comment.response = response
    comment.response_reason = reason
    comment.changed = [anchor for anchor in changed if anchor in known]
    comment.answered_by_id = user.id
    comment.answered_at = utcnow()
    db.session.flush()
    activity.record(
        "public_comment_answered",
        db.session.get(Region, comment.region_id),
        user,
        consultation=comment.consultation_id,
        comment=comment.id,
        response=response.value,
    )


def erase(comment: PublicComment, user: User) -> None:
    """On its sender's request: their name, organisation and text go for good; the comment
    is no longer shown, and is still counted (category, section, the team's answer)."""
    comment.name = ""
    comment.organisation = ""
    comment.body = ""
    comment.consent = False
    if comment.moderation is Moderation.PUBLISHED:
        comment.moderation = Moderation.HIDDEN
        comment.hidden_reason = _("Erased at the sender's request.")
    comment.erased_at = utcnow()
    db.session.flush()
    activity.record(
        "public_comment_erased",
        db.session.get(Region, comment.region_id),
        user,
        consultation=comment.consultation_id,
        comment=comment.id,
    )


def erase_expired(on: date | None = None) -> int:
    """Names and organisations of the consultations whose notice said they are kept until
    a day now past; returns how many comments were touched (`flask erase-consultation-data`)."""
    on = on or today()
    expired = list(
        db.session.scalars(
            select(Consultation).where(
                Consultation.keep_personal_data_until < on,
                Consultation.personal_data_erased_at.is_(None),
            )
        )
    )
    touched = 0
    for consultation in expired:
        for comment in db.session.scalars(
            select(PublicComment).where(PublicComment.consultation_id == consultation.id)
        ):
            if comment.name or comment.organisation:
                comment.name, comment.organisation = "", ""
                touched += 1
        consultation.personal_data_erased_at = utcnow()
        activity.record(
            "consultation_data_erased",
            db.session.get(Region, consultation.region_id),
            consultation=consultation.id,
        )
    db.session.flush()
    return touched


def question_choices(template: StrategyTemplate) -> list[tuple[str, str]]:
    """Every answer of the strategy a comment can have changed: (anchor, "5. Step – label")."""
    return [
        (f"{step.id}--{question.id}", f"{number}. {step.title} – {question.label}")
        for number, step in enumerate(template.steps, start=1)
        for question in step.questions
    ]


def default_keep_until(closes_on: date) -> date:
    return closes_on + timedelta(days=180)


# ------------------------------------------------------------------ the document


# Outlines of consulted versions, kept in this process: a version never changes, and its
# document takes most of a second to assemble. The key names everything else it shows.
_OUTLINES: OrderedDict[tuple, Outline] = OrderedDict()
_OUTLINES_KEPT = 8
_OUTLINES_LOCK = threading.Lock()


def version_outline(region: Region, version: DraftVersion) -> Outline:
    """The consulted version's document, read into chapters and sections: assembled by the
    one path every document takes (belong/services/documents.py)."""
    from belong.services import documents, pdf_cache  # documents -> contributions -> here
    from belong.services.versions import edition_of
    from belong.templating.registry import get_template

    template = get_template(version.template_id)
    key = (
        version.id,
        version.submitted_at.isoformat(),
        region.name,
        region.country,
        region.period,
        region.language,
        pdf_cache.template_digest(template).hex(),
    )
    with _OUTLINES_LOCK:
        if key in _OUTLINES:
            _OUTLINES.move_to_end(key)
            return _OUTLINES[key]
    edition = edition_of(version, documents.Purpose.VERSION)
    html = documents.document_html(region, template, edition, asset_url=lambda name: f"#{name}")
    found = outline(html)
    with _OUTLINES_LOCK:
        _OUTLINES[key] = found
        while len(_OUTLINES) > _OUTLINES_KEPT:
            _OUTLINES.popitem(last=False)
    return found


def _label(labels: dict[str, str], value: str, unstated: str) -> str:
    return labels.get(value, value) if value else unstated


def public_record(region: Region, template: StrategyTemplate) -> dict[str, Any] | None:
    """What the consultation record annex reports of the region's latest consultation of
    the public (plain values, in the document's language), or None if it had none."""
    found = next((c for c in consultations_of(region) if c.has_opened(today())), None)
    if found is None:
        return None
    return consultation_summary(region, found, template)


def consultation_summary(
    region: Region,
    consultation: Consultation,
    template: StrategyTemplate,
    comments: list[PublicComment] | None = None,
) -> dict[str, Any]:
    if comments is None:
        comments = list(
            db.session.scalars(
                select(PublicComment)
                .where(PublicComment.consultation_id == consultation.id)
                .order_by(PublicComment.id)
            )
        )
    unstated = _("No category given")
    labels = {o.value: o.label for o in template.stakeholder_categories}
    by_category: Counter[str] = Counter(c.category for c in comments)
    order = [o.value for o in template.stakeholder_categories]
    categories = sorted(
        by_category, key=lambda v: (v not in order, order.index(v) if v in order else 0, v)
    )
    version = db.session.get(DraftVersion, consultation.version_id)
    # Chapter titles as the consulted document reads in today's language (a comment keeps
    # the title it was written under, for a chapter the layout no longer has).
    titles = {}
    if comments and version is not None:
        titles = {p.chapter_id: p.chapter_title for p in version_outline(region, version).parts}
    chapters: dict[str, dict[str, Any]] = {}
    for c in comments:
        if c.question_index is not None or not c.section:
            key, title = "", _("General questions and comments")
        else:
            key, title = c.chapter, titles.get(c.chapter, c.chapter_title)
        entry = chapters.setdefault(key, {"title": title, "received": 0, "answered": 0})
        entry["received"] += 1
        entry["answered"] += c.response is not None
    responses: Counter[str] = Counter(c.response.value for c in comments if c.response)
    choices = dict(question_choices(template))
    changed: Counter[str] = Counter(
        a for c in comments if c.response is CommentResponse.ADOPTED for a in c.changed
    )
    closed_on = (
        consultation.closed_at.date()
        if consultation.closed_at is not None
        else consultation.closes_on
    )
    return {
        "version_label": _("Version %(n)s", n=version.number) if version else "",
        "opens_on": format_day(consultation.opens_on),
        "closes_on": format_day(min(closed_on, consultation.closes_on)),
        "closed": consultation.is_closed(today()),
        "received": len(comments),
        "published": sum(1 for c in comments if c.moderation is Moderation.PUBLISHED),
        "categories": [
            {"label": _label(labels, v, unstated), "received": by_category[v]} for v in categories
        ],
        "chapters": list(chapters.values()),
        "adopted": responses[CommentResponse.ADOPTED.value],
        "noted": responses[CommentResponse.NOTED.value],
        "declined": responses[CommentResponse.DECLINED.value],
        "unanswered": sum(1 for c in comments if c.response is None),
        "changes": [
            {"answer": choices[anchor], "comments": count}
            for anchor, count in sorted(changed.items(), key=lambda kv: list(choices).index(kv[0]))
            if anchor in choices
        ],
        "compared": comparison(region, version, template),
    }


def comparison(
    region: Region, version: DraftVersion | None, template: StrategyTemplate
) -> dict[str, Any] | None:
    """The steps whose answers differ between the consulted version and the next one (or
    the answers of the document being made, while there is no later version)."""
    from belong.services.compare import compare
    from belong.services.regions import answer_values

    if version is None:
        return None
    later = db.session.scalar(
        select(DraftVersion)
        .where(DraftVersion.region_id == region.id, DraftVersion.number > version.number)
        .order_by(DraftVersion.number)
        .limit(1)
    )
    if later is not None:
        newer, label = later.values(), _("Version %(n)s", n=later.number)
    else:  # the document being made: the draft, or a version as it is submitted
        newer, label = answer_values([region.id])[region.id], _("this document")
    steps = compare(template, version.values(), newer)
    return {
        "against": label,
        "steps": [f"{s.number}. {s.title}" for s in steps if s.changed],
    }


def annex_with_public_record(
    record: dict[str, Any], region: Region, template: StrategyTemplate
) -> dict[str, Any]:
    """The consultation record of the document with the public consultation added."""
    with force_locale(babel_locale(region.language or template.language)):
        public = public_record(region, template)
    return {**record, "public": public}


def sample_public_record() -> dict[str, Any]:
    """A consultation of the public as the annex receives it, for checking a layout."""
    return {
        "version_label": "Version 1",
        "opens_on": "1 March 2026",
        "closes_on": "12 April 2026",
        "closed": True,
        "received": 3,
        "published": 2,
        "categories": [{"label": "NGO", "received": 2}, {"label": "Resident", "received": 1}],
        "chapters": [{"title": "1 Introduction", "received": 3, "answered": 3}],
        "adopted": 1,
        "noted": 1,
        "declined": 1,
        "unanswered": 0,
        "changes": [{"answer": "1. Mandate – Legal competences", "comments": 1}],
        "compared": {"against": "Version 2", "steps": ["1. Mandate"]},
    }
