"""The action plan and the indicators as data (CSV and JSON downloads), read from the linked
records (belong/services/records.py): each row is a record, with its stable key as its id,
the keys of the records it refers to, and a link to the record's own page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import gettext as _

from belong.models import Region
from belong.services.mail import external_url
from belong.services.records import RecordView, records_of
from belong.templating.conditions import applicable_fields
from belong.templating.schema import RecordKind, StrategyTemplate

# The download's name in the address -> the kind of record it holds.
KINDS = {"action-plan": "action", "indicators": "indicator"}


@dataclass(frozen=True)
class PlanTable:
    name: str  # as in the address: action-plan, indicators
    region_slug: str
    kind: RecordKind
    records: list[RecordView]

    @property
    def columns(self) -> tuple[Any, ...]:
        return self.kind.fields

    def link(self, record: RecordView) -> str:
        """The record's own page, as a reader outside the app opens it."""
        return external_url(
            url_for(
                "records.show", slug=self.region_slug, kind_id=self.kind.id, record_key=record.key
            )
        )


def download_for(question: Any) -> str | None:
    """The download of the records a step's records question places (for the step page)."""
    if getattr(question, "type", None) != "records":
        return None
    return next((name for name, kind in KINDS.items() if kind == question.kind), None)


def plan_table(region: Region, template: StrategyTemplate, name: str) -> PlanTable | None:
    kind = template.record_kind(KINDS.get(name, ""))
    if kind is None:
        return None
    return PlanTable(name, region.slug, kind, records_of(region, kind.id, template))


def applies(field: Any, record: RecordView, kind: RecordKind) -> bool:
    """Whether the field applies to this record (its show_if); one that does not is empty."""
    return field in applicable_fields(kind, record.values)


def cell_text(field: Any, record: RecordView, kind: RecordKind) -> Any:
    """A cell as a person reads it: referred records by their titles, options by their labels,
    figures and dates as they are; empty for a field that does not apply."""
    if not applies(field, record, kind):
        return None
    if field.type == "reference":
        return "; ".join(r.title for r in record.ref(field.id))
    value = record.get(field.id)
    if field.type in ("number", "date") or value is None:
        return value
    return field.readable_text(value)


def csv_rows(table: PlanTable) -> tuple[list[str], list[list[Any]]]:
    header = [_("Id"), _("Row"), *[f.label for f in table.columns], _("Link")]
    rows = [
        [
            record.key,
            number,
            *[cell_text(f, record, table.kind) for f in table.columns],
            table.link(record),
        ]
        for number, record in enumerate(table.records, 1)
    ]
    return header, rows


def json_data(region: Region, table: PlanTable) -> dict[str, Any]:
    """Codes as stored (option values, ISO dates, numbers) with the labels to read them by,
    and the keys of the records each reference field points to."""
    return {
        "region": region.slug,
        "table": table.name,
        "kind": table.kind.id,
        "label": table.kind.plural,
        "columns": [
            {
                "id": f.id,
                "label": f.label,
                "type": f.type,
                **(
                    {"options": {o.value: o.label for o in f.options}}
                    if getattr(f, "options", None)
                    else {}
                ),
                **({"refers_to": f.kind} if f.type == "reference" else {}),
            }
            for f in table.columns
        ],
        "rows": [
            {
                "id": record.key,
                "row": number,
                "link": table.link(record),
                "cells": {
                    f.id: record.get(f.id) if applies(f, record, table.kind) else None
                    for f in table.columns
                },
                "refs": {name: [r.key for r in found] for name, found in record.refs.items()},
            }
            for number, record in enumerate(table.records, 1)
        ],
    }
