"""The document's context: plain values only (no ORM objects reach the layout)."""

from __future__ import annotations

from datetime import date
from typing import Any

from markupsafe import escape

from belong.document.display import display_answer, display_rows
from belong.formatting import format_day
from belong.models import Region
from belong.templating.conditions import applicable_questions
from belong.templating.loader import LoadedTemplate


def _record_values(value: Any) -> list[dict[str, Any]]:
    """The values of each record a records question lists (as `records.snapshot` gives
    them; a table row frozen before the list became records is its values already)."""
    found = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict):
            found.append(item["values"] if isinstance(item.get("values"), dict) else item)
    return found


def _cell(field: Any, value: Any) -> Any:
    """One field of a record in a table cell (a reference's keys are not shown)."""
    if value in (None, "", []) or field.type in ("reference", "table"):
        return ""
    if hasattr(field, "cell_html"):
        return field.cell_html(value)
    return escape(field.plain_text(value))


def build_context(
    region: Region,
    template: LoadedTemplate,
    values: dict[tuple[str, str], Any],
    *,
    draft: bool = True,
    on: date | None = None,
    version_label: str = "",
) -> dict[str, Any]:
    definition = template.definition
    chapters = []
    answers: dict[str, dict[str, dict[str, Any]]] = {}
    for number, step in enumerate(definition.steps, start=1):
        items = []
        step_values = {q.id: values.get((step.id, q.id)) for q in step.questions}
        for question in applicable_questions(step, step_values):  # hidden ones left out
            value = step_values[question.id]
            columns = definition.columns_of(question)
            records = _record_values(value) if question.type == "records" else None
            item = {
                "id": question.id,
                "anchor": f"{step.id}--{question.id}",
                "label": question.label,
                "type": question.type,
                "required": question.required,
                "answered": question.is_answered(value),
                "value": value,
                "html": display_answer(question, value),
                "columns": [c.label for c in columns],
                "rows": display_rows(question, value)
                if records is None
                else [[_cell(c, row.get(c.id)) for c in columns] for row in records],
                # A records question's records, each its values by field id.
                "records": records,
                "area": getattr(question, "area", None),
                "step_title": step.title,  # where an unanswered question is filled in
            }
            items.append(item)
        answers[step.id] = {item["id"]: item for item in items}
        chapters.append({"number": number, "id": step.id, "title": step.title, "questions": items})
    return {
        "region": {
            "name": region.name,
            "slug": region.slug,
            "country": region.country,
            "period": region.period,
        },
        "template": {
            "id": definition.id,
            "version": definition.version,
            "title": definition.title,
            "language": region.language or definition.language,
        },
        "draft": draft,
        "version_label": version_label,
        "generated_on": format_day(on or date.today()),
        "chapters": chapters,
        "steps": {step.id: step.title for step in definition.steps},
        "answers": answers,
    }
