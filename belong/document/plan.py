"""The action plan in figures: actions grouped by priority area, budget totals by area and
by funding source, and the timeline chart. Pure functions over the answer values.

The plan is the first table question with a `budget` column; `priority_area`, `start`,
`end` and `funding_source` columns are used when present. A funding source written as
"ESF+ (60%), regional budget (40%)" splits the action's budget by those shares; sources
without a share divide what is left equally; one source without a share takes it all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _

from belong.document.chart import timeline_chart
from belong.formatting import format_amount
from belong.templating.schema import Question, Step, StrategyTemplate

_SHARE = re.compile(r"\(\s*(\d+(?:[.,]\d+)?)\s*%\s*\)")
_SEPARATORS = re.compile(r"[;,](?![^()]*\))")  # commas or semicolons outside parentheses


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def funding_shares(text: str | None) -> list[tuple[str, float]]:
    """(source, share 0-1) pairs from a free-text funding source."""
    parts = [p.strip() for p in _SEPARATORS.split(text or "") if p.strip()]
    if not parts:
        return [("", 1.0)]
    named: list[tuple[str, float | None]] = []
    for part in parts:
        match = _SHARE.search(part)
        name = _SHARE.sub("", part).strip()
        name = re.sub(r"\s+", " ", name)
        share = float(match.group(1).replace(",", ".")) / 100 if match else None
        named.append((name[:1].upper() + name[1:], share))
    given = sum(s for _, s in named if s is not None)
    open_parts = [n for n, s in named if s is None]
    rest = max(0.0, 1.0 - given) / len(open_parts) if open_parts else 0.0
    return [(n, s if s is not None else rest) for n, s in named]


@dataclass
class Group:
    name: str
    rows: list[int] = field(default_factory=list)  # indexes into the table's rows
    budget: float = 0.0


def find_plan(template: StrategyTemplate) -> tuple[Step, Question] | None:
    for step in template.steps:
        for question in step.questions:
            if question.type == "table" and any(c.id == "budget" for c in question.columns):
                return step, question
    return None


def plan_figures(
    template: StrategyTemplate, values: dict[tuple[str, str], Any]
) -> dict[str, Any] | None:
    found = find_plan(template)
    if found is None:
        return None
    step, question = found
    rows = values.get((step.id, question.id))
    rows = rows if isinstance(rows, list) else []
    groups: dict[str, Group] = {}
    by_source: dict[str, float] = {}
    total = 0.0
    for index, row in enumerate(rows):
        name = " ".join(str(row.get("priority_area") or "").split())
        # "Language access" and "language access " are one area, named as first written.
        group = groups.setdefault(name.casefold(), Group(name))
        budget = _number(row.get("budget"))
        group.rows.append(index)
        group.budget += budget
        total += budget
        for source, share in funding_shares(row.get("funding_source")):
            name = source or _("Not specified")
            key = next((k for k in by_source if k.casefold() == name.casefold()), name)
            by_source[key] = by_source.get(key, 0.0) + budget * share
    return {
        "step_id": step.id,
        "question_id": question.id,
        "total": round(total, 2),
        "groups": [
            {"name": g.name, "rows": g.rows, "budget": round(g.budget, 2)} for g in groups.values()
        ],
        "by_source": [
            {"name": name, "budget": round(amount, 2)}
            for name, amount in sorted(by_source.items(), key=lambda item: -item[1])
        ],
        "rows": rows,
    }


def timeline(figures: dict[str, Any], *, start: date | None = None, end: date | None = None) -> Any:
    """The Gantt-style chart of the plan's actions, numbered A1, A2... in row order."""
    rows = figures["rows"]
    dated = [(_date(r.get("start")), _date(r.get("end"))) for r in rows]
    starts = [s for s, _e in dated if s] + ([start] if start else [])
    ends = [e for _s, e in dated if e] + ([end] if end else [])
    if not rows or not starts or not ends:
        return None
    number = numbered_actions(figures)
    items = [
        (f"A{number[i]} {rows[i].get('action') or ''}", dated[i][0], dated[i][1], group["name"])
        for group in figures["groups"]
        for i in group["rows"]
    ]
    return timeline_chart(
        items,
        # too many bars to read out: the text alternative points to the table that has them
        title=_(
            "Timeline of the actions, coloured by priority area. The table of the actions "
            "by priority area gives the start and end of each action."
        ),
        start=min(starts),
        end=max(ends),
    )


def _ordered(figures: dict[str, Any]) -> list[int]:
    """Row indexes grouped by priority area, in the order the areas first appear."""
    return [i for g in figures["groups"] for i in g["rows"]]


def numbered_actions(figures: dict[str, Any]) -> dict[int, int]:
    return {i: n for n, i in enumerate(_ordered(figures), start=1)}


def plan_context(template: StrategyTemplate, values: dict[tuple[str, str], Any]) -> Any:
    """What the document layout needs: numbered actions by area (cells keyed by column id,
    already displayed as safe HTML), totals and the timeline chart. None without a plan."""
    from belong.document.display import display_scalar

    figures = plan_figures(template, values)
    if figures is None:
        return None
    _step, question = find_plan(template)
    number = numbered_actions(figures)
    rows = figures["rows"]

    def cells(row: dict[str, Any]) -> dict[str, Any]:
        return {c.id: display_scalar(c, row.get(c.id)) for c in question.columns}

    total = figures["total"]
    return {
        "columns": {c.id: c.label for c in question.columns},
        "count": len(rows),
        "total": format_amount(total),
        "groups": [
            {
                "name": g["name"],
                "budget": format_amount(g["budget"]),
                "share": round(100 * g["budget"] / total) if total else 0,
                "actions": [{"number": number[i], "cells": cells(rows[i])} for i in g["rows"]],
            }
            for g in figures["groups"]
        ],
        "by_source": [
            {
                "name": s["name"],
                "budget": format_amount(s["budget"]),
                "share": round(100 * s["budget"] / total) if total else 0,
            }
            for s in figures["by_source"]
        ],
        "timeline": timeline(figures),
    }
