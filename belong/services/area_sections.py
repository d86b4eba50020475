"""A step's questions in runs under the policy area they score, each run with its answered
count, so the self-assessment reads as areas rather than one long list. Questions without an
area (and every question of an ordinary step) form runs without a heading."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from belong.templating.schema import Area, StrategyTemplate


@dataclass
class AreaSection:
    area: Area | None
    items: list[Any] = field(default_factory=list)
    answered: int = 0

    @property
    def anchor(self) -> str:
        return f"area-{self.area.id}" if self.area else ""


def area_sections(
    template: StrategyTemplate,
    items: list[Any],
    values: dict[str, Any],
    question_of: Callable[[Any], Any] = lambda item: item,
) -> list[AreaSection]:
    """`items` (a step's questions, or things that each hold one, read by `question_of`) cut
    into runs of the same area, in order; `values` are the stored answers by question id."""
    areas = {a.id: a for a in template.areas}
    sections: list[AreaSection] = []
    for item in items:
        question = question_of(item)
        area = areas.get(getattr(question, "area", None) or "")
        if not sections or sections[-1].area is not area:
            sections.append(AreaSection(area))
        section = sections[-1]
        section.items.append(item)
        if area is not None and question.is_answered(values.get(question.id)):
            section.answered += 1
    return sections


def headed(sections: list[AreaSection]) -> list[AreaSection]:
    """The sections that stand under an area heading (for the list of areas at the top)."""
    return [s for s in sections if s.area is not None]
