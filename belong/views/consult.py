"""The public consultation page: no account, no tracking, in the region's language. The
page itself sets no cookie; the comment form needs one, for its CSRF token only."""

from __future__ import annotations

from collections import defaultdict

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup

from belong.document import placement
from belong.document.outline import Outline, Part
from belong.extensions import db
from belong.forms.consultation import PublicCommentForm
from belong.i18n import babel_locale
from belong.models import Consultation, PublicComment, Region
from belong.services import consultations as service
from belong.services import mail, ratelimit
from belong.templating.registry import get_template

bp = Blueprint("consult", __name__)


def _found(slug: str) -> tuple[Region, Consultation]:
    found = service.public_consultation(slug)
    if found is None:
        abort(404)
    return found


def _locale(region: Region):
    return force_locale(babel_locale(region.language))


def _category_options(region: Region, consultation: Consultation) -> list[tuple[str, str]]:
    definition = get_template(region.template_id).in_language(region.language).definition
    labels = {o.value: o.label for o in definition.stakeholder_categories}
    return [(value, labels.get(value, value)) for value in consultation.categories]


def _messages() -> list[str]:
    """Flashed messages, read only when the visitor has a session (so the page itself never
    starts one)."""
    return get_flashed_messages() if "_flashes" in session else []


@bp.route("/consult/<slug>")
def page(slug: str):
    region, consultation = _found(slug)
    with _locale(region):
        outline = service.version_outline(region, consultation.version)
        published = service.published_comments(consultation)
        by_section: dict[str, list[PublicComment]] = defaultdict(list)
        by_question: dict[int, list[PublicComment]] = defaultdict(list)
        general: list[PublicComment] = []
        for comment in published:
            if comment.question_index is not None:
                by_question[comment.question_index].append(comment)
            elif comment.section:
                by_section[comment.section].append(comment)
            else:
                general.append(comment)
        is_open = consultation.is_open(service.today())
        definition = get_template(region.template_id).in_language(region.language).definition
        shared = {
            "region": region,
            "consultation": consultation,
            "is_open": is_open,
            "changes": dict(service.question_choices(definition)),
            "response_labels": service.RESPONSE_LABELS,
        }
        blocks = [
            (
                part.end,
                render_template(
                    "consult/_section.html",
                    part=part,
                    comments=by_section.get(part.id, []),
                    **shared,
                ),
            )
            for part in outline.parts
        ]
        return render_template(
            "consult/page.html",
            document=Markup(placement.insert(outline.body, blocks)),  # noqa: S704 - the layout's output
            by_question=by_question,
            general=general,
            published_count=len(published),
            is_closed=consultation.is_closed(service.today()),
            messages=_messages(),
            **shared,
        )


def _target(consultation: Consultation, outline: Outline, target: str):
    """(part, question index) that a comment target names; 404 for anything else."""
    if target == service.GENERAL:
        return None, None
    if target.startswith("q") and target[1:].isdigit():
        index = int(target[1:]) - 1
        if 0 <= index < len(consultation.questions):
            return None, index
        abort(404)
    part = outline.part(target)
    if part is None:
        abort(404)
    return part, None


@bp.route("/consult/<slug>/comment/<target>", methods=["GET", "POST"])
def comment(slug: str, target: str):
    region, consultation = _found(slug)
    with _locale(region):
        outline = service.version_outline(region, consultation.version)
        part, question = _target(consultation, outline, target)
        form = PublicCommentForm()
        form.set_categories(_category_options(region, consultation))
        status, problem = 200, None
        is_open = consultation.is_open(service.today())
        if request.method == "POST" and not is_open:
            status = 403
        elif form.validate_on_submit():
            problem, status = _receive(region, consultation, form, target, part, question)
            if problem is None:
                return redirect(
                    url_for("consult.page", slug=region.slug, _anchor=_anchor(part, question))
                )
        elif form.errors:
            status = 422
        return render_template(
            "consult/comment.html",
            region=region,
            consultation=consultation,
            form=form,
            part=part,
            question=question,
            target=target,
            is_open=is_open,
            problem=problem,
        ), status


def _anchor(part: Part | None, question: int | None) -> str:
    if part is not None:
        return f"comments-{part.id}"
    return f"question-{question + 1}" if question is not None else "general-comments"


def _receive(region, consultation, form, target, part, question) -> tuple[str | None, int]:
    """Store a valid comment unless the honeypot was filled or a limit is reached; returns
    the problem to show (None: stored) and the status."""
    if (form.website.data or "").strip():
        return _(
            "This form was filled in the way only automated programs fill it in, so nothing "
            "was kept. If you are a person, leave the last field empty and send it again."
        ), 400
    config = current_app.config
    limits = ratelimit.limiter()
    window = int(config["CONSULT_WINDOW_SECONDS"])
    address = ratelimit.client_address()
    if not limits.allow(
        "consult-address",
        f"{consultation.id}|{address}",
        int(config["CONSULT_COMMENTS_PER_ADDRESS"]),
        window,
    ) or not limits.allow(
        "consult", str(consultation.id), int(config["CONSULT_COMMENTS_PER_CONSULTATION"]), window
    ):
        return _(
            "Too many comments have come in from your connection or for this consultation in "
            "the last hour. Nothing was kept; please send your comment again later."
        ), 429
    try:
        service.add_comment(
            consultation,
            target=target,
            section_title=part.title if part else "",
            chapter=part.chapter_id if part else "",
            chapter_title=part.chapter_title if part else "",
            question_index=question,
            body=form.body.data or "",
            name=form.name.data or "",
            organisation=form.organisation.data or "",
            category=form.category.data or "",
            consent=bool(form.consent.data),
        )
    except service.NotOpen:
        db.session.rollback()
        return _("This consultation takes no comments now; nothing was kept."), 403
    service.tell_the_team(
        consultation,
        url_for(
            "consultation.show",
            slug=region.slug,
            consultation_id=consultation.id,
        ),
    )
    db.session.commit()
    mail.send_queued()
    flash(
        _(
            "Thank you. Your comment was received; the team reads every comment, and publishes "
            "those whose senders agreed once they have checked them."
        )
    )
    return None, 200
