"""Two versions side by side, question by question, with a word-level diff."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from markupsafe import Markup, escape

from belong.templating.conditions import applicable_fields, applicable_questions
from belong.templating.schema import Question, StrategyTemplate

WORD = re.compile(r"\S+")


def plain_text(question: Question, value: Any) -> str:
    """An answer as plain words, the form in which two versions are compared."""
    return question.plain_text(value)


def shown_records(template: StrategyTemplate, question: Question, value: Any) -> Any:
    """A records question's records with only the fields that apply to each (show_if)."""
    kind = template.record_kind(getattr(question, "kind", "") or "")
    if question.type != "records" or kind is None or not isinstance(value, list):
        return value
    shown = []
    for item in value:
        values = item.get("values") if isinstance(item, dict) else None
        if isinstance(values, dict):
            applying = {f.id for f in applicable_fields(kind, values)}
            item = {**item, "values": {k: v for k, v in values.items() if k in applying}}
        shown.append(item)
    return shown


def word_diff(old: str, new: str) -> tuple[Markup, Markup]:
    """The old text with removed words in <del>, the new one with added words in <ins>."""
    a, b = WORD.findall(old), WORD.findall(new)
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        removed = " ".join(a[i1:i2])
        added = " ".join(b[j1:j2])
        if op == "equal":
            left.append(str(escape(removed)))
            right.append(str(escape(added)))
            continue
        if removed:
            left.append(f"<del>{escape(removed)}</del>")
        if added:
            right.append(f"<ins>{escape(added)}</ins>")
    return Markup(" ".join(left)), Markup(" ".join(right))  # noqa: S704 - escaped parts


@dataclass(frozen=True)
class QuestionChange:
    question: Question
    old: Markup
    new: Markup
    changed: bool


@dataclass(frozen=True)
class StepChange:
    id: str
    title: str
    number: int
    questions: list[QuestionChange]

    @property
    def changed(self) -> bool:
        return any(q.changed for q in self.questions)


def compare(
    template: StrategyTemplate,
    old: dict[tuple[str, str], Any],
    new: dict[tuple[str, str], Any],
) -> list[StepChange]:
    steps = []
    for number, step in enumerate(template.steps, start=1):
        items = []
        before_values = {q.id: old.get((step.id, q.id)) for q in step.questions}
        after_values = {q.id: new.get((step.id, q.id)) for q in step.questions}
        shown_before = applicable_questions(step, before_values)
        shown_after = applicable_questions(step, after_values)
        for question in step.questions:
            if question not in shown_before and question not in shown_after:
                continue  # applies in neither version
            # A question that applies in one version only reads as empty in the other.
            before = (
                plain_text(question, shown_records(template, question, before_values[question.id]))
                if question in shown_before
                else ""
            )
            after = (
                plain_text(question, shown_records(template, question, after_values[question.id]))
                if question in shown_after
                else ""
            )
            left, right = word_diff(before, after)
            items.append(QuestionChange(question, left, right, before != after))
        steps.append(StepChange(step.id, step.title, number, items))
    return steps
