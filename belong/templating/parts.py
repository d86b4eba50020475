"""The small pieces every part of a template file is made of, and checks they share."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

Slug = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(Strict):
    value: str = Field(pattern=r"^[a-z0-9_]+$", max_length=60)
    label: str = Field(min_length=1)
    points: float | None = None


def unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} {value!r} is used twice")
        seen.add(value)


def dates_in_order(items, what: str) -> None:
    """`not_before` names another date among the same questions (or the same table's columns)."""
    dates = {i.id for i in items if i.type == "date"}
    for item in items:
        not_before = getattr(item, "not_before", None)
        if not_before is not None and (not_before == item.id or not_before not in dates):
            raise ValueError(
                f"{what} {item.id!r}: not_before names {not_before!r}, "
                f"which is not another date {what} here"
            )
