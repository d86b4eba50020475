"""Files handed to the reader: the one place that makes a response a file to save (PDFs,
CSV and JSON exports), and CSV as people open it in a spreadsheet program.

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
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from flask import Response

from belong.formatting import csv_moment, csv_number, decimal_mark

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def download(body: str | bytes, filename: str, mimetype: str) -> Response:
    """`body` saved as `filename`: the one place that makes a response a file to save (PDFs,
    CSV and JSON exports). The header stays valid whatever the name holds (an ASCII name,
    and the name in UTF-8 beside it when they differ), and no cache keeps a copy."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip("-")
    if not ascii_name.strip(".") or ascii_name.startswith("."):
        ascii_name = "download" + PurePath(filename).suffix
    response = Response(body, mimetype=mimetype)
    disposition = f'attachment; filename="{ascii_name}"'
    if ascii_name != filename:
        disposition += f"; filename*=UTF-8''{quote(filename, safe='')}"
    response.headers["Content-Disposition"] = disposition
    response.headers["Cache-Control"] = "no-store"
    return response


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
    return download(csv_text(header, rows), filename, "text/csv")
