"""Rows pasted from a spreadsheet become records of a kind, all or none.

Excel and LibreOffice copy a range as tab-separated lines (a cell holding a tab, a line break
or a quote comes in double quotes). The first line is taken as a header when most of its cells
name a field (by label or id); the columns then map to those fields, otherwise to the kind's
fields in order. The reader may change the mapping. Each row is checked by the record form
itself (belong/forms/records.py), so a pasted record meets the same rules as a typed one:
options and references may be given by their labels or titles, several separated by ";",
dates as 2026-03-31 or 31.03.2026 (31/03/2026).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from belong.forms.records import build_record_form, field_name
from belong.templating.schema import RecordKind

MAX_ROWS = 500
SKIP = ""  # the mapping of a column left out
_DAY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")


@dataclass
class PastedRow:
    number: int  # the row's line in the paste, from 1 (after the header)
    cells: list[str]
    values: dict[str, Any] = field(default_factory=dict)
    # field id -> its messages; a field mapped to no column reports under "" too
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Preview:
    header: list[str] | None  # the first line, when it names the fields
    mapping: list[str]  # per column: the field id it fills, or SKIP
    rows: list[PastedRow]
    problems: list[str]  # about the paste or the mapping as a whole

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems and all(r.ok for r in self.rows)

    @property
    def failing(self) -> int:
        return sum(1 for r in self.rows if not r.ok)

    @property
    def columns(self) -> int:
        return len(self.mapping)


def pasteable(kind: RecordKind) -> list:
    """The fields a column may fill (a table inside a record is entered on its page)."""
    return [item for item in kind.fields if item.type != "table"]


def parse(text: str) -> list[list[str]]:
    """The non-empty lines of a tab-separated paste, as lists of cells (trimmed)."""
    reader = csv.reader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n")), "excel-tab")
    rows = [[cell.strip() for cell in row] for row in reader]
    return [row for row in rows if any(row)]


def _names(item) -> set[str]:
    return {item.id.casefold(), str(item.label).casefold()}


def guess_mapping(kind: RecordKind, rows: list[list[str]]) -> tuple[bool, list[str]]:
    """(whether the first line is a header, the field each column fills)."""
    fields = pasteable(kind)
    width = max((len(row) for row in rows), default=0)
    first = rows[0] if rows else []
    named = [next((f.id for f in fields if cell.casefold() in _names(f)), None) for cell in first]
    filled = [cell for cell in first if cell]
    if filled and sum(1 for n in named if n) * 2 >= len(filled):
        mapping = [n or SKIP for n in named] + [SKIP] * (width - len(first))
        return True, mapping
    return False, [f.id for f in fields[:width]] + [SKIP] * max(0, width - len(fields))


def _option_values(item, cell: str) -> list[str]:
    by_name = {}
    for option in item.options:
        by_name[option.value.casefold()] = option.value
        by_name[str(option.label).casefold()] = option.value
    parts = [cell] if item.type == "single_choice" else re.split(r"\s*;\s*", cell)
    return [by_name.get(part.casefold(), part) for part in parts if part]


def _form_data(item, cell: str, choices: dict[str, list[tuple[str, str]]]) -> list[str]:
    """A cell as the record form receives it."""
    if item.type in ("single_choice", "multiple_choice"):
        return _option_values(item, cell)
    if item.type == "reference":
        titles = {title.casefold(): key for key, title in choices.get(item.id, [])}
        parts = re.split(r"\s*;\s*", cell) if item.multiple else [cell]
        return [titles.get(part.casefold(), part) for part in parts if part]
    if item.type == "date":
        day = _DAY.match(cell)
        if day:
            return [f"{day.group(3)}-{int(day.group(2)):02d}-{int(day.group(1)):02d}"]
    return [cell]


def preview(
    kind: RecordKind,
    text: str,
    choices: dict[str, list[tuple[str, str]]],
    *,
    max_length: int,
    mapping: list[str] | None = None,
    header: bool | None = None,
) -> Preview:
    """The paste read as records of `kind` and checked, nothing saved. `mapping` and
    `header`: as the reader set them (None: guessed)."""
    lines = parse(text)
    if not lines:
        return Preview(None, [], [], [_("Paste at least one row.")])
    guessed_header, guessed = guess_mapping(kind, lines)
    header = guessed_header if header is None else header
    width = max(len(line) for line in lines)
    known = {item.id for item in pasteable(kind)}
    if mapping is None:
        mapping = guessed
    mapping = [(m if m in known else SKIP) for m in mapping[:width]]
    mapping += [SKIP] * (width - len(mapping))
    problems = []
    body = lines[1:] if header else lines
    if len(body) > MAX_ROWS:
        problems.append(
            _("That is too many rows: paste them in parts of up to %(limit)s.", limit=MAX_ROWS)
        )
        body = body[:MAX_ROWS]
    for item in pasteable(kind):
        if mapping.count(item.id) > 1:
            problems.append(_("Two columns fill “%(field)s”; choose one.", field=item.label))
    rows = []
    for number, cells in enumerate(body, start=1):
        cells = cells + [""] * (width - len(cells))
        data = MultiDict()
        for column, field_id in enumerate(mapping):
            if field_id == SKIP or not cells[column]:
                continue
            item = kind.field(field_id)
            for value in _form_data(item, cells[column], choices):
                data.add(field_name(item), value)
        form = build_record_form(
            kind, {}, 0, choices, max_length=max_length, formdata=data, csrf=False
        )
        row = PastedRow(number, cells)
        if form.validate():
            row.values = form.values()
        else:
            for item in kind.fields:
                errors = form[field_name(item)].errors
                messages = [str(m) for m in errors if not isinstance(m, dict | list)]
                if messages:
                    row.errors[item.id] = messages
        rows.append(row)
    return Preview(lines[0] if header else None, mapping, rows, problems)
