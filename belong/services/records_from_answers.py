"""Existing regions' loose table answers become linked records, without loss.

- each row of `priorities.priority_areas` becomes a priority (area, problem statement), its
  general objective a general objective and each line of its specific objectives a specific
  objective, both belonging to that priority;
- each row of `action_plan.actions` becomes an action (lead, partners, period, principle,
  policy area, target group in the description), linked to the specific objective its
  "objective served" text matches best (within its priority area when that matches); its
  budget becomes one line per funding source (split by the shares written, e.g. "ESF+ (60%),
  regional budget (40%)"), dated in the action's first year, with its status left for the
  team to set; its indicator becomes an indicator measuring the action;
- each row of `governance.indicators` becomes an indicator;
- the training plan's budget (the number `training.training_budget`) becomes a cost line of
  the category training, dated in the first year of the planning period, with its source
  and status left for the team to set; unless an action already costs exactly that amount
  (the training plan costed as an action), which is listed instead.

Whatever cannot be matched (an action's objective or priority text that names no record, a
budget without a year) is listed as text (`Unmatched`), kept in the region's activity log by
`migrate_region` and printed by `flask --app app records unmatched SLUG`. The old answers are
left as they were. `convert` is pure (no database), so the Alembic migration (0015a) and the
import of a region use the same rules.

The stakeholder register and the training target groups (`LISTS`) become records of their own
kinds row for row (`convert_lists`; migration 0017p, `flask records migrate`).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from belong.document.plan import funding_shares

MIGRATED = "records_migrated"  # the audit event that keeps what could not be matched
KINDS = ("priority", "objective", "action", "indicator")
TRAINING = ("training", "training_budget")
_WORD = re.compile(r"\w+")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
SMALL = {"a", "an", "the", "and", "or", "of", "in", "to", "by", "for", "on", "with", "all"}


@dataclass(frozen=True)
class Unmatched:
    what: str  # e.g. "action 3, objective served"
    text: str
    why: str


def _words(text: Any) -> set[str]:
    return {w for w in _WORD.findall(str(text or "").casefold()) if w not in SMALL}


def _likeness(a: Any, b: Any) -> float:
    one, two = _words(a), _words(b)
    if not one or not two:
        return 0.0
    return len(one & two) / len(one | two)


def _best(text: Any, candidates: list[dict], field: str, floor: float = 0.5) -> dict | None:
    scored = [(_likeness(text, c["values"].get(field)), i, c) for i, c in enumerate(candidates)]
    scored = [s for s in scored if s[0] >= floor]
    return max(scored, key=lambda s: (s[0], -s[1]))[2] if scored else None


def objective_lines(text: Any) -> list[str]:
    """The specific objectives written in one text: one per line or list item."""
    lines = []
    for line in str(text or "").splitlines():
        line = _BULLET.sub("", line).strip().rstrip(".").strip()
        if line:
            lines.append(line)
    return lines


def _year(value: Any) -> int | None:
    match = re.match(r"^(\d{4})", str(value or ""))
    return int(match.group(1)) if match else None


def convert(answers: dict[tuple[str, str], Any]) -> tuple[list[dict], list[Unmatched]]:
    """Records (dicts of kind, key, values, in order) and what could not be matched, from a
    region's answers keyed by (step id, question id)."""
    records: list[dict] = []
    unmatched: list[Unmatched] = []

    def add(kind: str, values: dict) -> dict:
        number = sum(1 for r in records if r["kind"] == kind) + 1
        record = {
            "kind": kind,
            "key": f"{kind}-{number}",
            "values": {k: v for k, v in values.items() if v not in (None, "", [])},
        }
        records.append(record)
        return record

    priorities, specific = [], {}
    for row in answers.get(("priorities", "priority_areas")) or []:
        if not isinstance(row, dict) or not row.get("area"):
            continue
        priority = add("priority", {"title": row["area"], "problem": row.get("problem")})
        priorities.append(priority)
        if row.get("general_objective"):
            add(
                "objective",
                {
                    "statement": str(row["general_objective"]).strip()[:500],
                    "level": "general",
                    "priority": priority["key"],
                },
            )
        specific[priority["key"]] = [
            add(
                "objective",
                {"statement": line[:500], "level": "specific", "priority": priority["key"]},
            )
            for line in objective_lines(row.get("specific_objectives"))
        ]
    every_specific = [o for objectives in specific.values() for o in objectives]

    for number, row in enumerate(answers.get(("action_plan", "actions")) or [], start=1):
        if not isinstance(row, dict) or not row.get("action"):
            continue
        where = f"action {number} ({row['action']})"
        priority = _best(row.get("priority_area"), priorities, "title", 0.99) or _best(
            row.get("priority_area"), priorities, "title"
        )
        if row.get("priority_area") and priority is None:
            unmatched.append(
                Unmatched(f"{where}, priority area", row["priority_area"], "no such priority area")
            )
        pool = specific.get(priority["key"], []) if priority else every_specific
        objective = (
            _best(row.get("objective"), pool, "statement", 0.3) if row.get("objective") else None
        )
        if row.get("objective") and objective is None:
            unmatched.append(
                Unmatched(
                    f"{where}, objective served",
                    row["objective"],
                    "no specific objective matches it",
                )
            )
        start_year = _year(row.get("start"))
        budget = []
        if row.get("budget") not in (None, ""):
            if start_year is None:
                unmatched.append(
                    Unmatched(
                        f"{where}, budget",
                        str(row["budget"]),
                        "no start date to give the budget a year",
                    )
                )
            else:
                for source, share in funding_shares(row.get("funding_source")) or [("", 1.0)]:
                    budget.append(
                        {
                            "year": start_year,
                            "source": source or None,
                            "amount": round(float(row["budget"]) * share, 2),
                        }
                    )
                unmatched.append(
                    Unmatched(
                        f"{where}, budget",
                        str(row.get("funding_source") or ""),
                        "spread it over the years; set each line's status",
                    )
                )
        description = f"Target group: {row['target_group']}" if row.get("target_group") else None
        action = add(
            "action",
            {
                "title": str(row["action"])[:500],
                "objectives": [objective["key"]] if objective else None,
                "description": description,
                "lead": row.get("lead"),
                "partners": row.get("partners"),
                "start": row.get("start"),
                "end": row.get("end"),
                "principles": [row["principle"]] if row.get("principle") else None,
                "policy_areas": [row["policy_area"]] if row.get("policy_area") else None,
                "budget": budget or None,
            },
        )
        if row.get("indicator"):
            add("indicator", {"name": str(row["indicator"])[:500], "action": action["key"]})

    for row in answers.get(("governance", "indicators")) or []:
        if not isinstance(row, dict) or not row.get("indicator"):
            continue
        add(
            "indicator",
            {
                "name": str(row["indicator"])[:500],
                "baseline": row.get("baseline"),
                "target": row.get("target"),
                "source": row.get("source"),
                "frequency": row.get("frequency"),
                "owner": row.get("responsible"),
                "assumptions": row.get("assumptions"),
            },
        )
    cost, more = training_cost(answers, [r for r in records if r["kind"] == "action"])
    unmatched += more
    if cost is not None:
        records.append(cost)
    for record in records:
        record["position"] = sum(
            1 for r in records[: records.index(record)] if r["kind"] == record["kind"]
        )
    return records, unmatched


# The table answers that became lists of records of their own, field for field: (step,
# question) -> the kind of record each row becomes. Nothing needs matching, so nothing is lost.
LISTS = {
    ("stakeholders", "stakeholder_register"): "stakeholder",
    ("training", "training_groups"): "training_group",
}


def convert_lists(
    answers: dict[tuple[str, str], Any], skip: set[str] | frozenset[str] = frozenset()
) -> list[dict]:
    """Records (kind, key, position, values) from the rows of the LISTS tables, in their
    order, each row's cells as the record's values (empty cells left out). `skip`: kinds
    that have records already."""
    records = []
    for place, kind in LISTS.items():
        if kind in skip:
            continue
        rows = answers.get(place)
        for row in rows if isinstance(rows, list) else []:
            if not isinstance(row, dict):
                continue
            values = {k: v for k, v in row.items() if v not in (None, "", [])}
            if values:
                number = sum(1 for r in records if r["kind"] == kind)
                records.append(
                    {
                        "kind": kind,
                        "key": f"{kind}-{number + 1}",
                        "position": number,
                        "values": values,
                    }
                )
    return records


def migrate_lists(region, user=None) -> int:
    """Make the region's stakeholder register and training groups records from their table
    answers, each list once (a kind with records already is left alone). The answers stay.
    Returns the number of records made."""
    from sqlalchemy import select

    from belong.extensions import db
    from belong.models import Record
    from belong.services import answers as answer_service
    from belong.services import records as record_service

    had = set(
        db.session.scalars(
            select(Record.kind).where(
                Record.region_id == region.id, Record.kind.in_(set(LISTS.values()))
            )
        )
    )
    values = {key: a.value for key, a in answer_service.region_answers(region).items()}
    made = convert_lists(values, skip=had)
    taken = set(db.session.scalars(select(Record.key).where(Record.region_id == region.id)))
    for record in made:
        key = record["key"] if record["key"] not in taken else None
        record_service.add_record(region, record["kind"], record["values"], user, key=key)
    return len(made)


def _budget_total(values: dict) -> float:
    lines = values.get("budget") or []
    total = 0.0
    for line in lines if isinstance(lines, list) else []:
        try:
            total += float(line.get("amount") or 0) if isinstance(line, dict) else 0.0
        except (TypeError, ValueError):
            continue
    return total


def training_cost(
    answers: dict[tuple[str, str], Any], actions: list[dict]
) -> tuple[dict | None, list[Unmatched]]:
    """The training plan's budget (a number answer) as a cost line, or None; `actions`: the
    region's action records (dicts with values), to see whether one already costs it."""
    amount = answers.get(TRAINING)
    if isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount <= 0:
        return None, []
    where = "training plan, budget"
    for action in actions:
        if abs(_budget_total(action["values"]) - amount) < 0.5:
            title = action["values"].get("title") or action.get("key")
            return None, [Unmatched(where, str(amount), f"already costed as the action {title}")]
    year = _year(answers.get(("mandate", "period_start")))
    line = {"year": year, "source": None, "amount": amount}
    record = {
        "kind": "cost_line",
        "key": "cost_line-training",
        "values": {
            "title": "Training plan",
            "category": "training",
            "budget": [{k: v for k, v in line.items() if v is not None}],
        },
    }
    why = "spread it over the years; name its source and set its status"
    if year is None:
        why = "no planning period to give it a year; " + why
    return record, [Unmatched(where, str(amount), why)]


def migrate_region(region, user=None) -> list[Unmatched] | None:
    """Make the region's records from its answers, once: a region that has records of these
    kinds already is left alone (None). What could not be matched is logged and returned."""
    from sqlalchemy import select

    from belong.extensions import db
    from belong.models import Record
    from belong.services import activity
    from belong.services import answers as answer_service
    from belong.services import records as record_service

    had = db.session.scalar(
        select(Record.id).where(Record.region_id == region.id, Record.kind.in_(KINDS)).limit(1)
    )
    if had is not None:
        return None
    values = {key: a.value for key, a in answer_service.region_answers(region).items()}
    records, unmatched = convert(values)
    if not records:
        return []
    taken = set(db.session.scalars(select(Record.key).where(Record.region_id == region.id)))
    renamed = {
        r["key"]: r["key"] if r["key"] not in taken else record_service.new_key(r["kind"])
        for r in records
    }
    for record in records:
        record_service.add_record(
            region,
            record["kind"],
            _rekeyed(record["values"], renamed),
            user,
            key=renamed[record["key"]],
        )
    activity.record(MIGRATED, region, user=user, unmatched=[asdict(u) for u in unmatched])
    return unmatched


def _rekeyed(values: dict, renamed: dict[str, str]) -> dict:
    out = dict(values)
    for field in ("priority", "action"):
        if field in out:
            out[field] = renamed.get(out[field], out[field])
    if "objectives" in out:
        out["objectives"] = [renamed.get(k, k) for k in out["objectives"]]
    return out


def unmatched_of(region) -> list[dict] | None:
    """What the last migration of the region's answers could not match (None: never run)."""
    from sqlalchemy import select

    from belong.extensions import db
    from belong.models import AuditEvent

    event = db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.region_id == region.id, AuditEvent.action == MIGRATED)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    return None if event is None else list((event.detail or {}).get("unmatched") or [])
