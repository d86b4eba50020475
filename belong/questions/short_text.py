"""A line of text (stored as str): at most 500 characters unless the template says otherwise."""

from __future__ import annotations

from typing import Any, Literal

from markupsafe import Markup, escape
from pydantic import Field
from wtforms import StringField

from belong.forms.answer_checks import StorableText
from belong.questions.base import QuestionType
from belong.questions.common import clean_text, is_empty, text_limit, text_problem


class ShortText(QuestionType):
    type: Literal["short_text"]
    max_length: int | None = Field(default=None, gt=0)

    def form_field(self, max_length: int) -> Any:
        checks = [StorableText(text_limit(self, max_length))]
        return StringField(self.label, checks, description=self.hint)

    def stored_value(self, data: Any) -> Any:
        return clean_text(data, multiline=False)

    def form_value(self, value: Any) -> Any:
        return value

    def is_answered(self, value: Any) -> bool:
        return not is_empty(value)

    def cell_problem(self, value: Any, max_length: int) -> str | None:
        return text_problem(self, value, max_length)

    def value_problems(self, value: Any, max_length: int) -> list[str]:
        problem = self.cell_problem(value, max_length)
        return [problem] if problem else []

    def typical_value(self, row: int = 0, position: int = 0) -> Any:
        return f"Sample answer {row + 1}"[: getattr(self, "max_length", None) or 100]

    def cell_html(self, value: Any) -> Markup:
        return escape(value)

    def html(self, value: Any) -> Markup:
        return Markup("") if is_empty(value) else Markup(f"<p>{escape(value)}</p>")  # noqa: S704

    def plain_text(self, value: Any) -> str:
        return "" if is_empty(value) else str(value)

    def readable_text(self, value: Any) -> str:
        return "" if is_empty(value) else str(value)
