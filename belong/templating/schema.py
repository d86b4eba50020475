"""The shape of a strategy template file, checked when the file is loaded."""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Any, Literal, Union

from pydantic import ConfigDict, Discriminator, Field, Tag, model_validator

from belong.questions.base import QuestionType
from belong.questions.registry import TYPES
from belong.questions.table import Column
from belong.templating.checks import Check
from belong.templating.conditions import Group, Scope, check_references
from belong.templating.parts import Option, Slug, Strict, dates_in_order, unique

# The tag of a question whose `type` names no registered type (or is missing): validated
# as _UnknownType, whose only check names the types there are.
UNKNOWN_TYPE = "unknown type"


class _UnknownType(Strict):
    model_config = ConfigDict(extra="ignore", frozen=True)
    type: Literal[tuple(TYPES)]  # type: ignore[valid-type]


def _type_of(data: Any) -> str:
    kind = data.get("type") if isinstance(data, dict) else getattr(data, "type", None)
    return kind if kind in TYPES else UNKNOWN_TYPE


# A question of the template: the model of its `type`, so an option names that type.
_TAGGED = tuple(Annotated[kind, Tag(name)] for name, kind in TYPES.items())
Question = Annotated[
    Union[(*_TAGGED, Annotated[_UnknownType, Tag(UNKNOWN_TYPE)])],
    Discriminator(_type_of),
]

__all__ = ["Column", "Option", "Question", "QuestionType", "Slug", "StrategyTemplate", "Strict"]


class Step(Strict):
    id: str = Slug
    title: str = Field(min_length=1)
    summary: str = ""
    guidance: str = ""
    prompts: tuple[str, ...] = ()
    questions: tuple[Question, ...] = Field(min_length=1)
    # Questions that apply together, under one condition (belong/templating/conditions.py).
    groups: tuple[Group, ...] = ()

    @model_validator(mode="after")
    def _unique_questions(self) -> Step:
        unique([q.id for q in self.questions], "question id")
        unique([g.id for g in self.groups], "group id")
        dates_in_order(self.questions, "question")
        check_references(self.questions, self.groups)
        return self

    @cached_property
    def scope(self) -> Scope:
        """The questions with the conditions they apply under."""
        return Scope(self.questions, self.groups)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


class RecordKind(Strict):
    """A kind of record the template declares (`records:`): its names, the field that titles
    a record, the fields shown as columns in its list, and its fields (question types)."""

    id: str = Slug
    label: str = Field(min_length=1)
    plural: str = Field(min_length=1)
    title: str = Slug
    summary: tuple[str, ...] = ()
    fields: tuple[Question, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _fields(self) -> RecordKind:
        unique([f.id for f in self.fields], "field id")
        dates_in_order(self.fields, "field")
        ids = {f.id for f in self.fields}
        for name in (self.title, *self.summary):
            if name not in ids:
                raise ValueError(f"record kind {self.id!r} names field {name!r}, which it lacks")
        for item in self.fields:
            if item.type == "records":
                raise ValueError(
                    f"field {self.id}.{item.id}: a record's field cannot be a records list"
                )
        try:
            check_references(self.fields, what="field")
        except ValueError as problem:
            raise ValueError(f"record kind {self.id!r}: {problem}") from None
        return self

    @cached_property
    def scope(self) -> Scope:
        """The fields with the conditions they apply under (a field's show_if)."""
        return Scope(self.fields)

    def field(self, field_id: str) -> Question | None:
        return next((f for f in self.fields if f.id == field_id), None)


class Area(Strict):
    id: str = Slug
    label: str = Field(min_length=1)
    weight: float = Field(default=1.0, gt=0)


# A file of the template's own folder: no folders, no way out of it.
FILE_NAME = r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$"


class DocumentLayout(Strict):
    layout: str = Field(default="document.html", pattern=FILE_NAME, max_length=100)
    stylesheet: str = Field(default="document.css", pattern=FILE_NAME, max_length=100)


class StrategyTemplate(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=60)
    version: int = Field(ge=1)
    language: str = Field(pattern=r"^[a-z]{2}$")
    title: str = Field(min_length=1)
    description: str = ""
    primer: str = ""
    document: DocumentLayout = DocumentLayout()
    stakeholder_categories: tuple[Option, ...] = ()
    areas: tuple[Area, ...] = ()
    records: tuple[RecordKind, ...] = ()
    steps: tuple[Step, ...] = Field(min_length=1)
    checks: tuple[Check, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> StrategyTemplate:
        unique([s.id for s in self.steps], "step id")
        unique([k.id for k in self.records], "record kind")
        kinds = {k.id for k in self.records}
        named = [(f"{k.id}.{f.id}", f) for k in self.records for f in k.fields]
        named += [(f"{s.id}.{q.id}", q) for s in self.steps for q in s.questions]
        for where, item in named:
            kind = getattr(item, "kind", None)
            if item.type in ("records", "reference") and kind not in kinds:
                raise ValueError(
                    f"{where} names record kind {kind!r}, which is not declared under records"
                )
        unique([a.id for a in self.areas], "area id")
        area_ids = {a.id for a in self.areas}
        for step in self.steps:
            for q in step.questions:
                area = getattr(q, "area", None)
                if area is not None and area not in area_ids:
                    raise ValueError(
                        f"question {step.id}.{q.id} names area {area!r}, "
                        "which is not declared under areas"
                    )
        unique([c.id for c in self.checks], "check id")
        for number, check in enumerate(self.checks):
            problem = self._check_problem(check)
            if problem:
                raise ValueError(f"checks[{number}] ({check.id}): {problem}")
        return self

    def _question_at(self, ref: str) -> tuple[Question | None, Column | None, str | None]:
        """The question (and column) that `step.question[.column]` names, or why none."""
        parts = ref.split(".")
        step = self.step(parts[0])
        if len(parts) not in (2, 3) or step is None:
            return None, None, f"{ref!r} does not name a step's question (step.question)"
        question = step.question(parts[1])
        if question is None:
            return None, None, f"step {parts[0]!r} has no question {parts[1]!r}"
        if len(parts) == 2:
            return question, None, None
        column = next((c for c in self.columns_of(question) if c.id == parts[2]), None)
        if column is None:
            return question, None, f"question {parts[0]}.{parts[1]} has no column {parts[2]!r}"
        return question, column, None

    def _check_problem(self, check: Check) -> str | None:
        step = self.step(check.step)
        if step is None:
            return f"step {check.step!r} is not a step of the template"
        if check.question is not None and step.question(check.question) is None:
            return f"step {check.step!r} has no question {check.question!r}"
        for step_id in check.steps:
            if self.step(step_id) is None:
                return f"steps: {step_id!r} is not a step of the template"
        for name, ref in check.question_refs():
            question, column, problem = self._question_at(ref)
            if problem:
                return f"{name}: {problem}"
            if name == "deferred":
                columns = {c.id for c in getattr(question, "columns", ())}
                if column is not None or not {"area", "reason"} <= columns:
                    return f"{name}: {ref!r} must be a table with the columns area and reason"
            elif column is not None or question.type != "date":
                return f"{name}: {ref!r} is not a date question"
        for name, ref in check.column_refs():
            kind = self.record_kind(ref.split(".")[0]) if name == "options" else None
            if kind is not None:  # a record kind's choice field: kind.field
                item = kind.field(ref.split(".")[1]) if ref.count(".") == 1 else None
                if item is None or not getattr(item, "options", None):
                    return f"{name}: {ref!r} is not a choice field of the records {kind.id}"
                continue
            question, column, problem = self._question_at(ref)
            if problem:
                return f"{name}: {problem}"
            if not (column or question).__dict__.get("options"):
                return f"{name}: {ref!r} is not a choice with options"
        categories = {o.value for o in self.stakeholder_categories}
        for value in check.except_:
            if value not in categories:
                return f"except: {value!r} is not a stakeholder category"
        return None

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def columns_of(self, question: Question) -> tuple:
        """A table's columns, or the fields of the records a records question lists."""
        if question.type == "records":
            kind = self.record_kind(question.kind)
            return tuple(kind.fields) if kind else ()
        return tuple(getattr(question, "columns", ()))

    def record_kind(self, kind_id: str) -> RecordKind | None:
        return next((k for k in self.records if k.id == kind_id), None)

    def step_of_kind(self, kind_id: str) -> Step | None:
        """The step whose records question lists this kind."""
        for step in self.steps:
            if any(q.type == "records" and q.kind == kind_id for q in step.questions):
                return step
        return None
