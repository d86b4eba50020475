"""Any of the options (stored as a list of values in the options' order)."""

from __future__ import annotations

from typing import Any, Literal

from markupsafe import Markup, escape
from pydantic import model_validator
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

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


class MultipleChoice(QuestionType):
    type: Literal["multiple_choice"]
    options: tuple[Option, ...] = ()

    @model_validator(mode="after")
    def _two_distinct_options(self) -> MultipleChoice:
        check_options(self)
        return self

    def form_field(self, max_length: int) -> Any:
        return SelectMultipleField(
            self.label,
            choices=choices(self.options),
            widget=ListWidget(prefix_label=False),
            option_widget=CheckboxInput(),
            description=self.hint,
        )

    def stored_value(self, data: Any) -> Any:
        return [v for v in (o.value for o in self.options) if v in (data or [])] or None

    def form_value(self, value: Any) -> Any:
        return value or []

    def is_answered(self, value: Any) -> bool:
        return not is_empty(value)

    def value_problems(self, value: Any, max_length: int) -> list[str]:
        items = value if isinstance(value, list) else [value]
        return [p for v in items if (p := word_problem(v))][:1]

    def typical_value(self, row: int = 0, position: int = 0) -> Any:
        return [o.value for o in self.options]

    def html(self, value: Any) -> Markup:
        if is_empty(value):
            return Markup("")
        items = "".join(f"<li>{escape(option_label(self.options, v))}</li>" for v in value)
        return Markup(f"<ul>{items}</ul>")  # noqa: S704 - escaped parts

    def plain_text(self, value: Any) -> str:
        if is_empty(value):
            return ""
        return ", ".join(option_label(self.options, v) for v in value)

    def readable_text(self, value: Any) -> str:
        if is_empty(value):
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, list):
            return ", ".join(readable_label(self.options, v) for v in value)
        return str(value)
