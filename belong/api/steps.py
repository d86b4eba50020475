"""/api/v1/regions/<slug>/steps/<step_id>: a step's questions and their current answers."""

from __future__ import annotations

from flask import Blueprint, abort

from belong.access import Permission
from belong.api.auth import region_read
from belong.api.regions import step_item
from belong.api.schemas import AnswerItem, StepDetail
from belong.api.spec import api_spec, responses
from belong.models import Region
from belong.services import answers as answer_service
from belong.services.progress import step_progress
from belong.templating.conditions import applicable_questions
from belong.templating.registry import get_template

bp = Blueprint("steps", __name__)


@bp.get("/regions/<slug>/steps/<step_id>")
@api_spec.validate(resp=responses(HTTP_200=StepDetail), tags=["steps"])
@region_read(Permission.VIEW)
def show(region: Region, step_id: str):
    """A step with every question and its current answer"""
    step = get_template(region.template_id).definition.step(step_id)
    if step is None:
        abort(404)
    stored = answer_service.step_answers(region, step)
    values = {q.id: stored[q.id].value if q.id in stored else None for q in step.questions}
    applying = {q.id for q in applicable_questions(step, values)}
    progress = step_progress(step, values)
    answers = []
    for question in step.questions:
        value = values[question.id]
        answers.append(
            AnswerItem(
                question=question.id,
                type=question.type,
                label=question.label,
                required=question.required,
                applies=question.id in applying,
                answered=question.is_answered(value),
                value=value,
                text=question.readable_text(value),
                updated_at=stored[question.id].updated_at if question.id in stored else None,
            )
        )
    return StepDetail(**step_item(region, progress).model_dump(), answers=answers)
