"""Numbers, amounts, shares and dates as a reader writes them: the one place where they are
turned into text, for pages (the interface language), documents (the region's language,
under `force_locale`) and CSV exports.

Every function takes the locale of the request (or of the `force_locale` block) unless one
is given. Babel's data decides the marks: 60,000 / 60.000 / 60 000 (Polish groups with a
non-breaking space), 1,234.5 / 1.234,5, 28 November 2026 / 28 de noviembre de 2026.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from babel.numbers import format_decimal, format_percent, get_decimal_symbol
from flask_babel import format_date as _babel_date
from flask_babel import format_datetime as _babel_datetime
from flask_babel import get_locale

DASH = "–"  # what a table shows for "no figure"


def _locale(locale: Any = None) -> Any:
    return locale or get_locale() or "en_GB"


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _rounded(number: Decimal) -> Decimal:
    """Halves up, as people round (62.5 -> 63), not to the even neighbour."""
    return number.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def format_number(value: Any, locale: Any = None) -> str:
    """A stored number as the reader writes it: 1,234,567.5 / 1.234.567,5 / 1 234 567,5.
    Every decimal is kept, so a number shown in a form comes back unchanged."""
    if value is None or value == "":
        return ""
    number = _decimal(value)
    if number is None or abs(number.adjusted()) > 30:
        return str(value)  # stored before these rules (an imported "n/a", NaN, 1e300)
    if number == number.to_integral_value():
        number = Decimal(int(number))  # 100, not 100.0
    return format_decimal(number, locale=_locale(locale), decimal_quantization=False)


def format_whole(value: Any, locale: Any = None) -> str:
    """A figure rounded to a whole number and grouped: totals, amounts, scores, counts."""
    number = _decimal(value)
    if number is None:
        return DASH if value in (None, "") else str(value)
    return format_decimal(_rounded(number), format="#,##0", locale=_locale(locale))


def format_amount(value: Any, locale: Any = None) -> str:
    """A sum of money in whole units, without the currency (the column says which)."""
    return format_whole(value, locale)


def format_signed(value: Any, locale: Any = None) -> str:
    """A change, rounded, always with its sign: +5, -3, 0."""
    number = _decimal(value)
    if number is None:
        return DASH
    return format_decimal(_rounded(number), format="+#,##0;-#,##0", locale=_locale(locale))


def format_share(value: Any, locale: Any = None) -> str:
    """A share of 0 to 100 as a percentage: 62% / 62 % (Spanish, German keep a space)."""
    number = _decimal(value)
    if number is None:
        return DASH
    return format_percent(_rounded(number) / 100, locale=_locale(locale))


def format_day(value: date | str | None, form: str = "long") -> str:
    """A date (or an ISO date as stored in answers; or a moment, on its day in the reader's
    time zone) in the reader's words."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, date):
        return "" if value is None else str(value)
    return _babel_date(value, form)


def format_moment(value: datetime | None, form: str = "medium") -> str:
    """A moment in the reader's time zone and words."""
    return "" if value is None else _babel_datetime(value, form)


def decimal_mark(locale: Any = None) -> str:
    return get_decimal_symbol(_locale(locale))


def csv_number(value: Any, locale: Any = None) -> str:
    """A number for a spreadsheet cell: the locale's decimal sign and no grouping, which
    spreadsheet programs set to that language read as a number."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f").replace(".", decimal_mark(locale))


def csv_moment(value: datetime) -> str:
    """A moment for a spreadsheet cell, in the reader's time zone: 2026-11-28 14:05, which
    spreadsheet programs in every language read as a date and time."""
    return _babel_datetime(value, "yyyy-MM-dd HH:mm")


# The Jinja filters of pages and of documents (belong/web.py, belong/document/render.py).
FILTERS = {
    "number": format_number,
    "whole": format_whole,
    "amount": format_amount,
    "signed": format_signed,
    "share": format_share,
    "day": format_day,
    "moment": format_moment,
}
