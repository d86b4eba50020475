"""The shape of a strategy template file, checked when the file is loaded."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Slug = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)

QuestionType = Literal[
    "short_text",
    "long_text",
    "number",
    "date",
    "single_choice",
    "multiple_choice",
    "scale",
    "table",
]
ColumnType = Literal["short_text", "long_text", "number", "date", "single_choice"]
CHOICE_TYPES = {"single_choice", "multiple_choice", "scale"}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(Strict):
    value: str = Field(pattern=r"^[a-z0-9_]+$", max_length=60)
    label: str = Field(min_length=1)
    points: float | None = None


class Column(Strict):
    id: str = Slug
    label: str = Field(min_length=1)
    type: ColumnType = "short_text"
    hint: str = ""
    required: bool = False
    options: tuple[Option, ...] = ()
    min: float | None = None
    max: float | None = None
    integer: bool = False
    not_before: str | None = None

    @model_validator(mode="after")
    def _options_fit_type(self) -> Column:
        if self.type == "single_choice" and not self.options:
            raise ValueError("a single_choice column needs options")
        if self.type != "single_choice" and self.options:
            raise ValueError(f"a {self.type} column takes no options")
        _number_and_date_parts(self, "column")
        return self


class Question(Strict):
    id: str = Slug
    type: QuestionType
    label: str = Field(min_length=1)
    hint: str = ""
    required: bool = False
    options: tuple[Option, ...] = ()
    columns: tuple[Column, ...] = ()
    min: float | None = None
    max: float | None = None
    max_length: int | None = Field(default=None, gt=0)
    min_rows: int = Field(default=0, ge=0)
    max_rows: int = Field(default=200, gt=0)
    area: str | None = None
    evidence: bool = False
    integer: bool = False
    not_before: str | None = None

    @model_validator(mode="after")
    def _parts_fit_type(self) -> Question:
        if self.type in CHOICE_TYPES and len(self.options) < 2:
            raise ValueError(f"a {self.type} question needs at least two options")
        if self.type not in CHOICE_TYPES and self.options:
            raise ValueError(f"a {self.type} question takes no options")
        if self.type == "scale" and any(o.points is None for o in self.options):
            raise ValueError("every option of a scale question needs points")
        if self.type == "table" and not self.columns:
            raise ValueError("a table question needs columns")
        if self.type != "table" and self.columns:
            raise ValueError(f"a {self.type} question takes no columns")
        _unique([c.id for c in self.columns], "column id")
        _dates_in_order(self.columns, "column")
        _unique([o.value for o in self.options], "option value")
        if self.area is not None and self.type != "scale":
            raise ValueError("only scale questions belong to a self-assessment area")
        if self.evidence and self.type != "scale":
            raise ValueError("only scale questions ask for evidence")
        _number_and_date_parts(self, "question")
        return self

    @property
    def max_points(self) -> float:
        return max((o.points or 0) for o in self.options) if self.type == "scale" else 0


class Step(Strict):
    id: str = Slug
    title: str = Field(min_length=1)
    summary: str = ""
    guidance: str = ""
    prompts: tuple[str, ...] = ()
    questions: tuple[Question, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_questions(self) -> Step:
        _unique([q.id for q in self.questions], "question id")
        _dates_in_order(self.questions, "question")
        return self

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


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
    steps: tuple[Step, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> StrategyTemplate:
        _unique([s.id for s in self.steps], "step id")
        _unique([a.id for a in self.areas], "area id")
        area_ids = {a.id for a in self.areas}
        for step in self.steps:
            for q in step.questions:
                if q.area is not None and q.area not in area_ids:
                    raise ValueError(
                        f"question {step.id}.{q.id} names area {q.area!r}, "
                        "which is not declared under areas"
                    )
        return self

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)


def _number_and_date_parts(item: Question | Column, what: str) -> None:
    """Limits and whole numbers belong to numbers; an earliest date to dates."""
    if item.type != "number" and (item.min is not None or item.max is not None or item.integer):
        raise ValueError(f"only a number {what} takes min, max or integer")
    if item.min is not None and item.max is not None and item.min > item.max:
        raise ValueError("min is greater than max")
    if item.not_before is not None and item.type != "date":
        raise ValueError(f"only a date {what} takes not_before")


def _dates_in_order(items: tuple[Question, ...] | tuple[Column, ...], what: str) -> None:
    """`not_before` names another date among the same questions (or the same table's columns)."""
    dates = {i.id for i in items if i.type == "date"}
    for item in items:
        if item.not_before is not None and (
            item.not_before == item.id or item.not_before not in dates
        ):
            raise ValueError(
                f"{what} {item.id!r}: not_before names {item.not_before!r}, "
                f"which is not another date {what} here"
            )


def _unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} {value!r} is used twice")
        seen.add(value)
