"""The shape of a strategy template file, checked when the file is loaded."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import ConfigDict, Discriminator, Field, Tag, model_validator

from belong.questions.base import QuestionType
from belong.questions.registry import TYPES
from belong.questions.table import Column
from belong.templating.conditions import check_references
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

    @model_validator(mode="after")
    def _unique_questions(self) -> Step:
        unique([q.id for q in self.questions], "question id")
        dates_in_order(self.questions, "question")
        check_references(self)
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
        unique([s.id for s in self.steps], "step id")
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
        return self

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)
