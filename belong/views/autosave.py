"""Autosave: the step form posted by script while typing, answered in JSON.

The same rule as the Save button (answers.save_step); an answer someone else changed is
never overwritten: it is reported, and the rest of the step is saved."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from belong.access import Permission, region_access
from belong.extensions import db
from belong.forms.step import build_step_form
from belong.models import Region
from belong.services import activity
from belong.services import answers as answer_service
from belong.templating.registry import get_template

bp = Blueprint("autosave", __name__, url_prefix="/r/<slug>/steps")


def field_errors(form) -> dict[str, list[str]]:
    """Every error of the form by the id of its input, rows and sub-fields included."""
    found: dict[str, list[str]] = {}

    def walk(field) -> None:
        if field.type == "FieldList":
            for entry in field.entries:
                walk(entry)
            messages = [str(e) for e in field.errors if isinstance(e, str)]
        elif field.type == "FormField":
            for sub in field.form:
                walk(sub)
            messages = []
        else:
            messages = [str(e) for e in field.errors]
        if messages:
            found[field.id] = messages

    for field in form:
        walk(field)
    return found


@bp.route("/<step_id>/autosave", methods=["POST"])
@region_access(Permission.EDIT_ANSWERS)
def save(region: Region, step_id: str):
    step = get_template(region.template_id).definition.step(step_id)
    if step is None:
        abort(404)
    form = build_step_form(
        step, {}, {}, max_length=current_app.config["MAX_ANSWER_LENGTH"], formdata=request.form
    )
    if not form.validate():
        return jsonify(
            status="invalid",
            message=_("Not saved: some answers need correcting (see the messages in the form)."),
            errors=field_errors(form),
        ), 422
    skip = {q for q in request.form.getlist("_skip") if step.question(q) is not None}
    saved, conflicts = answer_service.save_what_can_be_saved(
        region, step, form.values(), form.base_versions(), current_user, skip
    )
    if saved:
        activity.record("answers_saved", region, step=step.id, questions=saved, autosave=True)
    db.session.commit()
    current = answer_service.step_answers(region, step)
    body = {
        "status": "conflict" if conflicts else "saved",
        "saved": saved,
        "versions": {qid: current[qid].version for qid in saved if qid in current},
        "conflicts": [
            {
                "question": c.question_id,
                "label": step.question(c.question_id).label,
                "author": c.their_author,
                "version": c.their_version,
            }
            for c in conflicts
        ],
    }
    return jsonify(body), 409 if conflicts else 200
