"""A date (stored as "YYYY-MM-DD"); `not_before` names the date it may not precede."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Literal

from flask_babel import gettext as _
from markupsafe import Markup, escape
from wtforms import DateField
from wtforms.validators import Optional

from belong.formatting import format_day
from belong.questions.base import QuestionType
from belong.questions.common import is_empty, word_problem


def parse_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


class Date(QuestionType):
    type: Literal["date"]
    not_before: str | None = None

    def form_field(self, max_length: int) -> Any:
        return DateField(self.label, [Optional()], description=self.hint)

    def stored_value(self, data: Any) -> Any:
        return data.isoformat() if data else None

    def form_value(self, value: Any) -> Any:
        return parse_date(value)

    def is_answered(self, value: Any) -> bool:
        return not is_empty(value)

    def cell_problem(self, value: Any, max_length: int) -> str | None:
        return word_problem(value)

    def value_problems(self, value: Any, max_length: int) -> list[str]:
        problem = self.cell_problem(value, max_length)
        return [problem] if problem else []

    def typical_value(self, row: int = 0, position: int = 0) -> Any:
        return date(2026 + row, 1 + min(position, 11), 1).isoformat()

    def cell_html(self, value: Any) -> Markup:
        return escape(format_day(value))

    def html(self, value: Any) -> Markup:
        return Markup("") if is_empty(value) else Markup(f"<p>{self.cell_html(value)}</p>")  # noqa: S704

    def plain_text(self, value: Any) -> str:
        return "" if is_empty(value) else str(value)

    def readable_text(self, value: Any) -> str:
        return "" if is_empty(value) else str(value)


def dates_in_order(items, field_of: Callable[[Any], Any]) -> bool:
    """A date with `not_before` (an end) is not before the date it names (its start); the
    message goes on the end date."""
    ok = True
    by_id = {item.id: item for item in items}
    for item in items:
        not_before = getattr(item, "not_before", None)
        if not_before is None:
            continue
        start_item = by_id.get(not_before)
        if start_item is None:
            continue  # the start date does not apply (belong/templating/conditions.py)
        end, start = field_of(item), field_of(start_item)
        if isinstance(end.data, date) and isinstance(start.data, date) and end.data < start.data:
            end.errors = [
                *end.errors,
                _(
                    "This date is before “%(label)s” (%(date)s). Enter that date or a later one.",
                    label=start_item.label,
                    date=format_day(start.data),
                ),
            ]
            ok = False
    return ok
