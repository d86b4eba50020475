"""The form of one record: a field per field of its kind (the question types' own fields),
the records a reference may choose among, and the revision the form was loaded at."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField
from wtforms.fields.choices import SelectChoice

from belong.forms.base import BelongForm
from belong.questions.date import dates_in_order
from belong.templating.conditions import applicable_fields
from belong.templating.schema import RecordKind


def field_name(item) -> str:
    return f"f_{item.id}"


class RecordFormBase(BelongForm):
    kind: RecordKind
    # The record's stored values: a field that does not apply keeps its value.
    kept: dict[str, Any]
    revision = HiddenField(default="0")

    def validate(self, extra_validators=None) -> bool:
        """Check the fields that apply; one that does not (its show_if) is never required
        and never checked."""
        applying = self.applicable()
        hidden = {field_name(item) for item in self.kind.fields if item not in applying}
        ok = True
        for name, field in self._fields.items():
            extra = (extra_validators or {}).get(name, ())
            if name not in hidden and not field.validate(self, extra):
                ok = False
        for item in applying:
            field = self[field_name(item)]
            if item.required and not field.errors and not item.is_answered(self.value_of(item)):
                field.errors = [*field.errors, _l("Fill in this field.")]
                ok = False
        return dates_in_order(applying, lambda item: self[field_name(item)]) and ok

    def value_of(self, item) -> Any:
        return item.stored_value(self[field_name(item)].data)

    def submitted(self) -> dict[str, Any]:
        return {item.id: self.value_of(item) for item in self.kind.fields}

    def applicable(self) -> list[Any]:
        """The fields that apply for the values in the form."""
        return applicable_fields(self.kind, self.submitted())

    def values(self) -> dict[str, Any]:
        """The stored values, the empty ones left out; a field that does not apply keeps
        the value it had."""
        submitted = self.submitted()
        applying = {item.id for item in applicable_fields(self.kind, submitted)}
        found = {
            item.id: submitted[item.id] if item.id in applying else self.kept.get(item.id)
            for item in self.kind.fields
        }
        return {k: v for k, v in found.items() if v is not None}

    def base_revision(self) -> int:
        raw = self.revision.data
        return int(raw) if raw and str(raw).isdigit() else 0

    def item_fields(self):
        for item in self.kind.fields:
            yield item, self[field_name(item)]


def build_record_form(
    kind: RecordKind,
    values: dict[str, Any],
    revision: int,
    choices: dict[str, list[tuple[str, str]]],
    *,
    max_length: int,
    formdata=None,
    extra_rows: dict[str, int] | None = None,
    csrf: bool = True,
) -> RecordFormBase:
    """`values`: the record's stored values (kept for a field that does not apply);
    `choices`: per reference field id, the (key, title) of the records it may name.
    `csrf` False: a form checked on the server only (a pasted row)."""
    attrs: dict[str, Any] = {"kind": kind, "kept": dict(values)}
    data: dict[str, Any] = {"revision": str(revision)}
    for item in kind.fields:
        unbound = item.form_field(max_length)
        if item.type == "reference":
            unbound.kwargs["choices"] = [
                SelectChoice(key, title) for key, title in choices.get(item.id, [])
            ]
        data[field_name(item)] = item.form_value(values.get(item.id))
        item.size_field(unbound, data[field_name(item)], (extra_rows or {}).get(item.id, 0))
        attrs[field_name(item)] = unbound
    form_class = type(f"RecordForm_{kind.id}", (RecordFormBase,), attrs)
    if formdata is not None:
        form = form_class(formdata=formdata, **({} if csrf else {"meta": {"csrf": False}}))
        for item in kind.fields:
            item.add_rows(form[field_name(item)], (extra_rows or {}).get(item.id, 0))
        return form
    return form_class(formdata=None, data=data)
