"""Helpers the question types share: empty answers, cleaned texts, option labels, limits."""

from __future__ import annotations

import math
from typing import Any

from wtforms.fields.choices import SelectChoice

from belong.templating.parts import unique

SHORT_TEXT_LIMIT = 500
EVIDENCE_LIMIT = 5000
# A Markdown answer the layout check puts in every long text.
SAMPLE_MARKDOWN = "A first paragraph with **emphasis**.\n\n- a first point\n- a second point"


def is_empty(value: Any) -> bool:
    return value in (None, "", [], {})


def clean_text(value: str | None, *, multiline: bool) -> str | None:
    if value is None:
        return None
    value = value.rstrip() if multiline else value.strip()
    return value or None


def choices(options) -> list[SelectChoice]:
    return [SelectChoice(o.value, o.label) for o in options]


def option_label(options, value: Any) -> str:
    return next((o.label for o in options if o.value == value), str(value))


def readable_label(options, value: Any) -> str:
    """An option's label for a person to read; nothing for no choice."""
    return "" if value is None else option_label(options, value)


def text_limit(item, max_length: int) -> int:
    """The most characters a text answer may hold: the template's limit for it, within the
    application's (MAX_ANSWER_LENGTH); short texts 500 unless the template says otherwise."""
    default = SHORT_TEXT_LIMIT if item.type == "short_text" else max_length
    return min(getattr(item, "max_length", None) or default, max_length)


def check_options(question) -> None:
    """A question with options has at least two, each value once."""
    if len(question.options) < 2:
        raise ValueError(f"a {question.type} question needs at least two options")
    unique([o.value for o in question.options], "option value")


def too_long(text: str, limit: int) -> str | None:
    if "\x00" in text:
        return "holds a NUL character"
    if len(text) > limit:
        return f"{len(text):,} characters, at most {limit:,}"
    return None


def text_problem(item, value: Any, max_length: int) -> str | None:
    """What is wrong with a stored (imported) text answer, if anything."""
    if value is None:
        return None
    if not isinstance(value, str):
        return f"{type(value).__name__} where text is expected"
    return too_long(value, text_limit(item, max_length))


def word_problem(value: Any) -> str | None:
    """What is wrong with a stored number, date or choice, if anything."""
    if isinstance(value, str):  # dates and choices are short words
        return too_long(value, 100)
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value} is not a finite number"
    return None
