"""Stored answer values shown as HTML, in the document and on summary pages; each question
type (belong/questions) owns how its answers look."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from belong.templating.schema import Column, Question


def display_scalar(item: Question | Column, value: Any) -> Markup:
    """One value of a one-value question or of a table's column."""
    if value in (None, "", []):
        return Markup("")
    return item.cell_html(value)


def display_answer(question: Question, value: Any) -> Markup:
    """The whole answer as HTML; tables are laid out by the document template itself."""
    return question.html(value)


def display_rows(question: Question, value: Any) -> list[list[Markup]]:
    return question.display_rows(value)
