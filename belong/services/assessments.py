"""Recorded self-assessment results: the baseline and later re-runs of a region."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from belong.document.chart import progress_chart, score_chart
from belong.extensions import db
from belong.formatting import format_day
from belong.models import AssessmentSnapshot, Region, User
from belong.services.errors import DomainError
from belong.services.regions import answer_values
from belong.services.scoring import Assessment, Values, assess, has_assessment, progress
from belong.templating.schema import Step, StrategyTemplate


def snapshots(region: Region, until: datetime | None = None) -> list[AssessmentSnapshot]:
    """Oldest first: the first one is the baseline. With `until`, those recorded by then
    (snapshots are only ever added, so this is the history as it was at that moment)."""
    statement = select(AssessmentSnapshot).where(AssessmentSnapshot.region_id == region.id)
    if until is not None:
        statement = statement.where(AssessmentSnapshot.taken_at <= until)
    return list(
        db.session.scalars(statement.order_by(AssessmentSnapshot.taken_at, AssessmentSnapshot.id))
    )


class UnansweredQuestions(DomainError):
    """Scores with unanswered questions were to be recorded without saying that is meant."""

    def __init__(self, unanswered: int) -> None:
        super().__init__(f"{unanswered} scored questions unanswered")
        self.unanswered = unanswered


def record_snapshot(
    region: Region,
    template: StrategyTemplate,
    values: Values,
    user: User | None,
    *,
    unanswered_confirmed: bool = False,
) -> AssessmentSnapshot:
    """Store the current scores; the first snapshot is labelled the baseline. An unanswered
    question counts as no points, so a record with gaps needs `unanswered_confirmed`."""
    scores = assess(template, values)
    if scores.answered < scores.total and not unanswered_confirmed:
        raise UnansweredQuestions(scores.total - scores.answered)
    count = len(snapshots(region))
    label = _("Baseline") if count == 0 else _("Re-run %(n)s", n=count)
    snapshot = AssessmentSnapshot(
        region_id=region.id,
        taken_by_id=user.id if user is not None else None,
        label=label,
        scores=scores.as_scores(),
    )
    db.session.add(snapshot)
    db.session.flush()
    return snapshot


def assessment_view(
    current: Assessment, history: list[AssessmentSnapshot]
) -> dict[str, Any] | None:
    """Plain values and charts for a page or the document; None when nothing is scored."""
    if not current.areas:
        return None
    baseline = history[0] if history else None
    rows = progress(current, baseline.scores if baseline else {})
    view: dict[str, Any] = {
        "overall": current.overall,
        "answered": current.answered,
        "total": current.total,
        "areas": [
            {
                "id": area.id,
                "label": area.label,
                "weight": area.weight,
                "score": area.score,
                "answered": area.answered,
                "total": area.total,
                "baseline": row.baseline,
                "change": row.change,
            }
            for area, row in zip(current.areas, rows, strict=True)
        ],
        # Only the areas with an answer: an area nobody assessed is not a score of 0.
        "chart": score_chart(
            [(a.label, a.score) for a in current.areas if a.answered],
            title=_("Self-assessment score by policy area, 0 to 100"),
        )
        if current.answered
        else None,
        "baseline": None,
        "history": [
            {
                "label": s.label,
                "taken_at": format_day(s.taken_at, "medium"),
                "taken_by": s.taken_by.name if s.taken_by else "",
                "overall": s.scores.get("overall"),
                "answered": s.scores.get("answered"),
                "total": s.scores.get("total"),
            }
            for s in history
        ],
    }
    if baseline is not None:
        base_overall = baseline.scores.get("overall")
        view["baseline"] = {
            "label": baseline.label,
            "taken_at": format_day(baseline.taken_at, "medium"),
            "overall": base_overall,
            "change": None if base_overall is None else round(current.overall - base_overall, 1),
        }
        view["progress_chart"] = progress_chart(
            [(r.label, r.baseline, r.current) for r in rows],
            title=_("Self-assessment scores now compared with the baseline"),
            baseline_label=_("Baseline (%(date)s)", date=view["baseline"]["taken_at"]),
            current_label=_("Current answers"),
        )
    return view


def region_assessment(
    region: Region,
    template: StrategyTemplate,
    values: Values,
    *,
    until: datetime | None = None,
    history: list[AssessmentSnapshot] | None = None,
) -> dict[str, Any] | None:
    """The scores of `values` beside the region's recorded ones (as of `until`), or beside
    the `history` given (checking a layout without a database)."""
    recorded = snapshots(region, until) if history is None else history
    return assessment_view(assess(template, values), recorded)


def step_scores(region: Region, template: StrategyTemplate, step: Step) -> dict[str, Any] | None:
    """The self-assessment scores shown on a step page; None on steps without scored
    questions."""
    if not has_assessment(step):
        return None
    return region_assessment(region, template, answer_values([region.id])[region.id])
