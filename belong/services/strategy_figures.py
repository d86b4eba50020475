"""The strategy's figures, computed once from its records and quoted everywhere the document
states them (never typed): the budget by year, policy area or cost category, funding source
and status, each action's and each cost line's total, the counts of the results chain, and who
took part (`participation`: the stakeholder register and the input received).

The budget is complete: the budget lines (year x funding source, with a status) of the
actions and of the cost lines beyond them (training plan, coordination, evaluation,
surveys...) are summed as written. An action in several policy areas has its amount split
equally among them; a cost line counts under its category; so the areas and categories add
up to the total.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from belong.templating.schema import StrategyTemplate

STATUSES = ("secured", "pending", "to_be_sought")


def _amount(value: Any) -> float:
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return 0.0


@dataclass
class Figures:
    total: float = 0.0
    years: list[int] = field(default_factory=list)
    by_year: dict[int, float] = field(default_factory=dict)
    by_status: dict[str, float] = field(default_factory=dict)
    by_source: dict[str, float] = field(default_factory=dict)
    by_area: dict[str, float] = field(default_factory=dict)
    # year -> status -> amount, for the yearly budget profile
    year_status: dict[int, dict[str, float]] = field(default_factory=dict)
    by_action: dict[str, float] = field(default_factory=dict)  # action key -> total
    by_cost: dict[str, float] = field(default_factory=dict)  # cost line key -> total
    actions_total: float = 0.0
    costs_total: float = 0.0
    status_labels: dict[str, str] = field(default_factory=dict)
    area_labels: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def share(self, amount: float) -> int:
        return round(100 * amount / self.total) if self.total else 0


def _labels(template: StrategyTemplate, kind: str, field_id: str, column: str | None = None):
    record_kind = template.record_kind(kind)
    item = record_kind.field(field_id) if record_kind else None
    if item is not None and column is not None:
        item = next((c for c in getattr(item, "columns", ()) if c.id == column), None)
    return {o.value: o.label for o in getattr(item, "options", ())} if item else {}


def figures(template: StrategyTemplate, records: dict[str, list]) -> Figures:
    """The figures of the records (by kind, as belong/services/records.py gives them)."""
    result = Figures(
        status_labels=_labels(template, "action", "budget", "status"),
        area_labels={
            **_labels(template, "action", "policy_areas"),
            **_labels(template, "cost_line", "category"),
        },
        counts={kind: len(views) for kind, views in records.items()},
    )
    by_year: dict[int, float] = defaultdict(float)
    by_status: dict[str, float] = defaultdict(float)
    by_source: dict[str, float] = defaultdict(float)
    by_area: dict[str, float] = defaultdict(float)
    year_status: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))

    def add_lines(view) -> float:
        lines = view.values.get("budget") or []
        total = 0.0
        for line in lines if isinstance(lines, list) else []:
            if not isinstance(line, dict):
                continue
            amount = _amount(line.get("amount"))
            year = line.get("year")
            status = line.get("status") or ""
            total += amount
            if isinstance(year, (int, float)):
                by_year[int(year)] += amount
                year_status[int(year)][status] += amount
            by_status[status] += amount
            by_source[str(line.get("source") or "").strip()] += amount
        return total

    for action in records.get("action", []):
        action_total = add_lines(action)
        result.by_action[action.key] = action_total
        result.actions_total += action_total
        areas = action.values.get("policy_areas") or [""]
        for area in areas:
            by_area[area] += action_total / len(areas)
    for cost in records.get("cost_line", []):
        cost_total = add_lines(cost)
        result.by_cost[cost.key] = cost_total
        result.costs_total += cost_total
        by_area[str(cost.values.get("category") or "")] += cost_total
    result.total = result.actions_total + result.costs_total
    result.years = sorted(by_year)
    result.by_year = {y: by_year[y] for y in result.years}
    order = {s: i for i, s in enumerate(STATUSES)}
    result.by_status = dict(sorted(by_status.items(), key=lambda kv: order.get(kv[0], 99)))
    result.by_source = dict(sorted(by_source.items(), key=lambda kv: (-kv[1], kv[0])))
    result.by_area = dict(sorted(by_area.items(), key=lambda kv: (-kv[1], kv[0])))
    result.year_status = {y: dict(year_status[y]) for y in result.years}
    return result


@dataclass
class Participation:
    """Who took part, counted once: the organisations and groups in the stakeholder register
    (by category and by participation level, as the reader's labels) and the input received
    through the application (the consultation record)."""

    registered: int = 0
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_level: list[tuple[str, int]] = field(default_factory=list)
    inputs: int = 0  # contributions received
    adopted: int = 0  # of them adopted into the text
    organisations: int = 0  # organisations that gave input (named or not)
    people: int = 0  # people who gave input


def _counted(options: dict[str, str], values: list[Any], unstated: str) -> list[tuple[str, int]]:
    """(label, count) in the options' order, then anything else; only what occurs."""
    order = {value: n for n, value in enumerate(options)}
    found: dict[Any, int] = defaultdict(int)
    for value in values:
        found[value or ""] += 1
    ranked = sorted(found, key=lambda v: (v not in order, order.get(v, 0), str(v)))
    return [(options.get(v) or (str(v) if v else unstated), found[v]) for v in ranked]


def participation(
    template: StrategyTemplate,
    records: dict[str, list],
    consultation: dict[str, Any] | None,
    unstated: str = "",
) -> Participation:
    """The participation figures of a document: the stakeholder records (by kind, as
    belong/services/records.py gives them) and its consultation record (plain values from
    belong/services/contributions.py `consultation_record`, frozen with a version)."""
    register = records.get("stakeholder", [])
    result = Participation(
        registered=len(register),
        by_category=_counted(
            _labels(template, "stakeholder", "category"),
            [v.values.get("category") for v in register],
            unstated,
        ),
        by_level=_counted(
            _labels(template, "stakeholder", "participation"),
            [v.values.get("participation") for v in register if v.values.get("participation")],
            unstated,
        ),
    )
    if consultation:
        result.inputs = int(consultation.get("total") or 0)
        result.adopted = int(consultation.get("adopted") or 0)
        result.organisations = len(consultation.get("organisations") or []) + int(
            consultation.get("unnamed_organisations") or 0
        )
        result.people = int(consultation.get("people") or 0)
    return result
