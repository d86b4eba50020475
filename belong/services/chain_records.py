"""The records of the results chain (priorities, objectives, actions, indicators, funding
lines) as the strategy checks read them: ONE function, `chain_records`.

Today they are read from the table answers of the steps `priorities` (priority areas with
their specific objectives, one per line), `action_plan` (one action per row) and `governance`
(indicators). An action names the objective(s) it serves in its `objective` cell (several
separated by `;`), matched to the objectives' statements without regard to case, bullets or a
final full stop; its `indicator` cell is an indicator that measures the action and the
objectives it serves, and tracks its principle. When the results chain is stored as linked
records (belong/services/records.py `records_of(region, kind)`), this function reads them
instead, with the same kinds and fields (belong/templating/checks.py RECORD_KINDS).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from belong.templating.schema import StrategyTemplate

Values = dict[tuple[str, str], Any]

_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


@dataclass(frozen=True)
class ChainRecord:
    kind: str
    key: str
    label: str  # how a result names the record
    values: dict[str, Any] = field(default_factory=dict)
    step_id: str = ""  # where the record is edited
    question_id: str = ""


def normalised(text: str) -> str:
    """An objective's statement as matched: no bullet, no final full stop, case and spaces
    ignored."""
    text = _BULLET.sub("", text or "").strip().rstrip(".").strip()
    return " ".join(text.casefold().split())


def _rows(values: Values, step_id: str, question_id: str) -> list[dict[str, Any]]:
    rows = values.get((step_id, question_id))
    return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _objectives(values: Values) -> list[ChainRecord]:
    found: dict[str, ChainRecord] = {}
    for row in _rows(values, "priorities", "priority_areas"):
        for line in _text(row.get("specific_objectives")).splitlines():
            key = normalised(line)
            if key and key not in found:
                statement = _BULLET.sub("", line).strip().rstrip(".")
                found[key] = ChainRecord(
                    "objective",
                    key,
                    statement,
                    {"statement": statement, "priority": _text(row.get("area"))},
                    "priorities",
                    "priority_areas",
                )
    return list(found.values())


def _actions(values: Values) -> list[ChainRecord]:
    objectives = {o.key for o in _objectives(values)}
    records = []
    for number, row in enumerate(_rows(values, "action_plan", "actions"), start=1):
        served = [normalised(part) for part in _text(row.get("objective")).split(";")]
        title = _text(row.get("action")) or f"A{number}"
        records.append(
            ChainRecord(
                "action",
                f"A{number}",
                title,
                {
                    "title": title,
                    "objectives": [key for key in served if key in objectives],
                    "principles": [row["principle"]] if row.get("principle") else [],
                    "policy_areas": [row["policy_area"]] if row.get("policy_area") else [],
                    "start": row.get("start"),
                    "end": row.get("end"),
                    "budget": row.get("budget"),
                    "lead": _text(row.get("lead")),
                    "indicator": _text(row.get("indicator")),
                    "funding_source": _text(row.get("funding_source")),
                    "funding_status": row.get("funding_status"),
                },
                "action_plan",
                "actions",
            )
        )
    return records


def _indicators(values: Values) -> list[ChainRecord]:
    records = [
        ChainRecord(
            "indicator",
            f"{action.key}-indicator",
            action.values["indicator"],
            {
                "name": action.values["indicator"],
                "measures": [action.key, *action.values["objectives"]],
                "principles": action.values["principles"],
            },
            "action_plan",
            "actions",
        )
        for action in _actions(values)
        if action.values["indicator"]
    ]
    for number, row in enumerate(_rows(values, "governance", "indicators"), start=1):
        name = _text(row.get("indicator"))
        if name:
            records.append(
                ChainRecord(
                    "indicator",
                    f"I{number}",
                    name,
                    {"name": name, "measures": [], "principles": []},
                    "governance",
                    "indicators",
                )
            )
    return records


def _areas_served(objective: ChainRecord, actions: list[ChainRecord]) -> list[str]:
    served = (a for a in actions if objective.key in a.values["objectives"])
    return sorted({area for action in served for area in action.values["policy_areas"]})


def _with_areas(objectives: list[ChainRecord], actions: list[ChainRecord]) -> list[ChainRecord]:
    """An objective addresses the policy areas of the actions that serve it."""
    return [
        ChainRecord(
            o.kind,
            o.key,
            o.label,
            {**o.values, "policy_areas": _areas_served(o, actions)},
            o.step_id,
            o.question_id,
        )
        for o in objectives
    ]


def chain_records(template: StrategyTemplate, values: Values, kind: str) -> list[ChainRecord]:
    """The records of `kind` (belong/templating/checks.py RECORD_KINDS), in order."""
    del template  # the linked records will be declared by the template
    if kind == "priority":
        return [
            ChainRecord(
                "priority",
                normalised(_text(row.get("area"))),
                _text(row.get("area")),
                {"name": _text(row.get("area")), "policy_areas": []},
                "priorities",
                "priority_areas",
            )
            for row in _rows(values, "priorities", "priority_areas")
            if _text(row.get("area"))
        ]
    if kind == "objective":
        return _with_areas(_objectives(values), _actions(values))
    if kind == "action":
        return _actions(values)
    if kind == "indicator":
        return _indicators(values)
    if kind == "funding_line":
        return [
            ChainRecord(
                "funding_line",
                f"{action.key}-funding",
                action.label,
                {
                    "action": action.key,
                    "source": action.values["funding_source"],
                    "status": action.values["funding_status"],
                    "amount": action.values["budget"],
                },
                "action_plan",
                "actions",
            )
            for action in _actions(values)
            if action.values["budget"]
        ]
    raise ValueError(f"no record kind {kind!r}")
