"""A self-assessment: one of the scored options and, if asked, evidence (stored as
{"choice", "evidence"}); `area` counts it towards an area of the assessment."""

from __future__ import annotations

from typing import Any, Literal

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from pydantic import model_validator
from wtforms import FormField, RadioField, TextAreaField

from belong.document.markdown import render_markdown
from belong.forms.answer_checks import ChoiceOf, StorableText
from belong.forms.base import BelongSubform
from belong.questions.base import QuestionType
from belong.questions.common import (
    EVIDENCE_LIMIT,
    SAMPLE_MARKDOWN,
    check_options,
    choices,
    clean_text,
    is_empty,
    option_label,
    readable_label,
    too_long,
    word_problem,
)
from belong.templating.parts import Option

# The evidence box's own hint: what counts as evidence, never the question's hint again.
EVIDENCE_HINT = _l(
    "What shows this answer is true: a decision, a budget line, a report, a web page or figures, "
    "with dates. Say where the measure does not reach yet."
)


class Scale(QuestionType):
    type: Literal["scale"]
    options: tuple[Option, ...] = ()
    area: str | None = None
    evidence: bool = False
    # What the evidence box asks for; without it, the general request for evidence below.
    evidence_hint: str = ""

    @model_validator(mode="after")
    def _scored_options(self) -> Scale:
        check_options(self)
        if self.evidence_hint and not self.evidence:
            raise ValueError("evidence_hint needs evidence: true")
        if any(o.points is None for o in self.options):
            raise ValueError("every option of a scale question needs points")
        return self

    @property
    def max_points(self) -> float:
        return max((o.points or 0) for o in self.options)

    def form_field(self, max_length: int) -> Any:
        attrs: dict[str, Any] = {
            "choice": RadioField(
                self.label,
                [ChoiceOf({o.value for o in self.options})],
                choices=choices(self.options),
                validate_choice=False,
            )
        }
        if self.evidence:
            attrs["evidence"] = TextAreaField(
                _l("Evidence and examples"),
                [StorableText(EVIDENCE_LIMIT)],
                description=self.evidence_hint or EVIDENCE_HINT,
            )
        form = type("ScaleForm", (BelongSubform,), attrs)
        return FormField(form, self.label, description=self.hint)

    def stored_value(self, data: Any) -> Any:
        choice = data.get("choice") or None
        evidence = clean_text(data.get("evidence"), multiline=True)
        if choice is None and evidence is None:
            return None
        return {"choice": choice, "evidence": evidence}

    def form_value(self, value: Any) -> Any:
        return value or {}

    def is_answered(self, value: Any) -> bool:
        return bool(value and value.get("choice"))

    def value_problems(self, value: Any, max_length: int) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, dict):
            return ["a scale answer must be a choice with evidence"]
        evidence = value.get("evidence")
        problem = word_problem(value.get("choice"))
        if evidence is not None and not isinstance(evidence, str):
            problem = problem or "the evidence is not text"
        elif evidence:
            problem = problem or too_long(evidence, EVIDENCE_LIMIT)
        return [problem] if problem else []

    def typical_value(self, row: int = 0, position: int = 0) -> Any:
        evidence = SAMPLE_MARKDOWN if self.evidence else None
        return {"choice": self.options[-1].value, "evidence": evidence}

    def html(self, value: Any) -> Markup:
        if is_empty(value):
            return Markup("")
        choice = value.get("choice")
        label = escape(option_label(self.options, choice)) if choice else ""
        evidence = render_markdown(value.get("evidence"))
        return Markup(f'<p class="scale-choice">{label}</p>{evidence}')  # noqa: S704

    def plain_text(self, value: Any) -> str:
        if is_empty(value):
            return ""
        choice = option_label(self.options, value.get("choice")) if value.get("choice") else ""
        return "\n".join(p for p in (choice, value.get("evidence") or "") if p)

    def readable_text(self, value: Any) -> str:
        if is_empty(value):
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, dict):
            choice = readable_label(self.options, value.get("choice"))
            evidence = value.get("evidence") or ""
            return f"{choice}\n{evidence}".strip()
        return str(value)
