"""Rows of a few columns, each column of a one-value type (stored as [ {column_id: value} ]);
the template bounds the number of rows."""

from __future__ import annotations

from typing import Any, Literal

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup
from pydantic import Field, model_validator
from wtforms import BooleanField, FieldList, FormField
from wtforms.validators import ValidationError

from belong.forms.base import BelongSubform
from belong.questions.base import QuestionType
from belong.questions.common import is_empty, option_label, readable_label
from belong.questions.date import Date, dates_in_order
from belong.questions.long_text import LongText
from belong.questions.number import Number, check_limits
from belong.questions.short_text import ShortText
from belong.questions.single_choice import SingleChoice
from belong.templating.parts import Option, Slug, Strict, unique
from belong.templating.parts import dates_in_order as check_dates_named

# The types a column may have, and the one type each delegates its behaviour to.
CELLS = {cls.type_name(): cls for cls in (ShortText, LongText, Number, Date, SingleChoice)}
# Empty rows offered below a table's rows on the step page.
BLANK_ROWS = 2
# Rows of a table answered by the layout check (within the table's limits).
TYPICAL_ROWS = 2
ColumnType = Literal["short_text", "long_text", "number", "date", "single_choice"]


class Column(Strict):
    id: str = Slug
    label: str = Field(min_length=1)
    type: ColumnType = "short_text"
    hint: str = ""
    required: bool = False
    options: tuple[Option, ...] = ()
    min: float | None = None
    max: float | None = None
    integer: bool = False
    year: bool = False
    not_before: str | None = None

    @model_validator(mode="after")
    def _options_fit_type(self) -> Column:
        if self.type == "single_choice" and not self.options:
            raise ValueError("a single_choice column needs options")
        if self.type != "single_choice" and self.options:
            raise ValueError(f"a {self.type} column takes no options")
        limits = self.min is not None or self.max is not None or self.integer or self.year
        if self.type != "number" and limits:
            raise ValueError("only a number column takes min, max, integer or year")
        check_limits(self)
        if self.not_before is not None and self.type != "date":
            raise ValueError("only a date column takes not_before")
        return self

    def form_field(self, max_length: int) -> Any:
        return CELLS[self.type].form_field(self, max_length)

    def stored_value(self, data: Any) -> Any:
        return CELLS[self.type].stored_value(self, data)

    def form_value(self, value: Any) -> Any:
        return CELLS[self.type].form_value(self, value)

    @property
    def widget_template(self) -> str:
        """The template file holding the `cell(c, field, label)` macro of this column's type."""
        return f"questions/{self.type}.html"

    def cell_problem(self, value: Any, max_length: int) -> str | None:
        return CELLS[self.type].cell_problem(self, value, max_length)

    def typical_value(self, row: int = 0, position: int = 0) -> Any:
        return CELLS[self.type].typical_value(self, row, position)

    def cell_html(self, value: Any) -> Markup:
        if value in (None, "", []):
            return Markup("")
        return CELLS[self.type].cell_html(self, value)


class RowForm(BelongSubform):
    remove = BooleanField(_l("Remove this row"))
    columns: tuple[Column, ...] = ()

    def is_blank(self) -> bool:
        return all(self[c.id].data in (None, "", []) for c in self.columns)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.remove.data or self.is_blank():
            return ok
        for column in self.columns:
            field = self[column.id]
            if column.required and field.data in (None, ""):
                field.errors = [*field.errors, _l("Fill in this column, or remove the row.")]
                ok = False
        return dates_in_order(self.columns, lambda column: self[column.id]) and ok


class TableRows:
    """A table keeps within the template's row limits."""

    def __init__(self, question: Table) -> None:
        self.question = question

    def __call__(self, form, field) -> None:
        kept = [e for e in field.entries if not e.form.remove.data and not e.form.is_blank()]
        if len(kept) > self.question.max_rows:
            raise ValidationError(
                ngettext(
                    "This table allows at most %(num)s row.",
                    "This table allows at most %(num)s rows.",
                    self.question.max_rows,
                )
            )


class Table(QuestionType):
    type: Literal["table"]
    columns: tuple[Column, ...] = ()
    min_rows: int = Field(default=0, ge=0)
    max_rows: int = Field(default=200, gt=0)

    @model_validator(mode="after")
    def _columns(self) -> Table:
        if not self.columns:
            raise ValueError("a table question needs columns")
        unique([c.id for c in self.columns], "column id")
        check_dates_named(self.columns, "column")
        return self

    def form_field(self, max_length: int) -> Any:
        attrs: dict[str, Any] = {"columns": self.columns}
        for column in self.columns:
            attrs[column.id] = column.form_field(max_length)
        row_form = type("RowForm", (RowForm,), attrs)
        return FieldList(FormField(row_form), self.label, [TableRows(self)], description=self.hint)

    def stored_value(self, data: Any) -> Any:
        kept = []
        for row in data:
            if row.get("remove"):
                continue
            values = {c.id: c.stored_value(row.get(c.id)) for c in self.columns}
            if any(v is not None for v in values.values()):
                kept.append(values)
        return kept or None

    def form_value(self, value: Any) -> Any:
        rows = value if isinstance(value, list) else []
        return [{c.id: c.form_value(row.get(c.id)) for c in self.columns} for row in rows]

    def size_field(self, field: Any, form_value: Any, extra_rows: int) -> None:
        field.kwargs["min_entries"] = max(len(form_value), self.min_rows) + BLANK_ROWS + extra_rows

    def add_rows(self, bound_field: Any, count: int) -> None:
        for _ in range(count):
            bound_field.append_entry()

    def is_answered(self, value: Any) -> bool:
        return not is_empty(value)

    def value_problems(self, value: Any, max_length: int) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
            return ["a table answer must be a list of rows"]
        problems = []
        if len(value) > self.max_rows:
            problems.append(f"{len(value):,} rows, at most {self.max_rows:,}")
        for number, row in enumerate(value[: self.max_rows], start=1):
            for column in self.columns:
                problem = column.cell_problem(row.get(column.id), max_length)
                if problem:
                    problems.append(f"row {number}, column {column.id!r}: {problem}")
        return problems

    def typical_value(self, row: int = 0, position: int = 0) -> Any:
        count = min(max(TYPICAL_ROWS, self.min_rows), self.max_rows)
        dates = [c.id for c in self.columns if c.type == "date"]
        return [
            {
                c.id: c.typical_value(row, dates.index(c.id) if c.id in dates else 0)
                for c in self.columns
            }
            for row in range(count)
        ]

    def html(self, value: Any) -> Markup:
        """Nothing: the layout lays tables out itself from display_rows."""
        return Markup("")

    def display_rows(self, value: Any) -> list[list[Markup]]:
        rows = value if isinstance(value, list) else []
        return [[c.cell_html(row.get(c.id)) for c in self.columns] for row in rows]

    def plain_text(self, value: Any) -> str:
        if is_empty(value):
            return ""
        lines = []
        for row in value if isinstance(value, list) else []:
            cells = []
            for column in self.columns:
                cell = row.get(column.id)
                if cell in (None, ""):
                    cells.append("–")
                elif column.type == "single_choice":
                    cells.append(option_label(column.options, cell))
                else:
                    cells.append(str(cell))
            lines.append(" | ".join(cells))
        return "\n".join(lines)

    def readable_text(self, value: Any) -> str:
        if is_empty(value):
            return ""
        if isinstance(value, str):
            return value
        if not isinstance(value, list):
            return str(value)
        lines = []
        for row in value:
            cells = []
            for column in self.columns:
                cell = row.get(column.id)
                if cell in (None, ""):
                    continue
                if column.type == "single_choice":
                    cell = readable_label(column.options, cell)
                cells.append(f"{column.label}: {cell}")
            lines.append("; ".join(cells))
        return "\n".join(lines)
