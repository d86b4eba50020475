"""Build a step's form from the template: a fresh class per request, never a shared one."""

from __future__ import annotations

from typing import Any

from wtforms import HiddenField

from belong.forms.base import BelongForm
from belong.questions.date import dates_in_order
from belong.templating.conditions import applicable_questions
from belong.templating.schema import Question, Step


def field_name(question: Question) -> str:
    return f"q_{question.id}"


def version_name(question: Question) -> str:
    return f"v_{question.id}"


class StepFormBase(BelongForm):
    step: Step

    def validate(self, extra_validators=None) -> bool:
        """Check the fields of the questions that apply; a hidden question is never
        required and never checked (its stored answer is kept, see values)."""
        hidden = {field_name(q) for q in self.step.questions if q not in self.applicable()}
        ok = True
        for name, field in self._fields.items():
            extra = (extra_validators or {}).get(name, ())
            if name not in hidden and not field.validate(self, extra):
                ok = False
        shown = [q for q in self.step.questions if field_name(q) not in hidden]
        return dates_in_order(shown, lambda q: self[field_name(q)]) and ok

    def submitted(self) -> dict[str, Any]:
        """The stored value of every question of the step as the form holds it."""
        return {
            q.id: q.stored_value(self[field_name(q)].data)
            for q in self.step.questions
            if q.stores_answer
        }

    def applicable(self) -> list[Question]:
        """The questions that apply for the answers in the form."""
        return applicable_questions(self.step, self.submitted())

    def question_fields(self):
        for question in self.step.questions:
            yield question, self[field_name(question)]

    def values(self) -> dict[str, Any]:
        """The stored value of each applying question as the user submitted it; a question
        that does not apply is left out, so its stored answer is kept."""
        submitted = self.submitted()
        applicable = applicable_questions(self.step, submitted)
        return {q.id: submitted[q.id] for q in applicable if q.id in submitted}

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
