"""What every question type owns. A type is one pydantic model (its options in the template
file) with the methods below; belong/questions/registry.py lists the types."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from markupsafe import Markup
from pydantic import Field, model_validator

from belong.templating.conditions import Condition
from belong.templating.parts import Slug, Strict

ABSTRACT = (
    "form_field",
    "stored_value",
    "form_value",
    "is_answered",
    "html",
    "plain_text",
    "readable_text",
    "value_problems",
    "typical_value",
)


class QuestionType(Strict, ABC):
    """A question of a template. Stored values are JSON; each type says which."""

    id: str = Slug
    type: str
    label: str = Field(min_length=1)
    hint: str = ""
    required: bool = False
    # When the question applies (belong/templating/conditions.py); always when absent.
    show_if: Condition | None = None

    # Whether adopted input can be inserted into an answer of this type (long texts).
    takes_inserted_text: ClassVar[bool] = False
    # Whether the step form saves an answer for it (a records list keeps its own rows).
    stores_answer: ClassVar[bool] = True

    @classmethod
    def type_name(cls) -> str:
        return cls.model_fields["type"].annotation.__args__[0]

    @classmethod
    def own_options(cls) -> tuple[str, ...]:
        return tuple(n for n in cls.model_fields if n not in QuestionType.model_fields)

    @model_validator(mode="before")
    @classmethod
    def _options_of_other_types(cls, data: Any) -> Any:
        """An option another type takes is named with the types that take it."""
        if not isinstance(data, dict):
            return data
        from belong.questions.registry import TYPES

        for key in data:
            if key in cls.model_fields:
                continue
            owners = [name for name, kind in TYPES.items() if key in kind.own_options()]
            if len(owners) == 1:
                taken = TYPES[owners[0]].own_options()
                raise ValueError(
                    f"only a {owners[0]} question takes {_or(taken)}; "
                    f"this is a {cls.type_name()} question"
                )
            if owners:
                raise ValueError(
                    f"only a {_or(owners)} question takes {key}; "
                    f"this is a {cls.type_name()} question"
                )
        return data

    @property
    def widget_template(self) -> str:
        """The template file holding this type's `widget(q, f)` macro for the step page."""
        return f"questions/{self.type}.html"

    @abstractmethod
    def form_field(self, max_length: int) -> Any:
        """The unbound WTForms field of the step form."""

    @abstractmethod
    def stored_value(self, data: Any) -> Any:
        """The value stored for the posted (already checked) field data."""

    @abstractmethod
    def form_value(self, value: Any) -> Any:
        """The field data for a stored value."""

    @abstractmethod
    def is_answered(self, value: Any) -> bool: ...

    @abstractmethod
    def html(self, value: Any) -> Markup:
        """The answer shown in the page and the document."""

    @abstractmethod
    def plain_text(self, value: Any) -> str:
        """The answer as plain words, the form in which two versions are compared."""

    @abstractmethod
    def readable_text(self, value: Any) -> str:
        """The answer as plain text a person can read and copy (Markdown stays as typed)."""

    @abstractmethod
    def value_problems(self, value: Any, max_length: int) -> list[str]:
        """Where a stored (imported) answer exceeds what the step form would have accepted."""

    @abstractmethod
    def typical_value(self, row: int = 0, position: int = 0) -> Any:
        """A typical stored answer, for rendering a layout with every question answered
        (`row` varies it down a table, `position` orders a table's dates)."""

    def display_rows(self, value: Any) -> list[list[Markup]]:
        """Rows of cells, for the types shown as a table."""
        return []

    def size_field(self, field: Any, form_value: Any, extra_rows: int) -> None:
        """Adjust the unbound field to the value it will show (rows of a table)."""

    def add_rows(self, bound_field: Any, count: int) -> None:
        """Add `count` empty rows to a posted field (for the types with rows)."""


def _or(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
