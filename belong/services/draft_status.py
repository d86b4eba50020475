"""The "Status of this draft" page that opens the draft document: progress, the strategy
checks still open and the open review threads, as plain values for the layout. Only the live
draft has it (belong/services/documents.py `draft_edition`); a version and its release never do."""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from belong.document.markdown import render_markdown
from belong.extensions import db
from belong.i18n import babel_locale
from belong.models import CommentThread, DraftVersion, Region
from belong.services import strategy_checks
from belong.services.progress import StepState, percent_complete, template_progress
from belong.templating.schema import StrategyTemplate

# How much of a thread's first comment the page quotes.
EXCERPT = 160


def open_threads(region: Region) -> list[CommentThread]:
    """The region's unresolved review threads, of every version, oldest first."""
    return list(
        db.session.scalars(
            select(CommentThread)
            .where(CommentThread.region_id == region.id, CommentThread.resolved_at.is_(None))
            .options(selectinload(CommentThread.comments), selectinload(CommentThread.version))
            .order_by(CommentThread.id)
        )
    )


def _excerpt(body: str) -> str:
    text = " ".join(render_markdown(body).striptags().split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def _place(template: StrategyTemplate, thread: CommentThread) -> str:
    step = template.step(thread.step_id)
    if step is None:
        return thread.step_id
    question = step.question(thread.question_id) if thread.question_id else None
    return f"{step.title}: {question.label}" if question is not None else step.title


def draft_status(
    region: Region, template: StrategyTemplate, values: dict[tuple[str, str], Any]
) -> dict[str, Any]:
    """The page's values, written in the region's language (`template`: in that language)."""
    with force_locale(babel_locale(region.language or template.language)):
        threads = [
            {
                "version": _version_number(t.version),
                "place": _place(template, t),
                "excerpt": _excerpt(t.comments[0].body) if t.comments else "",
                "replies": max(len(t.comments) - 1, 0),
            }
            for t in open_threads(region)
        ]
        return status_values(template, values, threads)


def status_values(
    template: StrategyTemplate, values: dict[tuple[str, str], Any], threads: list[dict]
) -> dict[str, Any]:
    """The page's values from the answers and the open threads (plain values; the layout
    check passes sample threads)."""
    progress = template_progress(template, values)
    results = strategy_checks.evaluate(template, values)
    return {
        "percent": percent_complete(progress),
        "completed": sum(1 for p in progress if p.state is StepState.COMPLETED),
        "total": len(progress),
        "incomplete": [p.step.title for p in progress if p.state is not StepState.COMPLETED],
        "checks": {**strategy_checks.counts(results), "total": len(results)},
        "open_checks": [
            {
                "status": r.status.value,
                "status_label": r.status.label,
                "title": r.title,
                "detail": r.detail,
                "advice": r.advice,
                "where": template.step(r.step_id).title,
            }
            for r in strategy_checks.open_results(results)
        ],
        "threads": threads,
    }


def _version_number(version: DraftVersion | None) -> int | None:
    return version.number if version is not None else None
