"""A question's saved texts, and restoring an earlier one (a new save, never a rewrite)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from belong.access import Permission, region_access
from belong.extensions import db
from belong.models import Region
from belong.services import activity
from belong.services import history as history_service
from belong.services.errors import Conflict
from belong.templating.registry import get_template
from belong.templating.schema import Question, Step

bp = Blueprint("history", __name__, url_prefix="/r/<slug>/steps/<step_id>/<question_id>")


def _step_and_question(region: Region, step_id: str, question_id: str) -> tuple[Step, Question]:
    step = get_template(region.template_id).definition.step(step_id)
    question = step.question(question_id) if step is not None else None
    if question is None:
        abort(404)
    return step, question


@bp.route("/history")
@region_access(Permission.VIEW)
def show(region: Region, step_id: str, question_id: str):
    step, question = _step_and_question(region, step_id, question_id)
    history = history_service.question_history(region, step, question)
    return render_template(
        "history/question.html",
        region=region,
        step=step,
        question=question,
        history=history,
        as_text=history_service.as_text,
    )


def _revision(region: Region, step: Step, question: Question, revision_id: int):
    history = history_service.question_history(region, step, question)
    try:
        return history, history_service.revision_of(history, revision_id)
    except history_service.RevisionNotFound:
        abort(404)


@bp.route("/history/<int:revision_id>/restore", methods=["GET"])
@region_access(Permission.EDIT_ANSWERS)
def confirm_restore(region: Region, step_id: str, question_id: str, revision_id: int):
    step, question = _step_and_question(region, step_id, question_id)
    history, revision = _revision(region, step, question, revision_id)
    return _confirm_page(region, step, question, history, revision)


def _confirm_page(region, step, question, history, revision, *, conflict=False, status=200):
    return render_template(
        "history/restore.html",
        region=region,
        step=step,
        question=question,
        history=history,
        revision=revision,
        as_text=history_service.as_text,
        conflict=conflict,
    ), status


@bp.route("/history/<int:revision_id>/restore", methods=["POST"])
@region_access(Permission.EDIT_ANSWERS)
def restore(region: Region, step_id: str, question_id: str, revision_id: int):
    step, question = _step_and_question(region, step_id, question_id)
    history, revision = _revision(region, step, question, revision_id)
    raw = request.form.get("base_version", "")
    base_version = int(raw) if raw.isdigit() else -1
    try:
        saved = history_service.restore(
            region, step, question, revision, base_version, current_user
        )
    except Conflict:
        db.session.rollback()
        history, revision = _revision(region, step, question, revision_id)
        return _confirm_page(region, step, question, history, revision, conflict=True, status=409)
    if saved:
        activity.record(
            "answer_restored",
            region,
            step=step.id,
            question=question.id,
            from_version=revision.version,
        )
        db.session.commit()
        flash(
            _(
                "The text of version %(n)s is the current answer again; "
                "the replaced text stays in the history.",
                n=revision.version,
            ),
            "success",
        )
    else:
        flash(_("That text is already the current answer; nothing changed."), "info")
    return redirect(
        url_for("steps.show", slug=region.slug, step_id=step.id, _anchor=f"q-{question.id}")
    )


@bp.app_template_global("answer_text")
def answer_text(question: Question, value) -> str:
    """For the conflict block on step pages: an answer as text a person can merge."""
    return history_service.as_text(question, value)
