"""A number typed as the reader writes numbers (1.234.567 in Spanish), shown back the same way."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wtforms import Field
from wtforms.validators import ValidationError
from wtforms.widgets import TextInput

from belong.numbers import NumberError, format_number, parse_number, range_message


class NumberField(Field):
    """A text input (so the locale's separators are allowed) parsed by belong.numbers."""

    widget = TextInput()

    def __init__(
        self, label=None, validators=None, *, whole: bool = False, year: bool = False, **kwargs
    ) -> None:
        whole = whole or year
        render_kw = {"inputmode": "numeric" if whole else "decimal", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.whole, self.year = whole, year

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.year and self.data is not None:
            return str(int(self.data))  # a calendar year: 2026, never 2,026
        return format_number(self.data)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        try:
            self.data = parse_number(valuelist[0], whole=self.whole)
        except NumberError as error:
            self.data = None
            raise ValueError(str(error)) from None


class InRange:
    """Within the question's limits, said as people say them ("between 0 and 100")."""

    def __init__(self, low: float | None, high: float | None) -> None:
        self.low, self.high = low, high

    def __call__(self, form, field) -> None:
        value: Decimal | None = field.data
        if value is None:
            return
        if (self.low is not None and value < self.low) or (
            self.high is not None and value > self.high
        ):
            raise ValidationError(range_message(self.low, self.high))
