"""Step states and overall progress, derived from the answers (never stored)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from belong.forms.questions import is_answered
from belong.templating.conditions import applicable_questions
from belong.templating.schema import Step, StrategyTemplate


class StepState(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self])


STATE_LABELS = {
    StepState.NOT_STARTED: _l("Not started"),
    StepState.IN_PROGRESS: _l("In progress"),
    StepState.COMPLETED: _l("Completed"),
}


@dataclass(frozen=True)
class StepProgress:
    step: Step
    state: StepState
    answered: int
    missing_required: tuple[str, ...]


def step_progress(step: Step, values: dict[str, Any]) -> StepProgress:
    shown = applicable_questions(step, values)  # a hidden question is never missing
    answered = [q for q in shown if is_answered(q, values.get(q.id))]
    missing = tuple(q.id for q in shown if q.required and q not in answered)
    if not answered:
        state = StepState.NOT_STARTED
    elif missing:
        state = StepState.IN_PROGRESS
    else:
        state = StepState.COMPLETED
    return StepProgress(step, state, len(answered), missing)


def template_progress(
    template: StrategyTemplate, values: dict[tuple[str, str], Any]
) -> list[StepProgress]:
    return [
        step_progress(step, {q.id: values.get((step.id, q.id)) for q in step.questions})
        for step in template.steps
    ]


def percent_complete(progress: list[StepProgress]) -> int:
    if not progress:
        return 0
    done = sum(1 for p in progress if p.state is StepState.COMPLETED)
    return round(100 * done / len(progress))
