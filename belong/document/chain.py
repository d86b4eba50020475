"""The results chain laid out for the document: the actions numbered and grouped by the
priority area their objectives belong to, each action's card (every field), the indicators,
and the traceability rows (diagnosis finding -> objective -> actions -> indicators)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _

from belong.document.chart import COLOURS, timeline_chart
from belong.document.records import display_record, field_html
from belong.templating.schema import StrategyTemplate

HEADLINE_ACTIONS = 5


def _priority_of(action) -> Any:
    for objective in action.ref("objectives"):
        for priority in objective.ref("priority"):
            return priority
    return None


def chain_context(template: StrategyTemplate, records: dict[str, list], figures) -> dict:
    actions = records.get("action", [])
    priorities = records.get("priority", [])
    groups: list[dict] = []
    for priority in [*priorities, None]:
        members = [a for a in actions if _priority_of(a) is priority]
        if members:
            groups.append({"priority": priority, "actions": members})
    number = {}
    for group in groups:
        for action in group["actions"]:
            number[action.key] = len(number) + 1
        group["budget"] = sum(figures.by_action.get(a.key, 0.0) for a in group["actions"])
        # the priority's place (1, 2...): its colour in the document; 0 without a priority
        group["index"] = priorities.index(group["priority"]) + 1 if group["priority"] else 0
    kinds = {k.id: k for k in template.records}
    cards = []
    if "action" in kinds:
        for group in groups:
            for action in group["actions"]:
                cards.append(
                    {
                        "number": number[action.key],
                        "view": action,
                        "total": figures.by_action.get(action.key, 0.0),
                        "fields": [
                            f
                            for f in display_record(kinds["action"], action)
                            if f.answered
                            and f.question.id not in (kinds["action"].title, "start", "end")
                        ],
                    }
                )
    indicators = []
    if "indicator" in kinds:
        for indicator in records.get("indicator", []):
            indicators.append(
                {"view": indicator, "fields": display_record(kinds["indicator"], indicator)}
            )
    trace = []

    def finding(priority):
        """The diagnosis finding behind a priority, else its problem statement."""
        kind = kinds.get("priority")
        for name in ("finding", "problem"):
            item = kind.field(name) if kind else None
            if item is not None and priority.values.get(name):
                return field_html(item, priority)
        return ""

    for priority in priorities:
        objectives = [
            o
            for o in priority.referring("objective", "priority")
            if o.values.get("level") == "specific"
        ]
        for objective in objectives or [None]:
            served = objective.referring("action", "objectives") if objective else []
            measured = objective.referring("indicator", "objective") if objective else []
            for action in served:
                measured += [
                    i for i in action.referring("indicator", "action") if i not in measured
                ]
            trace.append(
                {
                    "priority": priority,
                    "finding": finding(priority),
                    "objective": objective,
                    "actions": [(number.get(a.key), a) for a in served],
                    "indicators": measured,
                }
            )
    rich = {  # long texts (Markdown) as HTML, by record key and field
        view.key: {
            item.id: field_html(item, view)
            for item in kinds[kind].fields
            if item.type == "long_text" and view.values.get(item.id)
        }
        for kind, views in records.items()
        if kind in kinds
        for view in views
    }
    return {
        "timeline": _timeline(groups, number, priorities),
        "rich": rich,
        "groups": groups,
        "number": number,
        "cards": cards,
        "indicators": indicators,
        "trace": trace,
        "count": len(actions),
        # The strategy at a glance: its largest actions by their computed budget.
        "headline": sorted(
            (a for g in groups for a in g["actions"]),
            key=lambda a: (-figures.by_action.get(a.key, 0.0), number[a.key]),
        )[:HEADLINE_ACTIONS],
    }


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _timeline(groups: list[dict], number: dict[str, int], priorities: list) -> Any:
    """The Gantt-style chart of the actions, numbered and coloured by priority area (each
    priority in its colour, as in the chapters and tables)."""
    items = [
        (
            f"A{number[a.key]} {a.title}",
            _day(a.values.get("start")),
            _day(a.values.get("end")),
            g["priority"].title if g["priority"] else "",
        )
        for g in groups
        for a in g["actions"]
    ]
    starts = [s for _l, s, _e, _g in items if s]
    ends = [e for _l, _s, e, _g in items if e]
    if not starts or not ends:
        return None
    colours = {p.title: COLOURS[i % len(COLOURS)] for i, p in enumerate(priorities)}
    return timeline_chart(
        items,
        title=_("Timeline of the actions"),
        start=min(starts),
        end=max(ends),
        colours=colours,
    )
