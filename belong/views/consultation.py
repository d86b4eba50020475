"""The team's side of a public consultation: open it on a submitted version, moderate the
comments of the public, close it, answer the comments, erase a sender's data on request."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from belong.access import Permission, region_access
from belong.extensions import db
from belong.forms.consultation import AnswerForm, HideForm, OpenConsultationForm
from belong.i18n import babel_locale
from belong.models import CommentResponse, Consultation, PublicComment, Region
from belong.services import consultations as service
from belong.services import versions
from belong.templating.registry import get_template
from belong.templating.schema import StrategyTemplate

bp = Blueprint("consultation", __name__, url_prefix="/r/<slug>/consultation")


def _definition(region: Region) -> StrategyTemplate:
    return get_template(region.template_id).definition


def _consultation_or_404(region: Region, consultation_id: int) -> Consultation:
    found = service.get_consultation(region, consultation_id)
    if found is None:
        abort(404)
    return found


def _comment_or_404(region: Region, comment_id: int) -> PublicComment:
    found = service.get_comment(region, comment_id)
    if found is None:
        abort(404)
    return found


def _show_url(region: Region, comment: PublicComment) -> str:
    return url_for(
        "consultation.show",
        slug=region.slug,
        consultation_id=comment.consultation_id,
        _anchor=f"comment-{comment.id}",
    )


@bp.route("")
@region_access(Permission.MODERATE_CONSULTATION)
def index(region: Region):
    return render_template(
        "consultation/index.html",
        region=region,
        consultations=service.consultations_of(region),
        pending=service.pending_consultation(region),
        has_versions=versions.latest_version(region) is not None,
        today=service.today(),
    )


DEFAULT_NOTICE = _l(
    "We keep your comment, and the name, organisation and category you choose to give, to "
    "prepare the strategy. The team of the region reads every comment; a comment is published "
    "on this page only if you agree. We do not keep your address or anything else about you. "
    "Write to the region's team to have your comment erased."
)


@bp.route("/new", methods=["GET", "POST"])
@region_access(Permission.RUN_CONSULTATION)
def open_new(region: Region):
    submitted = versions.versions_of(region)
    pending = service.pending_consultation(region)
    form = OpenConsultationForm()
    form.version.choices = [(str(v.number), versions.version_label(v.number)) for v in submitted]
    form.categories.choices = [
        (o.value, o.label) for o in _definition(region).stakeholder_categories
    ]
    if request.method == "GET":
        today = service.today()
        form.opens_on.data = today
        form.closes_on.data = today + timedelta(days=42)
        form.keep_personal_data_until.data = service.default_keep_until(today + timedelta(days=42))
        form.categories.data = [value for value, _label in form.categories.choices]
        with force_locale(babel_locale(region.language)):  # the public reads it
            form.privacy_notice.data = str(DEFAULT_NOTICE)
    status = 200
    if submitted and pending is None and form.validate_on_submit():
        version = versions.get_version(region, int(form.version.data))
        try:
            consultation = service.open_consultation(
                region,
                version,
                current_user,
                opens_on=form.opens_on.data,
                closes_on=form.closes_on.data,
                introduction=form.introduction.data or "",
                categories=form.categories.data or [],
                questions=form.question_list(),
                privacy_notice=form.privacy_notice.data or "",
                keep_personal_data_until=form.keep_personal_data_until.data,
                publish_names=bool(form.publish_names.data),
            )
        except service.AlreadyOpen:
            db.session.rollback()
            pending = service.pending_consultation(region)
            status = 409
        else:
            db.session.commit()
            flash(_("The consultation is set up. Its public page is linked below."), "success")
            return redirect(
                url_for("consultation.show", slug=region.slug, consultation_id=consultation.id)
            )
    elif request.method == "POST":
        status = 409 if pending is not None or not submitted else 422
    return render_template(
        "consultation/open.html",
        region=region,
        form=form,
        pending=pending,
        has_versions=bool(submitted),
    ), status


@bp.route("/<int:consultation_id>")
@region_access(Permission.MODERATE_CONSULTATION)
def show(region: Region, consultation_id: int):
    consultation = _consultation_or_404(region, consultation_id)
    state = request.args.get("state") or "pending"
    page = request.args.get("page", 1, type=int)
    listing = service.comment_page(consultation, state=state, page=page)
    definition = get_template(region.template_id).definition
    return render_template(
        "consultation/show.html",
        region=region,
        consultation=consultation,
        listing=listing,
        state=state,
        states=["pending", "published", "hidden", "all"],
        labels={o.value: o.label for o in definition.stakeholder_categories},
        changes=dict(service.question_choices(definition)),
        response_labels=service.RESPONSE_LABELS,
        is_open=consultation.is_open(service.today()),
        is_closed=consultation.is_closed(service.today()),
        hide_form=HideForm(formdata=None),
    )


@bp.route("/<int:consultation_id>/close", methods=["GET", "POST"])
@region_access(Permission.RUN_CONSULTATION)
def close(region: Region, consultation_id: int):
    """Close before the closing day, after a confirmation page."""
    consultation = _consultation_or_404(region, consultation_id)
    if request.method == "POST" and request.form.get("confirm") == "yes":
        service.close(consultation, current_user)
        db.session.commit()
        flash(_("The consultation is closed; it takes no more comments."), "success")
        return redirect(
            url_for("consultation.show", slug=region.slug, consultation_id=consultation.id)
        )
    return render_template(
        "consultation/close.html",
        region=region,
        consultation=consultation,
        is_closed=consultation.is_closed(service.today()),
    )


@bp.route("/comments/<int:public_comment_id>/moderate", methods=["POST"])
@region_access(Permission.MODERATE_CONSULTATION)
def moderate(region: Region, public_comment_id: int):
    comment = _comment_or_404(region, public_comment_id)
    publish = request.form.get("action") == "publish"
    form = HideForm()
    if not publish and not form.validate_on_submit():
        flash(_("Say why the comment is hidden; nothing was changed."), "error")
        return redirect(_show_url(region, comment))
    try:
        service.moderate(comment, current_user, publish=publish, reason=form.reason.data or "")
    except service.NoConsent:
        db.session.rollback()
        flash(_("Its sender did not agree to publication, so it stays unpublished."), "error")
    except service.ReasonRequired:
        db.session.rollback()
        flash(_("Say why the comment is hidden; nothing was changed."), "error")
    else:
        db.session.commit()
        flash(_("The comment is published.") if publish else _("The comment is hidden."), "success")
    return redirect(_show_url(region, comment))


@bp.route("/comments/<int:public_comment_id>/answer", methods=["GET", "POST"])
@region_access(Permission.MODERATE_CONSULTATION)
def answer(region: Region, public_comment_id: int):
    comment = _comment_or_404(region, public_comment_id)
    consultation = db.session.get(Consultation, comment.consultation_id)
    definition = _definition(region)
    form = AnswerForm()
    form.changed.choices = service.question_choices(definition)
    if request.method == "GET" and comment.response is not None:
        form.response.data = comment.response.value
        form.reason.data = comment.response_reason
        form.changed.data = list(comment.changed)
    closed = consultation.is_closed(service.today())
    status = 200
    if closed and form.validate_on_submit():
        service.answer(
            comment,
            current_user,
            response=CommentResponse(form.response.data),
            reason=form.reason.data or "",
            changed=form.changed.data or [],
            template=definition,
        )
        db.session.commit()
        flash(_("The answer is recorded; it is published with the comment."), "success")
        return redirect(_show_url(region, comment))
    if request.method == "POST":
        status = 409 if not closed else 422
    steps = []
    for number, step in enumerate(definition.steps, start=1):
        anchors = [f"{step.id}--{q.id}" for q in step.questions]
        steps.append((f"{number}. {step.title}", [o for o in form.changed if o.data in anchors]))
    return render_template(
        "consultation/answer.html",
        region=region,
        consultation=consultation,
        comment=comment,
        form=form,
        steps=steps,
        closed=closed,
        labels={o.value: o.label for o in definition.stakeholder_categories},
    ), status


@bp.route("/comments/<int:public_comment_id>/erase", methods=["GET", "POST"])
@region_access(Permission.RUN_CONSULTATION)
def erase(region: Region, public_comment_id: int):
    """Erase a sender's name, organisation and text at their request, after a confirmation."""
    comment = _comment_or_404(region, public_comment_id)
    if request.method == "POST" and request.form.get("confirm") == "yes":
        service.erase(comment, current_user)
        db.session.commit()
        flash(_("The comment's name, organisation and text are erased."), "success")
        return redirect(_show_url(region, comment))
    return render_template("consultation/erase.html", region=region, comment=comment)
