"""Paragraphs of Markdown (stored as str, trailing spaces taken off)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from markupsafe import Markup
from pydantic import Field
from wtforms import TextAreaField

from belong.document.markdown import render_markdown
from belong.forms.answer_checks import StorableText
from belong.questions.base import QuestionType
from belong.questions.common import SAMPLE_MARKDOWN, clean_text, is_empty, text_limit, text_problem


class LongText(QuestionType):
    type: Literal["long_text"]
    max_length: int | None = Field(default=None, gt=0)

    takes_inserted_text: ClassVar[bool] = True

    def form_field(self, max_length: int) -> Any:
        checks = [StorableText(text_limit(self, max_length))]
        return TextAreaField(self.label, checks, description=self.hint)

    def stored_value(self, data: Any) -> Any:
        return clean_text(data, multiline=True)

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
        return SAMPLE_MARKDOWN

    def cell_html(self, value: Any) -> Markup:
        return render_markdown(value)

    def html(self, value: Any) -> Markup:
        return Markup("") if is_empty(value) else render_markdown(value)

    def plain_text(self, value: Any) -> str:
        return "" if is_empty(value) else str(value)

    def readable_text(self, value: Any) -> str:
        return "" if is_empty(value) else str(value)
