"""The `checks:` section of a strategy template: a small vocabulary of rules that say whether
the parts of a strategy hold together. Evaluated by belong/services/strategy_checks.py.

Every check names its rule, a short title, the advice (one sentence: what to do when the
check is not met), whether an unmet check is a `fail` or a `warning`, and the place where to do
it (`step`, optionally `question`: the page and the question anchor its result links to).

Rules and the parameters each takes (a question is written `step.question`, a table column
`step.question.column`; a record kind is one of RECORD_KINDS, its fields those listed there):

- `steps_complete`: the `steps` listed (default: every step) have all their required
  questions answered.
- `dates_in_order`: the date question `end` lies after the date question `start`.
- `dates_within`: the dates of the `dates` questions and the date `fields` of every record of
  `kind` lie between the date questions `start` and `end` (the planning period).
- `record_dates_in_order`: in every record of `kind`, the date field `end` lies after `start`.
- `every_has`: every record of `kind` has each of its `fields` filled in.
- `every_referenced`: every record of `kind` is named by at least one record of kind `by`
  through its reference field `field` (every objective has an action).
- `options_covered`: every option of the choice `options` (a record kind's choice field
  `kind.field`, a question or a column) is named by at least one record of kind `by` in its
  field `field` (every principle has an indicator).
- `low_areas_addressed`: every self-assessment area scoring `below` (0-100) is named by a
  record of kind `by` in its field `field`, or is a row of the table `deferred` (columns `area`
  and `reason`) with its reason given.
- `categories_covered`: every stakeholder category of the template, except those listed in
  `except`, appears in the column `register` (a stakeholder register's category column).
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from belong.templating.parts import Slug, Strict

# The record kinds of the results chain and the fields a check may name, as
# belong/services/chain_records.py reads them from the region's linked records.
RECORD_KINDS: dict[str, frozenset[str]] = {
    "priority": frozenset({"name", "policy_areas"}),
    "objective": frozenset({"statement", "priority", "policy_areas"}),
    "action": frozenset(
        {"title", "objectives", "principles", "policy_areas", "start", "end", "budget", "lead"}
    ),
    "indicator": frozenset({"name", "measures", "principles"}),
    "funding_line": frozenset({"action", "source", "status", "amount"}),
}

RULE_PARAMETERS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # rule: (parameters it needs, parameters it may take besides)
    "steps_complete": (frozenset(), frozenset({"steps"})),
    "dates_in_order": (frozenset({"start", "end"}), frozenset()),
    "dates_within": (frozenset({"start", "end"}), frozenset({"dates", "kind", "fields"})),
    "record_dates_in_order": (frozenset({"kind", "start", "end"}), frozenset()),
    "every_has": (frozenset({"kind", "fields"}), frozenset()),
    "every_referenced": (frozenset({"kind", "by", "field"}), frozenset()),
    "options_covered": (frozenset({"options", "by", "field"}), frozenset()),
    "low_areas_addressed": (frozenset({"below", "by", "field"}), frozenset({"deferred"})),
    "categories_covered": (frozenset({"register_"}), frozenset({"except_"})),
}
PARAMETERS = ("steps", "start", "end", "dates", "kind", "fields", "by", "field", "options")
PARAMETERS += ("below", "deferred", "register_", "except_")
Rule = Literal[tuple(RULE_PARAMETERS)]  # type: ignore[valid-type]


class Check(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: str = Slug
    rule: Rule
    title: str = Field(min_length=1)
    advice: str = Field(min_length=1)
    severity: Literal["fail", "warning"] = "fail"
    step: str = Slug
    question: str | None = None
    # The rule's parameters (see the module's documentation).
    steps: tuple[str, ...] = ()
    start: str | None = None
    end: str | None = None
    dates: tuple[str, ...] = ()
    kind: str | None = None
    fields: tuple[str, ...] = ()
    by: str | None = None
    field: str | None = None
    options: str | None = None
    below: float | None = Field(default=None, gt=0, le=100)
    deferred: str | None = None
    register_: str | None = Field(default=None, alias="register")
    except_: tuple[str, ...] = Field(default=(), alias="except")

    @model_validator(mode="after")
    def _parameters_fit_rule(self) -> Check:
        needed, optional = RULE_PARAMETERS[self.rule]
        given = {name for name in PARAMETERS if getattr(self, name) not in (None, ())}
        name = {"except_": "except", "register_": "register"}
        for missing in sorted(needed - given):
            raise ValueError(f"the rule {self.rule} needs {name.get(missing, missing)}")
        for extra in sorted(given - needed - optional):
            raise ValueError(f"the rule {self.rule} takes no {name.get(extra, extra)}")
        if self.kind is not None and self.kind not in RECORD_KINDS:
            raise ValueError(f"kind {self.kind!r} is not one of {', '.join(RECORD_KINDS)}")
        if self.by is not None and self.by not in RECORD_KINDS:
            raise ValueError(f"by {self.by!r} is not one of {', '.join(RECORD_KINDS)}")
        record_fields = list(self.fields)
        if self.rule == "record_dates_in_order":
            record_fields += [self.start, self.end]
        for field_name in record_fields:
            if field_name not in RECORD_KINDS[self.kind]:
                raise ValueError(f"a {self.kind} record has no field {field_name!r}")
        if self.field is not None and self.field not in RECORD_KINDS[self.by]:
            raise ValueError(f"a {self.by} record has no field {self.field!r}")
        return self

    def question_refs(self) -> list[tuple[str, str]]:
        """The `step.question` parameters (name, reference) the template must have."""
        refs = [("dates", ref) for ref in self.dates]
        if self.rule in {"dates_in_order", "dates_within"}:
            refs += [("start", self.start), ("end", self.end)]
        if self.deferred:
            refs.append(("deferred", self.deferred))
        return refs

    def column_refs(self) -> list[tuple[str, str]]:
        """The `step.question[.column]` choice parameters the template must have."""
        return [(n, r) for n, r in (("options", self.options), ("register", self.register_)) if r]
