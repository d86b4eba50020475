"""The action plan and the indicators as data (CSV and JSON downloads).

Today both are table answers of the strategy template (a table question `actions` and one
called `indicators`); once they are linked records, this module reads those instead and the
downloads keep their shape. A table row has no id of its own, so each row is named by its
first column (the action, the indicator) as a slug, made unique with -2, -3…: the id stays
the same when rows are reordered, added or removed, or other cells change; it changes only
when that name is rewritten."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import gettext as _

from belong.models import Region
from belong.questions.common import readable_label
from belong.questions.table import Column, Table
from belong.services import answers as answer_service
from belong.services.mail import external_url
from belong.templating.schema import Step, StrategyTemplate

# The download's name in the address -> the id of the table question it holds.
TABLES = {"action-plan": "actions", "indicators": "indicators"}


@dataclass(frozen=True)
class PlanTable:
    name: str  # as in the address: action-plan, indicators
    region_slug: str
    step: Step
    question: Table
    rows: list[dict[str, Any]]  # as stored: {column_id: value}

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.question.columns

    def row_ids(self) -> list[str]:
        return row_ids([row.get(self.columns[0].id) for row in self.rows])

    def link(self) -> str:
        """The table on its step page, as a reader outside the app opens it."""
        return external_url(
            url_for("steps.show", slug=self.region_slug, step_id=self.step.id)
            + f"#q-{self.question.id}"
        )


def download_for(question: Any) -> str | None:
    """The download holding this question, if it is one of the tables (for the step page)."""
    if not isinstance(question, Table):
        return None
    return next((name for name, qid in TABLES.items() if qid == question.id), None)


def find(template: StrategyTemplate, name: str) -> tuple[Step, Table] | None:
    """The step and table question a download holds, if the template has one."""
    question_id = TABLES.get(name)
    for step in template.steps:
        for question in step.questions:
            if question.id == question_id and isinstance(question, Table):
                return step, question
    return None


def plan_table(region: Region, template: StrategyTemplate, name: str) -> PlanTable | None:
    found = find(template, name)
    if found is None:
        return None
    step, question = found
    answer = answer_service.step_answers(region, step).get(question.id)
    rows = answer.value if answer is not None and isinstance(answer.value, list) else []
    return PlanTable(name, region.slug, step, question, rows)


# Letters that Unicode does not decompose into a base letter and a mark.
UNDECOMPOSED = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
    }
)


def slug(text: Any) -> str:
    plain = unicodedata.normalize("NFKD", str(text or "").translate(UNDECOMPOSED))
    ascii_text = plain.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


def row_ids(names: list[Any]) -> list[str]:
    """A unique id per row from its name; a row without a usable name is `row-<n>`."""
    taken: set[str] = set()
    ids = []
    for number, name in enumerate(names, start=1):
        base = slug(name) or f"row-{number}"
        candidate, count = base, 1
        while candidate in taken:
            count += 1
            candidate = f"{base}-{count}"
        taken.add(candidate)
        ids.append(candidate)
    return ids


def cell_text(column: Column, value: Any) -> Any:
    """A cell as a person reads it: an option's label, figures and dates as they are."""
    if column.type == "single_choice":
        return readable_label(column.options, value)
    return value


def csv_rows(table: PlanTable) -> tuple[list[str], list[list[Any]]]:
    header = [_("Id"), _("Row"), *[c.label for c in table.columns], _("Link")]
    link = table.link()
    rows = [
        [row_id, number, *[cell_text(c, row.get(c.id)) for c in table.columns], link]
        for number, (row_id, row) in enumerate(zip(table.row_ids(), table.rows, strict=True), 1)
    ]
    return header, rows


def json_data(region: Region, table: PlanTable) -> dict[str, Any]:
    """Codes as stored (option values, ISO dates, numbers) with the labels to read them by."""
    link = table.link()
    return {
        "region": region.slug,
        "table": table.name,
        "step": table.step.id,
        "question": table.question.id,
        "label": table.question.label,
        "columns": [
            {
                "id": c.id,
                "label": c.label,
                "type": c.type,
                **({"options": {o.value: o.label for o in c.options}} if c.options else {}),
            }
            for c in table.columns
        ],
        "rows": [
            {
                "id": row_id,
                "row": number,
                "link": link,
                "cells": {c.id: row.get(c.id) for c in table.columns},
            }
            for number, (row_id, row) in enumerate(zip(table.row_ids(), table.rows, strict=True), 1)
        ],
    }
