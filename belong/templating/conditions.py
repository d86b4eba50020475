"""When a question applies: its `show_if` condition on earlier answers of the same step, and
that of the group it belongs to (a step's `groups:`); when a record's field applies: its
`show_if` on earlier fields of the same record.

`applicable` (with `applicable_questions` and `applicable_fields`) is the one place that
decides which questions and fields a region sees; answers to one that stops applying are
kept, only left out."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from belong.templating.parts import Slug, Strict

TESTS = ("equals", "is_one_of", "contains", "answered")


class Condition(Strict):
    """`question` with one test, or `all:` / `any:` of conditions."""

    question: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$", max_length=60)
    equals: str | None = None
    is_one_of: tuple[str, ...] | None = Field(default=None, min_length=1)
    contains: str | None = None
    answered: bool | None = None
    all: tuple[Condition, ...] | None = Field(default=None, min_length=1)
    any: tuple[Condition, ...] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        tests = [name for name in TESTS if getattr(self, name) is not None]
        groups = [name for name in ("all", "any") if getattr(self, name) is not None]
        if groups:
            if len(groups) > 1 or self.question is not None or tests:
                raise ValueError("a condition with all or any takes nothing else beside it")
            return self
        if self.question is None:
            raise ValueError("a condition names a question, or lists conditions under all or any")
        if len(tests) != 1:
            raise ValueError(f"a condition on a question takes exactly one of {', '.join(TESTS)}")
        return self

    def references(self) -> list[str]:
        """The ids of the questions this condition looks at."""
        if self.question is not None:
            return [self.question]
        return [ref for part in (self.all or self.any or ()) for ref in part.references()]

    def holds(self, scope: Scope, values: dict[str, Any]) -> bool:
        if self.all is not None:
            return all(part.holds(scope, values) for part in self.all)
        if self.any is not None:
            return any(part.holds(scope, values) for part in self.any)
        question = scope.items[self.question]
        if not scope.applies(question, values):
            return False
        value = values.get(self.question)
        if self.answered is not None:
            return question.is_answered(value) == self.answered
        chosen = chosen_values(value)
        if self.equals is not None:
            return chosen == [self.equals]
        if self.is_one_of is not None:
            return len(chosen) == 1 and chosen[0] in self.is_one_of
        return self.contains in chosen or (
            isinstance(value, str) and self.contains.casefold() in value.casefold()
        )


def chosen_values(value: Any) -> list[str]:
    """An answer as the list of values a condition compares: the option(s) chosen, or the
    text or figure given."""
    if isinstance(value, dict):
        value = value.get("choice")
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


class Group(Strict):
    """Questions of a step that apply together (`groups:` of a step): each applies only while
    the group's condition holds, besides its own."""

    id: str = Slug
    questions: tuple[str, ...] = Field(min_length=1)
    show_if: Condition


class Scope:
    """The questions of a step (or the fields of a record kind) by id, each with the whole
    condition it applies under: its own and its group's."""

    def __init__(self, items: tuple[Any, ...], groups: tuple[Group, ...] = ()) -> None:
        self.order = items
        self.items = {item.id: item for item in items}
        self.conditions: dict[str, Condition | None] = {
            item.id: getattr(item, "show_if", None) for item in items
        }
        for group in groups:
            for item_id in group.questions:
                own = self.conditions[item_id]
                self.conditions[item_id] = (
                    group.show_if if own is None else Condition(all=(group.show_if, own))
                )

    def condition(self, item: Any) -> Condition | None:
        return self.conditions[item.id]

    def applies(self, item: Any, values: dict[str, Any]) -> bool:
        """Whether `item` applies for these answers (id -> stored value). An item applies
        only if the items its condition looks at apply too."""
        condition = self.conditions[item.id]
        return condition is None or condition.holds(self, values)

    def applicable(self, values: dict[str, Any]) -> list[Any]:
        return [item for item in self.order if self.applies(item, values)]


def applicable_questions(step: Any, values: dict[str, Any]) -> list[Any]:
    """The step's questions that apply for these answers (question id -> stored value)."""
    return step.scope.applicable(values)


def applicable_fields(kind: Any, values: dict[str, Any]) -> list[Any]:
    """The record kind's fields that apply for a record's values (field id -> stored value)."""
    return kind.scope.applicable(values)


def check_references(
    items: tuple[Any, ...], groups: tuple[Group, ...] = (), what: str = "question"
) -> None:
    """A condition looks only at items that come earlier (a group's: earlier than its first
    question); a question is in one group at most."""
    ids = [item.id for item in items]
    place = {item_id: number for number, item_id in enumerate(ids)}
    owners: list[tuple[str, int, Condition]] = []
    for item in items:
        condition = getattr(item, "show_if", None)
        if condition is not None:
            owners.append((f"{what} {item.id!r}", place[item.id], condition))
    grouped: set[str] = set()
    for group in groups:
        for item_id in group.questions:
            if item_id not in place:
                raise ValueError(f"group {group.id!r} lists {item_id!r}, which is no {what} here")
            if item_id in grouped:
                raise ValueError(f"group {group.id!r}: {item_id!r} is already in another group")
            grouped.add(item_id)
        owners.append(
            (f"group {group.id!r}", min(place[i] for i in group.questions), group.show_if)
        )
    for owner, number, condition in owners:
        for ref in condition.references():
            if ref not in place:
                raise ValueError(
                    f"{owner}: show_if names {ref!r}, which is no {what} of this "
                    f"{'step' if what == 'question' else 'record'} (a condition looks at an "
                    f"earlier {what})"
                )
            if place[ref] == number and owner.startswith(what):
                raise ValueError(f"{owner}: show_if names the {what} itself")
            if place[ref] >= number:
                raise ValueError(
                    f"{owner}: show_if names {ref!r}, which is a later {what} of this "
                    f"{'step' if what == 'question' else 'record'} (a condition looks at an "
                    f"earlier {what})"
                )
