"""The records of the results chain (priorities, objectives, actions, indicators, funding
lines) as the strategy checks read them: ONE function, `chain_records`.

They are the region's linked records (belong/services/records.py), read from a set of values
that carries them (`records.snapshot`: the live draft's records, or those a version froze),
so a version is checked on the records it holds. References are record keys; nothing is
matched by its text. What each kind offers a check (belong/templating/checks.py
RECORD_KINDS):

- `priority`: its name, and the policy areas of the actions serving its objectives;
- `objective`: the specific objectives (a general one is served through them), with their
  priority area and the policy areas of the actions that serve them;
- `action`: its fields, the objectives it serves as keys;
- `indicator`: what it measures (the objective and the action it names, and the objectives
  that action serves) and the principles it tracks;
- `funding_line`: each budget line of an action or a cost line (year, source, status).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from belong.services.records import RecordView
from belong.templating.schema import StrategyTemplate

Chain = dict[str, list[RecordView]]  # kind -> the records, as records.from_snapshot gives them


@dataclass(frozen=True)
class ChainRecord:
    kind: str
    key: str
    label: str  # how a result names the record
    values: dict[str, Any] = field(default_factory=dict)
    step_id: str = ""  # where the record's list stands
    question_id: str = ""


def _place(template: StrategyTemplate, kind: str) -> tuple[str, str]:
    step = template.step_of_kind(kind)
    if step is None:
        return "", ""
    question = next(q for q in step.questions if q.type == "records" and q.kind == kind)
    return step.id, question.id


def _keys(views: list[RecordView]) -> list[str]:
    return [v.key for v in views]


def _specific(view: RecordView) -> bool:
    return view.values.get("level") != "general"


def _areas(actions: list[RecordView]) -> list[str]:
    return sorted({area for a in actions for area in a.values.get("policy_areas") or []})


def _record(template: StrategyTemplate, view: RecordView, values: dict) -> ChainRecord:
    label = view.title or view.key
    return ChainRecord(view.kind, view.key, label, values, *_place(template, view.kind))


def _priority(template: StrategyTemplate, view: RecordView) -> ChainRecord:
    objectives = view.referring("objective", "priority")
    actions = [a for o in objectives for a in o.referring("action", "objectives")]
    return _record(template, view, {"name": view.title, "policy_areas": _areas(actions)})


def _objective(template: StrategyTemplate, view: RecordView) -> ChainRecord:
    priority = view.ref("priority")
    values = {
        "statement": view.title,
        "priority": priority[0].title if priority else "",
        "policy_areas": _areas(view.referring("action", "objectives")),
    }
    return _record(template, view, values)


def _action(template: StrategyTemplate, view: RecordView) -> ChainRecord:
    values = {
        name: view.values.get(name)
        for name in ("title", "principles", "policy_areas", "start", "end", "budget", "lead")
    }
    values["objectives"] = _keys(view.ref("objectives"))
    return _record(template, view, values)


def _indicator(template: StrategyTemplate, view: RecordView) -> ChainRecord:
    measured = view.ref("objective") + view.ref("action")
    through = [o for a in view.ref("action") for o in a.ref("objectives")]
    values = {
        "name": view.title,
        "measures": list(dict.fromkeys(_keys(measured + through))),
        "principles": view.values.get("principles") or [],
    }
    return _record(template, view, values)


def _funding_lines(template: StrategyTemplate, chain: Chain) -> list[ChainRecord]:
    lines = []
    for kind in ("action", "cost_line"):
        step_id, question_id = _place(template, kind)
        for view in chain.get(kind, []):
            rows = view.values.get("budget")
            for number, row in enumerate(rows if isinstance(rows, list) else [], start=1):
                if not isinstance(row, dict):
                    continue
                year = row.get("year")
                label = f"{view.title or view.key}, {year}" if year else (view.title or view.key)
                lines.append(
                    ChainRecord(
                        "funding_line",
                        f"{view.key}-{number}",
                        label,
                        {
                            "action": view.key,
                            "source": row.get("source"),
                            "status": row.get("status"),
                            "amount": row.get("amount"),
                        },
                        step_id,
                        question_id,
                    )
                )
    return lines


def chain_records(template: StrategyTemplate, chain: Chain, kind: str) -> list[ChainRecord]:
    """The records of `kind` (belong/templating/checks.py RECORD_KINDS), in order."""
    views = chain.get(kind, [])
    if kind == "priority":
        return [_priority(template, v) for v in views]
    if kind == "objective":
        return [_objective(template, v) for v in views if _specific(v)]
    if kind == "action":
        return [_action(template, v) for v in views]
    if kind == "indicator":
        return [_indicator(template, v) for v in views]
    if kind == "funding_line":
        return _funding_lines(template, chain)
    raise ValueError(f"no record kind {kind!r}")
