"""Stored answer values shown as HTML, in the document and on summary pages."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from belong.document.markdown import render_markdown
from belong.formatting import format_day, format_number
from belong.templating.schema import Column, Question


def _option_label(item: Question | Column, value: Any) -> str:
    return next((o.label for o in item.options if o.value == value), str(value))


def display_scalar(item: Question | Column, value: Any) -> Markup:
    if value in (None, "", []):
        return Markup("")
    kind = item.type
    if kind == "long_text":
        return render_markdown(value)
    if kind == "number":
        return escape(format_number(value))
    if kind == "date":
        return escape(format_day(value))
    if kind == "single_choice":
        return escape(_option_label(item, value))
    return escape(value)


def display_answer(question: Question, value: Any) -> Markup:
    """The whole answer as HTML; tables are laid out by the document template itself."""
    if value in (None, "", [], {}):
        return Markup("")
    if question.type == "multiple_choice":
        items = "".join(f"<li>{escape(_option_label(question, v))}</li>" for v in value)
        return Markup(f"<ul>{items}</ul>")  # noqa: S704 - escaped parts
    if question.type == "scale":
        label = escape(_option_label(question, value.get("choice"))) if value.get("choice") else ""
        evidence = render_markdown(value.get("evidence"))
        return Markup(f'<p class="scale-choice">{label}</p>{evidence}')  # noqa: S704
    if question.type == "table":
        return Markup("")
    if question.type in ("short_text",):
        return Markup(f"<p>{escape(value)}</p>")  # noqa: S704
    if question.type in ("number", "date", "single_choice"):
        return Markup(f"<p>{display_scalar(question, value)}</p>")  # noqa: S704
    return display_scalar(question, value)


def display_rows(question: Question, value: Any) -> list[list[Markup]]:
    rows = value if isinstance(value, list) else []
    return [[display_scalar(c, row.get(c.id)) for c in question.columns] for row in rows]
