from __future__ import annotations

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
from flask_login import current_user
from markupsafe import Markup

from belong import page_cache
from belong.access import Permission, can, region_access
from belong.document.display import display_answer, display_rows
from belong.document.markdown import render_markdown
from belong.extensions import db
from belong.forms.step import build_step_form
from belong.models import Region
from belong.services import activity, kept_forms, strategy_checks
from belong.services import answers as answer_service
from belong.services import comments as comment_service
from belong.services.area_sections import area_sections, headed
from belong.services.assessments import step_scores
from belong.services.errors import Conflict
from belong.services.progress import step_progress
from belong.templating.conditions import applicable_questions
from belong.templating.languages import answers_language_note
from belong.templating.registry import get_template
from belong.templating.schema import Step, StrategyTemplate
from belong.views.contributions import contribution_panel
from belong.views.markdown_preview import previewable
from belong.views.record_lists import record_lists

bp = Blueprint("steps", __name__, url_prefix="/r/<slug>/steps")


def _step_or_404(template: StrategyTemplate, step_id: str) -> Step:
    step = template.step(step_id)
    if step is None:
        abort(404)
    return step


def _neighbours(template: StrategyTemplate, step: Step) -> tuple[Step | None, Step | None]:
    index = template.steps.index(step)
    before = template.steps[index - 1] if index > 0 else None
    after = template.steps[index + 1] if index + 1 < len(template.steps) else None
    return before, after


def _step_content(
    region, template, step, form, answers, conflicts=None, kept=False, previews=None
) -> str:
    """The page's body: the form for editors, the draft for readers, input and comments.
    `kept`: the form holds text kept while signed out (kept until this form's save).
    `previews`: long texts shown rendered under their fields, by question id."""
    values = {qid: a.value for qid, a in answers.items()}
    readonly = [
        {
            "question": q,
            "html": display_answer(q, values.get(q.id)),
            "rows": display_rows(q, values.get(q.id)),
        }
        for q in (applicable_questions(step, values) if not can(Permission.EDIT_ANSWERS) else [])
    ]
    before, after = _neighbours(template, step)
    threads = can(Permission.VIEW_REVIEW)
    checks = strategy_checks.for_step(strategy_checks.region_checks(region, template), step.id)
    sections = area_sections(template, list(step.questions), values)
    readonly_sections = area_sections(template, readonly, values, lambda i: i["question"])
    return render_template(
        "steps/_content.html",
        panel=contribution_panel(region, step),
        step_threads=comment_service.open_threads_for_step(region, step.id) if threads else [],
        scores=step_scores(region, template, step),
        region=region,
        template=template,
        step=step,
        number=template.steps.index(step) + 1,
        form=form,
        shown=form.applicable() if form is not None else [],
        answers=answers,
        progress=step_progress(step, values),
        guidance=render_markdown(step.guidance),
        sections=sections,
        areas_index=headed(sections),
        readonly_sections=readonly_sections,
        before=before,
        after=after,
        conflicts=conflicts or [],
        kept=kept,
        previews=previews or {},
        answers_language=answers_language_note(region.language),
        checks=strategy_checks.ordered(checks),
        record_lists=record_lists(region, step.questions),
        whole=False,
    )


def _page(region, template, step, content) -> str:
    number = template.steps.index(step) + 1
    return render_template(
        "steps/step.html", region=region, step=step, number=number, content=content
    )


def render_step_page(
    region, template, step, form, answers, *, conflicts=None, status=200, kept=False, previews=None
):
    """The step page around a form: used for saves, errors, conflicts, recovered text and
    previews."""
    body = _step_content(region, template, step, form, answers, conflicts, kept, previews)
    content = Markup(body)  # noqa: S704
    return _page(region, template, step, content), status


@bp.route("/<step_id>", methods=["GET"])
@region_access(Permission.VIEW)
def show(region: Region, step_id: str):
    template = get_template(region.template_id).definition
    step = _step_or_404(template, step_id)

    def content() -> str:
        answers = answer_service.step_answers(region, step)
        extra = {request.args["add"]: 3} if request.args.get("add") else None
        form = build_step_form(
            step,
            {qid: a.value for qid, a in answers.items()},
            {qid: a.version for qid, a in answers.items()},
            max_length=current_app.config["MAX_ANSWER_LENGTH"],
            extra_rows=extra,
        )
        return _step_content(region, template, step, form, answers)

    return page_cache.page(
        region, "step", content, lambda body: _page(region, template, step, body)
    )


@bp.route("/<step_id>", methods=["POST"])
@region_access(Permission.EDIT_ANSWERS)
def save(region: Region, step_id: str):
    template = get_template(region.template_id).definition
    step = _step_or_404(template, step_id)
    answers = answer_service.step_answers(region, step)
    kept = bool(request.form.get(kept_forms.FIELD))  # sent from the page of kept text
    form = build_step_form(
        step, {}, {}, max_length=current_app.config["MAX_ANSWER_LENGTH"], formdata=request.form
    )
    action = request.form.get("action", "save")
    if action.startswith("preview:"):  # the Preview button without JavaScript: nothing saved
        return _preview_page(region, template, step, form, answers, action, kept)
    if not form.validate():
        return render_step_page(region, template, step, form, answers, status=422, kept=kept)
    try:
        saved = answer_service.save_step(
            region, step, form.values(), form.base_versions(), current_user
        )
    except Conflict as conflict:
        db.session.rollback()
        answers = answer_service.step_answers(region, step)
        for item in conflict.conflicts:  # a re-save now deliberately replaces their text
            form[f"v_{item.question_id}"].data = str(item.their_version)
        return render_step_page(
            region,
            template,
            step,
            form,
            answers,
            conflicts=conflict.conflicts,
            status=409,
            kept=kept,
        )
    if saved:
        activity.record("answers_saved", region, step=step.id, questions=saved)
    if kept:  # the text kept while signed out is saved now
        kept_forms.forget(request.cookies.get(kept_forms.COOKIE), region, step.id)
    db.session.commit()
    if saved or request.form.get("autosaved"):  # autosave.js may have saved it already
        flash(_("Your answers to this step are saved."), "success")
    else:
        flash(_("Nothing had changed, so nothing needed saving."), "info")
    if action.startswith("add_row:"):
        anchor = action.removeprefix("add_row:")
        return redirect(
            url_for(
                "steps.show", slug=region.slug, step_id=step.id, add=anchor, _anchor=f"q_{anchor}"
            )
        )
    if action == "continue":
        after = _neighbours(template, step)[1]
        if after is not None:
            return redirect(url_for("steps.show", slug=region.slug, step_id=after.id))
        return redirect(url_for("regions.home", slug=region.slug))
    return redirect(url_for("steps.show", slug=region.slug, step_id=step.id))


def _preview_page(region, template, step, form, answers, action, kept):
    """The step page again with the typed text kept in the form and one long text shown
    rendered under its field; the form's messages show, and nothing is saved."""
    question_id = action.removeprefix("preview:")
    if not previewable(step, question_id):
        abort(400)
    form.validate()
    g.unsaved_form = True  # autosave.js: the text in the form is not saved yet
    previews = {question_id: render_markdown(form[f"q_{question_id}"].data)}
    return render_step_page(region, template, step, form, answers, kept=kept, previews=previews)
