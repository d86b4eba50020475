"""A record's fields as HTML, the same on its page, in its step's list and in the document:
a reference shows the titles of the records it names, a table its rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from belong.templating.conditions import applicable_fields
from belong.templating.schema import RecordKind


@dataclass(frozen=True)
class FieldDisplay:
    question: Any
    html: Markup
    rows: list
    answered: bool


def field_html(item, view) -> Markup:
    value = view.values.get(item.id)
    if item.type == "reference":
        titles = {r.key: r.title for r in view.ref(item.id)}
        return item.html([k for k in item.keys(value) if k in titles], titles)
    return item.html(value)


def cell_text(item, view) -> Markup:
    """A field in one cell of a list: short, without paragraphs."""
    value = view.values.get(item.id)
    if value in (None, "", []):
        return Markup("")
    if item.type == "reference":
        return escape(", ".join(r.title for r in view.ref(item.id)))
    if item.type == "table":
        return escape(str(len(value)))
    if hasattr(item, "cell_html"):
        return item.cell_html(value)
    return escape(item.plain_text(value))


def display_record(kind: RecordKind, view) -> list[FieldDisplay]:
    """The fields that apply to this record (a field whose show_if does not hold is left
    out, its value kept), each as HTML."""
    shown = []
    for item in applicable_fields(kind, view.values):
        value = view.values.get(item.id)
        answered = item.is_answered(value) and (item.type != "reference" or bool(view.ref(item.id)))
        shown.append(FieldDisplay(item, field_html(item, view), item.display_rows(value), answered))
    return shown
