"""Each region's progress and self-assessment scores, stored once per change of its answers.

The programme pages (dashboard, admin list) and the region's home page read one row per
region instead of every answer. Any write to a region's answers, whatever service makes it
through the session, removes the summary and bumps `Region.answers_revision` in the same
transaction (belong/models/revisions.py). A summary records the revision it was worked out
from (read before the answers) and the template definition it used, so one computed while an
answer was being saved, or against an edited template, is seen as stale and worked out again."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, g
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from belong.database import upsert, without_waiting
from belong.extensions import db
from belong.models import Region, RegionSummary
from belong.models.base import utcnow
from belong.services import scoring
from belong.services.progress import StepProgress, StepState, percent_complete, template_progress
from belong.services.regions import answer_values
from belong.templating.languages import reading_language
from belong.templating.loader import LoadedTemplate
from belong.templating.registry import all_templates


@dataclass
class Summary:
    progress: list[StepProgress]
    percent: int
    overall: float | None = None
    areas: dict[str, float] = field(default_factory=dict)


def summaries(regions: Iterable[Region], *, for_reader: bool = False) -> dict[int, Summary]:
    """The summary of each region (regions without a loaded template get an empty one).
    Step titles come in the template's own language, or with `for_reader` in the language
    the reader reads each region's template in (belong/templating/languages.py)."""
    regions = list(regions)
    templates = all_templates()
    stored, computed = _stored_and_computed(regions)
    figures = {region_id: _figures(row) for region_id, row in stored.items()}
    figures.update(computed)
    result: dict[int, Summary] = {}
    for region in regions:
        template = templates.get(region.template_id)
        if template is None:
            result[region.id] = Summary([], 0)
            continue
        if for_reader:
            template = template.in_language(reading_language(template, region.language))
        result[region.id] = _summary(template, figures[region.id])
    return result


# Built once: regions as light rows with their stored figures (the programme lists).
HEADLINE_ROWS = (
    select(
        Region.id,
        Region.name,
        Region.slug,
        Region.template_id,
        Region.updated_at,
        Region.answers_revision,
        RegionSummary.answers_revision.label("summary_revision"),
        RegionSummary.template_key,
        RegionSummary.percent,
        RegionSummary.overall,
    )
    .outerjoin(RegionSummary, RegionSummary.region_id == Region.id)
    .order_by(Region.name, Region.id)
)


def headlines(regions: Iterable[Region]) -> dict[int, tuple[int, float | None]]:
    """(percent complete, overall score) of each of these regions, without the per-step
    detail (a page of a programme-wide list)."""
    known = {region.id: region for region in regions}
    if not known:
        return {}
    rows = _with_figures(HEADLINE_ROWS.where(Region.id.in_(known)), known)
    return {row.id: (percent, overall) for row, percent, overall in rows}


def programme_headlines() -> list[tuple[Any, int, float | None]]:
    """Every region as a light row (id, name, slug, template_id, updated_at) with its
    (percent complete, overall score), in one query: what a programme-wide list needs to sort
    every region before it shows one page of them."""
    return _with_figures(HEADLINE_ROWS, {})


def _with_figures(statement, known: dict[int, Region]) -> list[tuple[Any, int, float | None]]:
    """Each light row of `statement` with its (percent, overall): from the stored summary
    while it holds, else worked out and kept. Stale regions not in `known` are loaded whole."""
    templates = all_templates()
    rows = db.session.execute(statement).all()
    stale = [
        row.id
        for row in rows
        if row.template_id in templates and not _holds(row, row.summary_revision, row.template_key)
    ]
    loaded = [known[region_id] for region_id in stale if region_id in known]
    missing = [region_id for region_id in stale if region_id not in known]
    if missing:
        loaded += db.session.scalars(select(Region).where(Region.id.in_(missing)))
    computed = summaries(loaded) if loaded else {}
    result = []
    for row in rows:
        if row.template_id not in templates:
            result.append((row, 0, None))
        elif row.id in computed:
            result.append((row, computed[row.id].percent, computed[row.id].overall))
        else:
            result.append((row, row.percent, row.overall))
    return result


def _stored_and_computed(regions: list[Region]):
    """The fresh stored rows, and the figures worked out (and kept) for the stale regions."""
    templates = all_templates()
    stored: dict[int, RegionSummary] = {}
    if regions:
        query = select(RegionSummary).where(RegionSummary.region_id.in_([r.id for r in regions]))
        stored = {row.region_id: row for row in db.session.scalars(query)}
    stale = [
        (region, templates[region.template_id])
        for region in regions
        if region.template_id in templates and not _fresh(region, stored.get(region.id))
    ]
    computed = _compute_and_keep(stale) if stale else {}
    fresh = {rid: row for rid, row in stored.items() if rid not in computed}
    return fresh, computed


def summary(region: Region) -> Summary:
    """One region's summary, with its steps in the reader's language for the region."""
    return summaries([region], for_reader=True)[region.id]


def _fresh(region: Region, row) -> bool:
    """Whether a stored summary (a row with its revision and template key) still holds."""
    return row is not None and _holds(region, row.answers_revision, row.template_key)


def _holds(region, summary_revision: int | None, template_key: str | None) -> bool:
    """A summary holds while the region's answers and template are those it was made from."""
    return (
        summary_revision == region.answers_revision
        and template_key == all_templates()[region.template_id].definition_key
    )


def _figures(row: RegionSummary) -> dict[str, Any]:
    return {name: getattr(row, name) for name in ("steps", "percent", "overall", "areas")}


def _summary(template: LoadedTemplate, figures: dict[str, Any]) -> Summary:
    progress = [
        StepProgress(step, StepState(state), answered, tuple(missing))
        for step, (state, answered, missing) in zip(
            template.definition.steps, figures["steps"], strict=True
        )
    ]
    return Summary(progress, figures["percent"], figures["overall"], dict(figures["areas"]))


def _compute_and_keep(stale) -> dict[int, dict[str, Any]]:
    revisions = {region.id: region.answers_revision for region, _t in stale}  # before answers
    values = answer_values([region.id for region, _t in stale])
    rows = []
    for region, template in stale:
        definition = template.definition
        progress = template_progress(definition, values[region.id])
        scores = scoring.assess(definition, values[region.id])
        rows.append(
            {
                "region_id": region.id,
                "answers_revision": revisions[region.id],
                "template_key": template.definition_key,
                "percent": percent_complete(progress),
                "steps": [[p.state.value, p.answered, list(p.missing_required)] for p in progress],
                "overall": scores.overall if scores.areas else None,
                "areas": {a.id: a.score for a in scores.areas},
                "computed_at": utcnow(),
            }
        )
    if _keep(rows):
        g.summaries_kept = True
    return {row["region_id"]: {name: row[name] for name in FIGURES} for row in rows}


FIGURES = ("steps", "percent", "overall", "areas")


def _keep(rows: list[dict[str, Any]]) -> bool:
    """Store the worked-out summaries in one statement that inserts or replaces each row, so
    a row another reader stored, or a writer removed, meanwhile is no error; a row worked
    out from newer answers is never replaced by an older one. Never waits on a lock, never
    fails the page: a lost race means the figures shown are right and the next reader
    keeps them."""
    statement = upsert(RegionSummary).values(rows)
    replaced = {name: statement.excluded[name] for name in rows[0] if name != "region_id"}
    statement = statement.on_conflict_do_update(
        index_elements=[RegionSummary.region_id],
        set_=replaced,
        where=RegionSummary.answers_revision <= statement.excluded.answers_revision,
    )
    try:
        with without_waiting(), db.session.begin_nested():
            db.session.execute(statement)
    except (IntegrityError, OperationalError):
        # The database is busy with a write to these rows (or, on SQLite, to anything).
        return False
    return True


def _keep_after_read(response: Response) -> Response:
    """A page that only reads still keeps the summaries it worked out."""
    if g.pop("summaries_kept", False) and response.status_code < 400:
        try:
            db.session.commit()
        except (IntegrityError, OperationalError):
            db.session.rollback()
    return response


def init_app(app: Flask) -> None:
    app.after_request(_keep_after_read)
