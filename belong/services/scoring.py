"""Self-assessment scores: per policy area 0-100 and overall, from a set of answer values.

An area's score is the share of the points obtainable in that area that the answers obtain.
Every scale question of the area counts: an unanswered question scores 0 points (so a
half-finished assessment cannot look better than it is), and the result says how many of the
area's questions are answered so the reader can tell "weak" from "not yet assessed".
The overall score is the mean of the area scores weighted by each area's `weight`.
Pure functions over the template definition and a dict keyed (step_id, question_id).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from belong.templating.schema import Question, Step, StrategyTemplate

Values = dict[tuple[str, str], Any]


@dataclass(frozen=True)
class AreaScore:
    id: str
    label: str
    weight: float
    points: float
    max_points: float
    answered: int
    total: int

    @property
    def score(self) -> float:
        """0-100, one decimal."""
        return round(100 * self.points / self.max_points, 1) if self.max_points else 0.0

    @property
    def complete(self) -> bool:
        return self.answered == self.total


@dataclass(frozen=True)
class Assessment:
    areas: tuple[AreaScore, ...]

    @property
    def overall(self) -> float:
        weight = sum(a.weight for a in self.areas)
        if not weight:
            return 0.0
        return round(sum(a.score * a.weight for a in self.areas) / weight, 1)

    @property
    def answered(self) -> int:
        return sum(a.answered for a in self.areas)

    @property
    def total(self) -> int:
        return sum(a.total for a in self.areas)

    def as_scores(self) -> dict[str, Any]:
        """The plain form stored in a snapshot."""
        return {
            "overall": self.overall,
            "answered": self.answered,
            "total": self.total,
            "areas": {a.id: a.score for a in self.areas},
        }


def scored_questions(step: Step) -> list[Question]:
    return [q for q in step.questions if q.type == "scale" and q.area is not None]


def has_assessment(step: Step) -> bool:
    return bool(scored_questions(step))


def question_points(question: Question, value: Any) -> float | None:
    """Points of the chosen option, or None when the question is unanswered."""
    choice = value.get("choice") if isinstance(value, dict) else None
    option = next((o for o in question.options if o.value == choice), None)
    return None if option is None else float(option.points or 0)


def assess(template: StrategyTemplate, values: Values) -> Assessment:
    """Scores for every declared area that has at least one scored question."""
    tally: dict[str, list[float]] = {a.id: [0.0, 0.0, 0, 0] for a in template.areas}
    for step in template.steps:
        for question in scored_questions(step):
            points = question_points(question, values.get((step.id, question.id)))
            row = tally[question.area]
            row[1] += question.max_points
            row[3] += 1
            if points is not None:
                row[0] += points
                row[2] += 1
    return Assessment(
        tuple(
            AreaScore(
                area.id,
                area.label,
                area.weight,
                tally[area.id][0],
                tally[area.id][1],
                int(tally[area.id][2]),
                int(tally[area.id][3]),
            )
            for area in template.areas
            if tally[area.id][3]
        )
    )


@dataclass(frozen=True)
class AreaProgress:
    id: str
    label: str
    baseline: float | None
    current: float

    @property
    def change(self) -> float | None:
        return None if self.baseline is None else round(self.current - self.baseline, 1)


def progress(current: Assessment, baseline: dict[str, Any]) -> list[AreaProgress]:
    """Each current area beside its score in a stored baseline (None if it had none)."""
    before = baseline.get("areas", {})
    return [AreaProgress(a.id, a.label, before.get(a.id), a.score) for a in current.areas]
