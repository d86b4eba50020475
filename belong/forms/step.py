"""Build a step's form from the template: a fresh class per request, never a shared one."""

from __future__ import annotations

from typing import Any

from wtforms import HiddenField

from belong.forms.base import BelongForm
from belong.questions.date import dates_in_order
from belong.templating.schema import Question, Step


def field_name(question: Question) -> str:
    return f"q_{question.id}"


def version_name(question: Question) -> str:
    return f"v_{question.id}"


class StepFormBase(BelongForm):
    step: Step

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return dates_in_order(self.step.questions, lambda q: self[field_name(q)]) and ok

    def question_fields(self):
        for question in self.step.questions:
            yield question, self[field_name(question)]

    def values(self) -> dict[str, Any]:
        """The stored value of each question as the user submitted it."""
        return {q.id: q.stored_value(field.data) for q, field in self.question_fields()}

    def base_versions(self) -> dict[str, int]:
        versions = {}
        for question in self.step.questions:
            raw = self[version_name(question)].data
            versions[question.id] = int(raw) if raw and str(raw).isdigit() else 0
        return versions


def build_step_form(
    step: Step,
    values: dict[str, Any],
    versions: dict[str, int],
    *,
    max_length: int,
    formdata=None,
    extra_rows: dict[str, int] | None = None,
) -> StepFormBase:
    attrs: dict[str, Any] = {"step": step}
    data: dict[str, Any] = {}
    for question in step.questions:
        field = question.form_field(max_length)
        data[field_name(question)] = question.form_value(values.get(question.id))
        question.size_field(
            field, data[field_name(question)], (extra_rows or {}).get(question.id, 0)
        )
        attrs[field_name(question)] = field
        attrs[version_name(question)] = HiddenField(default=str(versions.get(question.id, 0)))
    form_class = type(f"StepForm_{step.id}", (StepFormBase,), attrs)
    if formdata is not None:
        form = form_class(formdata=formdata)
        if extra_rows:
            for question in step.questions:
                question.add_rows(form[field_name(question)], extra_rows.get(question.id, 0))
        return form
    return form_class(formdata=None, data=data)
