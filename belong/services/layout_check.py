"""Render a template's document layout as `strategy-templates check` does: with nothing
answered (as a new region's draft and as its submitted version) and with every question
answered (plus a consultation record, a baseline self-assessment, approvers and a recorded
adoption), in each of the template's languages. A layout that only
fails on real data would otherwise pass the check and break a region's PDF."""

from __future__ import annotations

import traceback
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from belong.models import AssessmentSnapshot, Contribution, ContributionStatus, Region, User
from belong.questions.common import SAMPLE_MARKDOWN as LONG_TEXT
from belong.services import documents
from belong.services.consultations import sample_public_record
from belong.services.contributions import consultation_annex
from belong.services.draft_status import status_values
from belong.services.scoring import assess
from belong.templating.loader import LoadedTemplate
from belong.templating.schema import Question, StrategyTemplate


def typical_value(question: Question) -> Any:
    """A value as the step form stores it, for every question type."""
    return question.typical_value()


def full_values(definition: StrategyTemplate) -> dict[tuple[str, str], Any]:
    """Every question of the template answered with a typical value."""
    return {
        (step.id, question.id): typical_value(question)
        for step in definition.steps
        for question in step.questions
    }


def _sample_contributions(definition: StrategyTemplate) -> list[Contribution]:
    """Unsaved input on the first step: adopted and named, and noted without a name."""
    step = definition.steps[0].id
    category = next((o.value for o in definition.stakeholder_categories), "")
    author = User(name="Sample Person", email="sample@example.org")
    return [
        Contribution(
            step_id=step,
            category=category,
            organisation="Sample association",
            show_organisation=True,
            show_name=True,
            status=ContributionStatus.ADOPTED,
            author=author,
            author_id=1,
            body=LONG_TEXT,
        ),
        Contribution(
            step_id=step,
            category="",
            organisation="Unnamed group",
            status=ContributionStatus.NOTED,
            author_id=2,
            body=LONG_TEXT,
        ),
    ]


def _render(template: LoadedTemplate, language: str, *, full: bool) -> None:
    region = Region(
        name="Sample region",
        slug="sample-region",
        country="Sample country",
        period="2026-2030",
        template_id=template.id,
        language=language,
    )
    definition = template.in_language(language).definition
    if not full:  # a new region's submitted version, then its draft (an empty record)
        empty = consultation_annex(region, definition, [])
        for edition in (
            documents.Edition(documents.Purpose.VERSION, {}, None, history=()),
            documents.Edition(documents.Purpose.DRAFT, {}, empty, history=()),
        ):
            documents.document_html(region, template, edition)
        return
    baseline = AssessmentSnapshot(
        label="Baseline",
        taken_at=datetime(2025, 1, 15, tzinfo=UTC),
        scores=assess(definition, {}).as_scores(),
    )
    released = documents.Edition(
        documents.Purpose.RELEASE,
        full_values(definition),
        {
            **consultation_annex(region, definition, _sample_contributions(definition)),
            "public": sample_public_record(),
        },
        version_label="v2",
        approvers=("Approver One", "Approver Two"),
        history=(baseline,),
    )
    documents.document_html(region, template, released)
    # The live draft opens with its status page: a check failing, a review thread open.
    values = full_values(definition)
    values.pop(("mandate", "period_end"), None)
    thread = {"version": 1, "place": "Sample step", "excerpt": LONG_TEXT[:160], "replies": 1}
    draft = documents.Edition(
        documents.Purpose.DRAFT,
        values,
        None,
        history=(baseline,),
        status=status_values(definition, values, [thread]),
    )
    documents.document_html(region, template, draft)
    adopted = replace(
        released,
        purpose=documents.Purpose.ADOPTED,
        adoption=("The Adopting Body", date(2026, 3, 16), "Resolution 1/2026"),
    )
    documents.document_html(region, template, adopted)


def _where(template: LoadedTemplate, exc: BaseException) -> str:
    """The template file and line the error arose in (Jinja puts them in the traceback)."""
    folder = template.folder.resolve()
    inside = [
        frame
        for frame in traceback.extract_tb(exc.__traceback__)
        if Path(frame.filename).resolve().is_relative_to(folder)
    ]
    lineno = getattr(exc, "lineno", None)
    filename = getattr(exc, "filename", None)
    if inside:
        return f"{inside[-1].filename}:{inside[-1].lineno}"
    if filename:  # a syntax error names the file but has no frame in it
        return f"{filename}:{lineno}" if lineno else str(filename)
    return str(template.layout_path())


def layout_problems(template: LoadedTemplate) -> list[str]:
    """Each way the layout fails to render, naming the file, the line and the error."""
    found: dict[tuple[str, str, str], list[str]] = {}
    for full in (False, True):
        for language in template.languages:
            try:
                _render(template, language, full=full)
            except Exception as exc:  # any failure of the layout is reported
                error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                kind = "every question answered" if full else "nothing answered"
                found.setdefault((_where(template, exc), kind, error), []).append(language)
    return [
        f"{where}: the layout fails to render with {kind} ({', '.join(languages)}): {error}"
        for (where, kind, error), languages in found.items()
    ]
