"""Stakeholder input: give it, edit it, consolidate it, and see who took part."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from belong.access import Permission, can, region_access
from belong.downloads import csv_download
from belong.extensions import db
from belong.formatting import format_whole
from belong.forms.contribution import ContributionForm, DecisionForm
from belong.models import Contribution, ContributionStatus, Region
from belong.services import consultations, mail
from belong.services import contributions as service
from belong.services.contributions import status_label
from belong.services.errors import NotAllowed
from belong.templating.registry import get_template
from belong.templating.schema import Step, StrategyTemplate

bp = Blueprint("contributions", __name__, url_prefix="/r/<slug>")


def _template(region: Region) -> StrategyTemplate:
    return get_template(region.template_id).definition


def _step_or_404(template: StrategyTemplate, step_id: str) -> Step:
    step = template.step(step_id)
    if step is None:
        abort(404)
    return step


def _contribution_or_404(region: Region, contribution_id: int) -> Contribution:
    contribution = service.get_contribution(region, contribution_id)
    if contribution is None:
        abort(404)
    return contribution


def _step_url(region: Region, step_id: str) -> str:
    return url_for("steps.show", slug=region.slug, step_id=step_id, _anchor="contributions")


def contribution_panel(region: Region, step: Step) -> dict[str, Any]:
    """What the step page's input panel shows, for the person looking at it."""
    template = _template(region)
    labels = service.category_labels(template)
    panel: dict[str, Any] = {
        "prompts": step.prompts,
        "labels": labels,
        "status_label": status_label,
        "form": None,
        "mine": [],
        "all": None,
    }
    if can(Permission.CONTRIBUTE):
        form = ContributionForm(formdata=None)
        form.set_prompts(step.prompts)
        form.prompt.data = "general"
        panel["form"] = form
        panel["mine"] = service.authored_by(region, current_user, step.id)
    if can(Permission.CONSOLIDATE):
        category = request.args.get("category")
        status = request.args.get("status")
        if category not in labels and category != "":
            category = None
        if status not in {s.value for s in ContributionStatus}:
            status = None
        shown = service.step_contributions(
            region,
            step.id,
            category=category,
            status=status,
            page=request.args.get("input_page", 1, type=int),
        )
        panel["all"] = shown.items
        panel["shown"] = shown
        panel["filter"] = {"category": category, "status": status}
        panel["statuses"] = [(s.value, status_label(s)) for s in ContributionStatus]
        panel["total"] = shown.total
    return panel


def _form_page(region, step, form, *, contribution=None, status=200, problem=None):
    return render_template(
        "contributions/form.html",
        region=region,
        step=step,
        form=form,
        contribution=contribution,
        problem=problem,
    ), status


@bp.route("/steps/<step_id>/input", methods=["GET", "POST"])
@region_access(Permission.CONTRIBUTE)
def new(region: Region, step_id: str):
    step = _step_or_404(_template(region), step_id)
    form = ContributionForm()
    form.set_prompts(step.prompts)
    if request.method == "GET" and form.prompt.data is None:
        requested = request.args.get("prompt", "general")
        form.prompt.data = requested if requested.isdigit() else "general"
    if form.validate_on_submit():
        service.add(
            region,
            step,
            current_user,
            g.membership,
            body=form.body.data.strip(),
            prompt_index=form.prompt_index(),
            show_organisation=form.show_organisation.data,
            show_name=form.show_name.data,
            link=_step_url(region, step.id),
        )
        db.session.commit()
        mail.send_queued()
        flash(_("Thank you. Your input is sent to the team."), "success")
        return redirect(_step_url(region, step.id))
    return _form_page(region, step, form, status=422 if form.errors else 200)


@bp.route("/input/<int:contribution_id>/edit", methods=["GET", "POST"])
@region_access(Permission.CONTRIBUTE)
def edit(region: Region, contribution_id: int):
    contribution = _contribution_or_404(region, contribution_id)
    if contribution.author_id != current_user.id:
        abort(403)
    step = _step_or_404(_template(region), contribution.step_id)
    form = ContributionForm()
    form.set_prompts(step.prompts)
    if request.method == "GET":
        form.body.data = contribution.body
        form.prompt.data = (
            str(contribution.prompt_index) if contribution.prompt_index is not None else "general"
        )
        form.show_organisation.data = contribution.show_organisation
        form.show_name.data = contribution.show_name
        form.version.data = str(contribution.version)
    if not contribution.editable:
        return _form_page(
            region,
            step,
            form,
            contribution=contribution,
            status=409 if request.method == "POST" else 200,
            problem=_("The team has adopted this input, so it can no longer be edited."),
        )
    if form.validate_on_submit():
        try:
            changed = service.edit(
                contribution,
                current_user,
                body=form.body.data.strip(),
                prompt_index=form.prompt_index(),
                step=step,
                show_organisation=form.show_organisation.data,
                show_name=form.show_name.data,
                seen_version=form.seen_version(),
            )
        except service.StaleContribution:
            db.session.rollback()
            return _form_page(
                region,
                step,
                form,
                contribution=contribution,
                status=409,
                problem=_(
                    "This input changed since you opened it (the team may have decided on it). "
                    "Your text is still below; check the current status, then save again."
                ),
            )
        db.session.commit()
        if changed:
            flash(_("Your input is updated."), "success")
        else:
            flash(_("Nothing had changed, so nothing needed saving."), "info")
        return redirect(_step_url(region, step.id))
    return _form_page(
        region, step, form, contribution=contribution, status=422 if form.errors else 200
    )


@bp.route("/input/<int:contribution_id>/decide", methods=["GET", "POST"])
@region_access(Permission.CONSOLIDATE)
def decide(region: Region, contribution_id: int):
    contribution = _contribution_or_404(region, contribution_id)
    step = _step_or_404(_template(region), contribution.step_id)
    form = DecisionForm()
    form.set_questions(service.insertable_questions(region, step))
    if request.method == "GET":
        form.version.data = str(contribution.version)
        form.reason.data = contribution.reason
    problem = None
    status = 200
    if form.validate_on_submit():
        try:
            service.decide(
                contribution,
                current_user,
                status=ContributionStatus(form.decision.data),
                step=step,
                reason=form.reason.data or "",
                insert_into=form.insert_into.data or None,
                seen_version=form.seen_version(),
                link=url_for("contributions.mine", slug=region.slug),
                max_length=current_app.config["MAX_ANSWER_LENGTH"],
            )
        except (NotAllowed, service.StaleContribution):
            db.session.rollback()
            problem = _(
                "This input has changed or was already decided since you opened it. "
                "Check its current state below."
            )
            status = 409
        except service.InsertTooLong as exc:
            db.session.rollback()
            form.insert_into.errors = [
                ngettext(
                    "With this input added, the answer would be %(length)s character long; "
                    "its limit is %(limit)s. Adopt it without inserting the text, or shorten "
                    "the answer first.",
                    "With this input added, the answer would be %(length)s characters long; "
                    "its limit is %(limit)s. Adopt it without inserting the text, or shorten "
                    "the answer first.",
                    exc.length,
                    length=format_whole(exc.length),
                    limit=format_whole(exc.limit),
                )
            ]
            status = 422
        except service.DomainError:
            db.session.rollback()
            form.insert_into.errors = [_("Choose one of the long-text answers of this step.")]
            status = 422
        else:
            db.session.commit()
            mail.send_queued()
            flash(_("The decision is recorded and the contributor is told."), "success")
            return redirect(_step_url(region, step.id))
    elif form.errors:
        status = 422
    template = _template(region)
    return render_template(
        "contributions/decide.html",
        region=region,
        step=step,
        form=form,
        contribution=contribution,
        labels=service.category_labels(template),
        status_label=status_label,
        allowed=service.TRANSITIONS[contribution.status],
        problem=problem,
    ), status


@bp.route("/input")
@region_access(Permission.CONTRIBUTE)
def mine(region: Region):
    """The stakeholder's view: where they can give input and what became of it."""
    template = _template(region)
    own = service.authored_by(region, current_user)
    by_step: dict[str, list[Contribution]] = {}
    for c in own:
        by_step.setdefault(c.step_id, []).append(c)
    return render_template(
        "contributions/mine.html",
        region=region,
        template=template,
        by_step=by_step,
        total=len(own),
        status_label=status_label,
    )


@bp.route("/participation")
@region_access(Permission.VIEW_PARTICIPATION)
def participation(region: Region):
    template = _template(region)
    overview = service.participation(region, template, unstated=_("No category given"))
    return render_template(
        "contributions/participation.html",
        region=region,
        overview=overview,
        public=consultations.public_record(region, template),
        status_label=status_label,
        statuses=list(ContributionStatus),
    )


@bp.route("/participation.csv")
@region_access(Permission.VIEW_PARTICIPATION)
def participation_csv(region: Region):
    """One row per contribution, with the reader's labels (belong/downloads.py)."""
    header, rows = service.participation_export(region, _template(region))
    return csv_download(header, rows, f"{region.name}-participation.csv")
