"""Answers through the step form. Each question type (belong/questions) owns its field and
its stored value; what is here holds for every type."""

from __future__ import annotations

from typing import Any

from belong.questions.common import EVIDENCE_LIMIT, SHORT_TEXT_LIMIT, text_limit
from belong.questions.date import dates_in_order
from belong.templating.schema import Question


def same_answer(question: Question, submitted: Any, stored: Any) -> bool:
    """Whether a submitted value says what the stored one says, once the stored one is read
    through the form (an older text with a trailing newline, a table row without an empty
    column): saving an untouched answer then writes nothing."""
    if submitted == stored:
        return True
    return submitted == question.stored_value(question.form_value(stored))


def is_answered(question: Question, value: Any) -> bool:
    return question.is_answered(value)


__all__ = [
    "EVIDENCE_LIMIT",
    "SHORT_TEXT_LIMIT",
    "dates_in_order",
    "is_answered",
    "same_answer",
    "text_limit",
]
