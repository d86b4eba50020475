"""A number (stored as int when whole, else float), typed and shown in the reader's locale
(belong.numbers), within the template's min and max."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from markupsafe import Markup, escape
from pydantic import model_validator
from wtforms.validators import Optional

from belong.formatting import format_number
from belong.forms.number_field import InRange, NumberField
from belong.questions.base import QuestionType
from belong.questions.common import is_empty, word_problem


def number_field(item, **kwargs) -> NumberField:
    checks: list[Any] = [Optional()]
    if item.min is not None or item.max is not None:
        checks.append(InRange(item.min, item.max))
    year = getattr(item, "year", False)
    return NumberField(
        item.label, checks, whole=item.integer, year=year, description=item.hint, **kwargs
    )


def check_limits(item) -> None:
    if item.min is not None and item.max is not None and item.min > item.max:
        raise ValueError("min is greater than max")


class Number(QuestionType):
    type: Literal["number"]
    min: float | None = None
    max: float | None = None
    integer: bool = False
    # A calendar year: a whole number written without a thousands separator (2026).
    year: bool = False

    @model_validator(mode="after")
    def _limits_in_order(self) -> Number:
        check_limits(self)
        return self

    def form_field(self, max_length: int) -> Any:
        return number_field(self)

    def stored_value(self, data: Any) -> Any:
        if data is None:
            return None
        return int(data) if data == data.to_integral_value() else float(data)

    def form_value(self, value: Any) -> Any:
        return Decimal(str(value)) if value is not None else None

    def is_answered(self, value: Any) -> bool:
        return not is_empty(value)

    def cell_problem(self, value: Any, max_length: int) -> str | None:
        return word_problem(value)

    def value_problems(self, value: Any, max_length: int) -> list[str]:
        problem = self.cell_problem(value, max_length)
        return [problem] if problem else []

    def typical_value(self, row: int = 0, position: int = 0) -> Any:
        low, high = getattr(self, "min", None), getattr(self, "max", None)
        value = 1500 + 100 * row
        value = max(low, value) if low is not None else value
        return min(high, value) if high is not None else value

    def cell_html(self, value: Any) -> Markup:
        if getattr(self, "year", False) and isinstance(value, (int, float)):
            return escape(str(int(value)))
        return escape(format_number(value))

    def html(self, value: Any) -> Markup:
        if is_empty(value):
            return Markup("")
        return Markup(f"<p>{self.cell_html(value)}</p>")  # noqa: S704

    def plain_text(self, value: Any) -> str:
        return "" if is_empty(value) else str(value)

    def readable_text(self, value: Any) -> str:
        return "" if is_empty(value) else str(value)
