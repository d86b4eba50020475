"""When a question applies: its `show_if` condition on earlier answers of the same step.

`applies` and `applicable_questions` are the one place that decides which questions a region
sees; answers to a question that stops applying are kept, only left out."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from belong.templating.parts import Strict

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

    def holds(self, questions: dict[str, Any], values: dict[str, Any]) -> bool:
        if self.all is not None:
            return all(part.holds(questions, values) for part in self.all)
        if self.any is not None:
            return any(part.holds(questions, values) for part in self.any)
        question = questions[self.question]
        if not applies(question, questions, values):
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


def applies(question: Any, questions: dict[str, Any], values: dict[str, Any]) -> bool:
    """Whether `question` applies, given the step's questions by id and its answers by id.
    A question applies only if the questions its condition looks at apply too."""
    condition = getattr(question, "show_if", None)
    return condition is None or condition.holds(questions, values)


def applicable_questions(step: Any, values: dict[str, Any]) -> list[Any]:
    """The step's questions that apply for these answers (question id -> stored value)."""
    questions = {q.id: q for q in step.questions}
    return [q for q in step.questions if applies(q, questions, values)]


def check_references(step: Any) -> None:
    """A condition looks only at questions that come earlier in the same step."""
    earlier: set[str] = set()
    for question in step.questions:
        condition = getattr(question, "show_if", None)
        for ref in condition.references() if condition is not None else ():
            if ref == question.id:
                raise ValueError(f"question {question.id!r}: show_if names the question itself")
            if ref not in earlier:
                where = "a later" if ref in {q.id for q in step.questions} else "no"
                raise ValueError(
                    f"question {question.id!r}: show_if names {ref!r}, which is {where} "
                    "question of this step (a condition looks at an earlier question)"
                )
        earlier.add(question.id)
