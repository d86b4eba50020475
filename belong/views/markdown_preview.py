"""The Preview of a long text on the step page: the text as the document shows it.

Rendered by the document's own Markdown renderer and sanitizer; nothing is saved."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request
from flask_babel import gettext as _
from flask_babel import ngettext

from belong.access import Permission, region_access
from belong.document.markdown import render_markdown
from belong.models import Region
from belong.templating.registry import get_template
from belong.templating.schema import Step

bp = Blueprint("markdown_preview", __name__, url_prefix="/r/<slug>/steps")


def previewable(step: Step, question_id: str) -> bool:
    """Only a step's long texts are Markdown, and only they offer a preview."""
    question = step.question(question_id)
    return question is not None and question.type == "long_text"


@bp.route("/<step_id>/preview", methods=["POST"])
@region_access(Permission.EDIT_ANSWERS)
def preview(region: Region, step_id: str):
    step = get_template(region.template_id).definition.step(step_id)
    question_id = request.form.get("question", "")
    if step is None:
        abort(404)
    if not previewable(step, question_id):
        return jsonify(status="invalid", message=_("This answer has no preview.")), 400
    text = request.form.get("text", "")
    limit = current_app.config["MAX_ANSWER_LENGTH"]
    if len(text) > limit:
        message = ngettext(
            "This text is too long to preview: at most %(num)s character.",
            "This text is too long to preview: at most %(num)s characters.",
            limit,
        )
        return jsonify(status="invalid", message=message), 422
    html = str(render_markdown(text))
    return jsonify(status="ok", html=html, empty=not html.strip())
