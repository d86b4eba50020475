"""One of the options (stored as the option's value), shown as its label."""

from __future__ import annotations

from typing import Any, Literal

from markupsafe import Markup, escape
from pydantic import model_validator
from wtforms import RadioField

from belong.forms.answer_checks import ChoiceOf
from belong.questions.base import QuestionType
from belong.questions.common import (
    check_options,
    choices,
    is_empty,
    option_label,
    readable_label,
    word_problem,
)
from belong.templating.parts import Option


class SingleChoice(QuestionType):
    type: Literal["single_choice"]
    options: tuple[Option, ...] = ()

    @model_validator(mode="after")
    def _two_distinct_options(self) -> SingleChoice:
        check_options(self)
        return self

    def form_field(self, max_length: int) -> Any:
        return RadioField(
            self.label,
            [ChoiceOf({o.value for o in self.options})],
            choices=choices(self.options),
            validate_choice=False,
            description=self.hint,
        )

    def stored_value(self, data: Any) -> Any:
        return data or None

    def form_value(self, value: Any) -> Any:
        return value

    def is_answered(self, value: Any) -> bool:
        return not is_empty(value)

    def cell_problem(self, value: Any, max_length: int) -> str | None:
        return word_problem(value)

    def value_problems(self, value: Any, max_length: int) -> list[str]:
        problem = self.cell_problem(value, max_length)
        return [problem] if problem else []

    def typical_value(self, row: int = 0, position: int = 0) -> Any:
        return self.options[row % len(self.options)].value

    def cell_html(self, value: Any) -> Markup:
        return escape(option_label(self.options, value))

    def html(self, value: Any) -> Markup:
        return Markup("") if is_empty(value) else Markup(f"<p>{self.cell_html(value)}</p>")  # noqa: S704

    def plain_text(self, value: Any) -> str:
        return "" if is_empty(value) else option_label(self.options, value)

    def readable_text(self, value: Any) -> str:
        if is_empty(value):
            return ""
        return readable_label(self.options, value) if isinstance(value, str) else str(value)
