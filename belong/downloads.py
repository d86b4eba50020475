"""Files handed to the reader: the attachment headers, and CSV as people open it in a
spreadsheet program.

A CSV starts with a UTF-8 byte order mark (so spreadsheet programs read accents and Polish
letters right), has the reader's labels rather than codes, figures with the reader's decimal
sign and no grouping, and the separator spreadsheet programs expect in that language: a
semicolon where the decimal sign is a comma. No cell starts like a formula.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from flask import Response

from belong.formatting import csv_moment, csv_number, decimal_mark

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def attachment_headers(filename: str, fallback: str) -> dict[str, str]:
    """A Content-Disposition that stays valid whatever the file is called (a region's name
    may hold quotes or line breaks), with the real name for browsers that read it."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip("-") or fallback
    return {
        "Content-Disposition": (
            f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
        ),
        "Cache-Control": "no-store",
    }


def csv_safe(value: Any) -> str:
    """A text cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_cell(value: Any) -> str:
    """A value as a spreadsheet cell in the reader's language."""
    if isinstance(value, bool):
        return csv_safe(str(value))
    if isinstance(value, int | float | Decimal):
        return csv_number(value)
    if isinstance(value, datetime):
        return csv_moment(value)
    if isinstance(value, date):
        return value.isoformat()
    return csv_safe(value)


def separator() -> str:
    return ";" if decimal_mark() == "," else ","


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator())
    writer.writerow([csv_safe(label) for label in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return BOM + out.getvalue()


def csv_download(header: Sequence[str], rows: Iterable[Sequence[Any]], filename: str) -> Response:
    return Response(
        csv_text(header, rows),
        mimetype="text/csv",
        headers=attachment_headers(filename, "export.csv"),
    )
