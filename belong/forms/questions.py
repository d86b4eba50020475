"""One registry from question type to its WTForms field and its stored value.

Stored values (JSON): text -> str, number -> int | float (int when whole; typed and shown
in the reader's locale, see belong.numbers), date -> "YYYY-MM-DD",
single_choice -> str, multiple_choice -> [str], scale -> {"choice", "evidence"},
table -> [ {column_id: value} ].
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from belong.formatting import format_day
from belong.forms.base import BelongSubform
from belong.forms.number_field import InRange, NumberField
from belong.forms.validators import ChoiceOf, StorableText
from belong.templating.schema import Column, Question

SHORT_TEXT_LIMIT = 500
EVIDENCE_LIMIT = 5000


def text_limit(item: Question | Column, max_length: int) -> int:
    """The most characters a text answer may hold: the template's limit for it, within the
    application's (MAX_ANSWER_LENGTH); short texts 500 unless the template says otherwise."""
    default = SHORT_TEXT_LIMIT if item.type == "short_text" else max_length
    return min(getattr(item, "max_length", None) or default, max_length)


def _text(value: str | None, *, multiline: bool) -> str | None:
    if value is None:
        return None
    value = value.rstrip() if multiline else value.strip()
    return value or None


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _parse_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _choices(options) -> list[SelectChoice]:
    return [SelectChoice(o.value, o.label) for o in options]


def _scalar_field(item: Question | Column, max_length: int):
    """Field for a question or a table column of a scalar type."""
    kind = item.type
    label, hint = item.label, item.hint
    if kind == "short_text":
        return StringField(label, [StorableText(text_limit(item, max_length))], description=hint)
    if kind == "long_text":
        return TextAreaField(label, [StorableText(text_limit(item, max_length))], description=hint)
    if kind == "number":
        checks: list[Any] = [Optional()]
        if item.min is not None or item.max is not None:
            checks.append(InRange(item.min, item.max))
        return NumberField(label, checks, whole=item.integer, description=hint)
    if kind == "date":
        return DateField(label, [Optional()], description=hint)
    if kind == "single_choice":
        return RadioField(
            label,
            [ChoiceOf({o.value for o in item.options})],
            choices=_choices(item.options),
            validate_choice=False,
            description=hint,
        )
    raise ValueError(f"no scalar field for {kind}")


def _scalar_value(kind: str, data: Any) -> Any:
    if kind in ("short_text", "long_text"):
        return _text(data, multiline=kind == "long_text")
    if kind == "number":
        return _number(data)
    if kind == "date":
        return _date(data)
    return data or None


def _scalar_form(kind: str, value: Any) -> Any:
    if kind == "number" and value is not None:
        return Decimal(str(value))
    if kind == "date":
        return _parse_date(value)
    return value


@dataclass(frozen=True)
class Kind:
    make_field: Callable[[Question, int], Any]
    to_value: Callable[[Question, Any], Any]
    to_form: Callable[[Question, Any], Any]


def _scale_form(question: Question) -> type[BelongSubform]:
    attrs: dict[str, Any] = {
        "choice": RadioField(
            question.label,
            [ChoiceOf({o.value for o in question.options})],
            choices=_choices(question.options),
            validate_choice=False,
        )
    }
    if question.evidence:
        attrs["evidence"] = TextAreaField(
            _l("Evidence and examples"),
            [StorableText(EVIDENCE_LIMIT)],
            description=question.hint,
        )
    return type("ScaleForm", (BelongSubform,), attrs)


def _scale_value(question: Question, data: dict) -> dict | None:
    choice = data.get("choice") or None
    evidence = _text(data.get("evidence"), multiline=True)
    if choice is None and evidence is None:
        return None
    return {"choice": choice, "evidence": evidence}


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


def dates_in_order(items, field_of: Callable[[Any], Any]) -> bool:
    """A date with `not_before` (an end) is not before the date it names (its start); the
    message goes on the end date."""
    ok = True
    by_id = {item.id: item for item in items}
    for item in items:
        if item.not_before is None:
            continue
        start_item = by_id[item.not_before]
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


def _row_form(question: Question, max_length: int) -> type[RowForm]:
    attrs: dict[str, Any] = {"columns": question.columns}
    for column in question.columns:
        attrs[column.id] = _scalar_field(column, max_length)
    return type("RowForm", (RowForm,), attrs)


def _table_value(question: Question, rows: list[dict]) -> list[dict] | None:
    kept = []
    for row in rows:
        if row.get("remove"):
            continue
        values = {c.id: _scalar_value(c.type, row.get(c.id)) for c in question.columns}
        if any(v is not None for v in values.values()):
            kept.append(values)
    return kept or None


def _table_form(question: Question, value: Any) -> list[dict]:
    rows = value if isinstance(value, list) else []
    return [{c.id: _scalar_form(c.type, row.get(c.id)) for c in question.columns} for row in rows]


class TableRows:
    """A table keeps within the template's row limits."""

    def __init__(self, question: Question) -> None:
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


KINDS: dict[str, Kind] = {
    kind: Kind(
        make_field=lambda q, limit: _scalar_field(q, limit),
        to_value=lambda q, data: _scalar_value(q.type, data),
        to_form=lambda q, value: _scalar_form(q.type, value),
    )
    for kind in ("short_text", "long_text", "number", "date", "single_choice")
}
KINDS["multiple_choice"] = Kind(
    make_field=lambda q, limit: SelectMultipleField(
        q.label,
        choices=_choices(q.options),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        description=q.hint,
    ),
    to_value=lambda q, data: [v for v in (o.value for o in q.options) if v in (data or [])] or None,
    to_form=lambda q, value: value or [],
)
KINDS["scale"] = Kind(
    make_field=lambda q, limit: FormField(_scale_form(q), q.label, description=q.hint),
    to_value=_scale_value,
    to_form=lambda q, value: value or {},
)
KINDS["table"] = Kind(
    make_field=lambda q, limit: FieldList(
        FormField(_row_form(q, limit)), q.label, [TableRows(q)], description=q.hint
    ),
    to_value=_table_value,
    to_form=_table_form,
)


def same_answer(question: Question, submitted: Any, stored: Any) -> bool:
    """Whether a submitted value says what the stored one says, once the stored one is read
    through the form (an older text with a trailing newline, a table row without an empty
    column): saving an untouched answer then writes nothing."""
    if submitted == stored:
        return True
    kind = KINDS[question.type]
    return submitted == kind.to_value(question, kind.to_form(question, stored))


def is_answered(question: Question, value: Any) -> bool:
    if question.type == "scale":
        return bool(value and value.get("choice"))
    return value not in (None, "", [], {})


__all__ = ["KINDS", "dates_in_order", "is_answered", "same_answer", "text_limit"]
