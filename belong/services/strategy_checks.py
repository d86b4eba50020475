"""Strategy checks: the rules a template declares under `checks:` (belong/templating/checks.py
documents the vocabulary), evaluated over a set of answers. The one place that decides
whether the parts of a strategy hold together: the region's home and step pages, the draft's
status page, the release and `flask strategy-checks` all read `evaluate`."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from belong.formatting import format_day, format_number
from belong.models import Region
from belong.services import records as record_service
from belong.services import scoring
from belong.services.chain_records import Chain, ChainRecord, chain_records
from belong.services.progress import StepState, template_progress
from belong.services.regions import answer_values
from belong.templating.checks import Check
from belong.templating.schema import StrategyTemplate

Values = dict[tuple[str, str], Any]
# How many items a result names before "and N more".
NAMED = 4


class Status(enum.StrEnum):
    PASS = "pass"  # noqa: S105 (a check's status, not a password)
    WARNING = "warning"
    FAIL = "fail"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    Status.PASS: _l("Passed"),
    Status.WARNING: _l("Warning"),
    Status.FAIL: _l("Failed"),
}

FIELD_LABELS = {
    "name": _l("name"),
    "statement": _l("statement"),
    "priority": _l("priority area"),
    "baseline": _l("baseline"),
    "target": _l("target"),
    "target_date": _l("target date"),
    "policy_areas": _l("policy area"),
    "title": _l("title"),
    "objectives": _l("objective served"),
    "principles": _l("principle"),
    "start": _l("start"),
    "end": _l("end"),
    "budget": _l("budget"),
    "lead": _l("lead"),
    "measures": _l("what it measures"),
    "action": _l("action"),
    "source": _l("funding source"),
    "status": _l("funding status"),
    "amount": _l("amount"),
}


@dataclass(frozen=True)
class CheckResult:
    check: Check
    status: Status
    detail: str  # what was found, in the reader's language
    step_id: str  # where to act: the step page ...
    question_id: str | None  # ... and the question's anchor on it

    @property
    def title(self) -> str:
        return self.check.title

    @property
    def advice(self) -> str:
        """The sentence that says what to do; nothing once the check passes."""
        return "" if self.status is Status.PASS else self.check.advice

    @property
    def anchor(self) -> str | None:
        return f"q-{self.question_id}" if self.question_id else None

    @property
    def open(self) -> bool:
        return self.status is not Status.PASS


def _named(items: list[str]) -> str:
    shown = ", ".join(items[:NAMED])
    more = len(items) - NAMED
    if more > 0:
        shown += " " + ngettext("and %(num)s more", "and %(num)s more", more)
    return shown


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _question(template: StrategyTemplate, ref: str):
    step_id, question_id = ref.split(".")[:2]
    return step_id, template.step(step_id).question(question_id)


def _options(template: StrategyTemplate, ref: str):
    """The choices `ref` names: a record kind's field (`kind.field`), a question
    (`step.question`) or a table column (`step.question.column`)."""
    parts = ref.split(".")
    kind = template.record_kind(parts[0])
    if kind is not None:
        return kind.field(parts[1]).options
    question = _question(template, ref)[1]
    if len(parts) == 3:
        return next(c for c in question.columns if c.id == parts[2]).options
    return question.options


def _column(template: StrategyTemplate, ref: str):
    """The question and (with `step.question.column`) the column `ref` names."""
    step_id, question = _question(template, ref)
    parts = ref.split(".")
    columns = template.columns_of(question)  # a records question: its kind's fields
    column = next(c for c in columns if c.id == parts[2]) if len(parts) == 3 else None
    return step_id, question, column


def _row(item: dict) -> dict:
    """A table's row, or the values of a record as a records question lists it."""
    return item["values"] if isinstance(item.get("values"), dict) else item


def _filled(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return value not in (None, [], {})


class _Evaluation:
    """One check over one set of answers."""

    def __init__(
        self, template: StrategyTemplate, values: Values, chain: Chain, check: Check
    ) -> None:
        self.template, self.values, self.chain, self.check = template, values, chain, check
        self.step_id, self.question_id = check.step, check.question

    def result(self, met: bool | None, detail: str) -> CheckResult:
        """`met`: True passes, False is the check's severity, None (nothing to check yet)
        a warning."""
        if met is None:
            status = Status.WARNING
        elif met:
            status = Status.PASS
        else:
            status = Status(self.check.severity)
        return CheckResult(self.check, status, detail, self.step_id, self.question_id)

    def records(self, kind: str) -> list[ChainRecord]:
        return chain_records(self.template, self.chain, kind)

    def named_by(self, kind: str, field_id: str) -> set:
        """Every value the records of `kind` name in their (list) field `field_id`."""
        return {
            value for record in self.records(kind) for value in record.values.get(field_id) or []
        }

    def outcome(self, problems: list, failed: str, passed: str) -> CheckResult:
        """Fails (at the check's severity) with `failed` when there are problems, else
        passes with `passed`."""
        return self.result(False, failed) if problems else self.result(True, passed)

    def nothing_yet(self) -> CheckResult:
        return self.result(None, _("Nothing to check yet: none has been recorded so far."))

    # ------------------------------------------------------------------ the rules

    def steps_complete(self) -> CheckResult:
        wanted = set(self.check.steps) or {s.id for s in self.template.steps}
        progress = [p for p in template_progress(self.template, self.values) if p.step.id in wanted]
        open_steps = [p for p in progress if p.state is not StepState.COMPLETED]
        if not open_steps:
            return self.result(
                True,
                ngettext(
                    "%(num)s step is complete.", "All %(num)s steps are complete.", len(progress)
                ),
            )
        first = open_steps[0]
        self.step_id = first.step.id
        self.question_id = first.missing_required[0] if first.missing_required else None
        return self.result(
            False,
            ngettext(
                "%(num)s step is not complete yet: %(names)s.",
                "%(num)s steps are not complete yet: %(names)s.",
                len(open_steps),
                names=_named([p.step.title for p in open_steps]),
            ),
        )

    def _period(self) -> tuple[date | None, date | None, str, str]:
        start_step, start_q = _question(self.template, self.check.start)
        end_step, end_q = _question(self.template, self.check.end)
        start = _day(self.values.get((start_step, start_q.id)))
        end = _day(self.values.get((end_step, end_q.id)))
        return start, end, start_q.label, end_q.label

    def dates_in_order(self) -> CheckResult:
        start, end, start_label, end_label = self._period()
        if start is None or end is None:
            return self.result(
                None,
                _(
                    "“%(start)s” and “%(end)s” must both be answered first.",
                    start=start_label,
                    end=end_label,
                ),
            )
        if end <= start:
            return self.result(
                False,
                _(
                    "“%(end)s” (%(end_day)s) is not after “%(start)s” (%(start_day)s).",
                    end=end_label,
                    end_day=format_day(end),
                    start=start_label,
                    start_day=format_day(start),
                ),
            )
        return self.result(
            True, _("From %(start)s to %(end)s.", start=format_day(start), end=format_day(end))
        )

    def dates_within(self) -> CheckResult:
        start, end, start_label, end_label = self._period()
        if start is None or end is None:
            return self.result(
                None,
                _(
                    "“%(start)s” and “%(end)s” must both be answered first.",
                    start=start_label,
                    end=end_label,
                ),
            )
        outside: list[str] = []
        checked = 0
        for ref in self.check.dates:
            step_id, question = _question(self.template, ref)
            day = _day(self.values.get((step_id, question.id)))
            if day is not None:
                checked += 1
                if not start <= day <= end:
                    outside.append(f"{question.label} ({format_day(day)})")
        if self.check.kind:
            for record in self.records(self.check.kind):
                for name in self.check.fields:
                    day = _day(record.values.get(name))
                    if day is not None:
                        checked += 1
                        if not start <= day <= end:
                            label = FIELD_LABELS[name]
                            outside.append(f"{record.label}: {label} {format_day(day)}")
        period = {"start": format_day(start), "end": format_day(end)}
        if outside:
            return self.result(
                False,
                ngettext(
                    "%(num)s date lies outside the planning period (%(start)s to %(end)s): "
                    "%(items)s.",
                    "%(num)s dates lie outside the planning period (%(start)s to %(end)s): "
                    "%(items)s.",
                    len(outside),
                    items=_named(outside),
                    **period,
                ),
            )
        if not checked:
            return self.nothing_yet()
        return self.result(
            True,
            ngettext(
                "%(num)s date lies inside the planning period (%(start)s to %(end)s).",
                "All %(num)s dates lie inside the planning period (%(start)s to %(end)s).",
                checked,
                **period,
            ),
        )

    def record_dates_in_order(self) -> CheckResult:
        records = self.records(self.check.kind)
        dated = [
            (r, _day(r.values.get(self.check.start)), _day(r.values.get(self.check.end)))
            for r in records
        ]
        dated = [(r, s, e) for r, s, e in dated if s is not None and e is not None]
        if not dated:
            return self.nothing_yet()
        wrong = [f"{r.label} ({format_day(s)} – {format_day(e)})" for r, s, e in dated if e < s]
        if wrong:
            return self.result(
                False,
                ngettext(
                    "%(num)s ends before it starts: %(items)s.",
                    "%(num)s end before they start: %(items)s.",
                    len(wrong),
                    items=_named(wrong),
                ),
            )
        return self.result(
            True,
            ngettext(
                "%(num)s ends after it starts.", "All %(num)s end after they start.", len(dated)
            ),
        )

    def every_has(self) -> CheckResult:
        records = self.records(self.check.kind)
        if not records:
            return self.nothing_yet()
        lacking = []
        for record in records:
            missing = [f for f in self.check.fields if not _filled(record.values.get(f))]
            if missing:
                names = ", ".join(str(FIELD_LABELS[f]) for f in missing)
                lacking.append(_("%(record)s (no %(fields)s)", record=record.label, fields=names))
        return self.outcome(
            lacking,
            ngettext(
                "%(num)s of %(total)s is incomplete: %(items)s.",
                "%(num)s of %(total)s are incomplete: %(items)s.",
                len(lacking),
                total=len(records),
                items=_named(lacking),
            ),
            ngettext("%(num)s is complete.", "All %(num)s are complete.", len(records)),
        )

    def every_referenced(self) -> CheckResult:
        records = self.records(self.check.kind)
        if not records:
            return self.nothing_yet()
        named = self.named_by(self.check.by, self.check.field)
        unlinked = [r.label for r in records if r.key not in named]
        return self.outcome(
            unlinked,
            ngettext(
                "%(num)s of %(total)s is not linked yet: %(items)s.",
                "%(num)s of %(total)s are not linked yet: %(items)s.",
                len(unlinked),
                total=len(records),
                items=_named(unlinked),
            ),
            ngettext("%(num)s is linked.", "All %(num)s are linked.", len(records)),
        )

    def options_covered(self) -> CheckResult:
        options = _options(self.template, self.check.options)
        named = self.named_by(self.check.by, self.check.field)
        uncovered = [o.label for o in options if o.value not in named]
        return self.outcome(
            uncovered,
            ngettext(
                "%(num)s not covered yet: %(items)s.",
                "%(num)s not covered yet: %(items)s.",
                len(uncovered),
                items=_named(uncovered),
            ),
            ngettext("%(num)s is covered.", "All %(num)s are covered.", len(options)),
        )

    def low_areas_addressed(self) -> CheckResult:
        below = self.check.below
        assessed = [a for a in scoring.assess(self.template, self.values).areas if a.answered]
        if not assessed:
            return self.result(None, _("The self-assessment has no answers yet."))
        addressed = self.named_by(self.check.by, self.check.field)
        deferred: set[str] = set()
        if self.check.deferred:
            step_id, question = _question(self.template, self.check.deferred)
            rows = self.values.get((step_id, question.id))
            for row in rows if isinstance(rows, list) else []:
                if isinstance(row, dict) and row.get("area") and _filled(row.get("reason")):
                    deferred.add(row["area"])
        low = [a for a in assessed if a.score < below]
        open_areas = [
            f"{a.label} ({format_number(a.score)})"
            for a in low
            if a.id not in addressed and a.id not in deferred
        ]
        limit = format_number(below)
        if open_areas:
            return self.result(
                False,
                ngettext(
                    "%(num)s area scored below %(below)s is neither addressed by an objective "
                    "nor deferred with a reason: %(items)s.",
                    "%(num)s areas scored below %(below)s are neither addressed by an objective "
                    "nor deferred with a reason: %(items)s.",
                    len(open_areas),
                    below=limit,
                    items=_named(open_areas),
                ),
            )
        if not low:
            return self.result(True, _("No area scores below %(below)s.", below=limit))
        return self.result(
            True,
            ngettext(
                "%(num)s area scored below %(below)s is addressed or deferred with a reason.",
                "All %(num)s areas scored below %(below)s are addressed or deferred with a reason.",
                len(low),
                below=limit,
            ),
        )

    def categories_covered(self) -> CheckResult:
        step_id, question, column = _column(self.template, self.check.register_)
        wanted = [
            o for o in self.template.stakeholder_categories if o.value not in self.check.except_
        ]
        rows = self.values.get((step_id, question.id))
        if column is None:
            present = {rows} if isinstance(rows, str) else set()
        else:
            present = {
                _row(row).get(column.id)
                for row in (rows if isinstance(rows, list) else [])
                if isinstance(row, dict)
            }
        absent = [o.label for o in wanted if o.value not in present]
        if absent:
            return self.result(
                False,
                ngettext(
                    "%(num)s category has no stakeholder yet: %(items)s.",
                    "%(num)s categories have no stakeholder yet: %(items)s.",
                    len(absent),
                    items=_named(absent),
                ),
            )
        return self.result(
            True,
            ngettext(
                "%(num)s category has a stakeholder.",
                "All %(num)s categories have a stakeholder.",
                len(wanted),
            ),
        )


def evaluate(template: StrategyTemplate, values: Values) -> list[CheckResult]:
    """Every check of the template over these answers and the records they carry
    (belong/services/records.py `snapshot`: a version's, or the live draft's), in the
    template's order."""
    chain = record_service.from_snapshot(template, values)
    return [getattr(_Evaluation(template, values, chain, c), c.rule)() for c in template.checks]


def region_values(region: Region, template: StrategyTemplate) -> Values:
    """The region's answers with its records as they are now (what `evaluate` reads)."""
    values = answer_values([region.id])[region.id]
    values.update(record_service.snapshot(region, template))
    return values


def region_checks(region: Region, template: StrategyTemplate) -> list[CheckResult]:
    """The checks over the region's answers and records as they are now."""
    return evaluate(template, region_values(region, template))


def open_results(results: Iterable[CheckResult]) -> list[CheckResult]:
    """The results still to act on, failures first."""
    return [r for r in ordered(results) if r.open]


def ordered(results: Iterable[CheckResult]) -> list[CheckResult]:
    """Failures first, then warnings, then the checks passed, each in the template's order."""
    rank = {Status.FAIL: 0, Status.WARNING: 1, Status.PASS: 2}
    return sorted(results, key=lambda r: rank[r.status])


def counts(results: Iterable[CheckResult]) -> dict[str, int]:
    found = {status.value: 0 for status in Status}
    for result in results:
        found[result.status.value] += 1
    return found


def for_step(results: Iterable[CheckResult], step_id: str) -> list[CheckResult]:
    return [r for r in results if r.step_id == step_id]
