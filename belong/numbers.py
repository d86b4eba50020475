"""Numbers as people type them in the interface language, parsed; shown through
belong/formatting.py, the one place where figures become text.

Input is bounded before any arithmetic: digits, a minus sign and separators only (so no
exponents, `NaN` or `Infinity`), at most MAX_DIGITS digits. Spaces group thousands in every
language. A mark that the language does not use (a point in Polish) is read as grouping when
that is the only sensible reading, and refused as ambiguous when it could be either.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from babel.numbers import get_decimal_symbol, get_group_symbol, parse_decimal
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from belong.formatting import format_number

MAX_DIGITS = 15  # what a stored (JSON, float) number keeps exactly
MAX_CHARS = 40
SPACES = " \u00a0\u202f\u2009"
_SHAPE = re.compile(rf"[-\u2212]?\d(?:[\d.,{SPACES}]*\d)?")


class NumberError(ValueError):
    """Input that is not a number we can be sure of; the message says what to write."""


def _locale(locale: Any = None) -> Any:
    return locale or get_locale() or "en_GB"


def parse_number(text: str | None, *, whole: bool = False, locale: Any = None) -> Decimal | None:
    """What the reader typed, as a Decimal; None when empty. Raises NumberError."""
    text = (text or "").strip()
    if not text:
        return None
    locale = _locale(locale)
    if len(text) > MAX_CHARS or not _SHAPE.fullmatch(text):
        raise NumberError(_not_a_number(whole, locale))
    negative = text[0] in "-\u2212"
    body = text.lstrip("-\u2212")
    point, group = get_decimal_symbol(locale), get_group_symbol(locale)
    body = re.sub(f"[{SPACES}]", "G", body)
    for mark in ".,":
        if mark == group or (mark != point and _is_grouping(body, mark, point, whole)):
            body = body.replace(mark, "G")
        elif mark != point and re.fullmatch(rf"\d{{1,3}}{re.escape(mark)}\d{{3}}", body):
            raise NumberError(_ambiguous(text, body.replace(mark, ""), locale))
        else:
            body = body.replace(mark, "P")  # the decimal sign, or a mark read as one
    whole_part, _sep, fraction = body.partition("P")
    groups = whole_part.split("G")
    if "P" in fraction or "G" in fraction or not _grouped_in_threes(groups):
        raise NumberError(_not_a_number(whole, locale))
    if len("".join(groups).lstrip("0")) + len(fraction) > MAX_DIGITS:
        raise NumberError(
            ngettext("Use at most %(num)s digit.", "Use at most %(num)s digits.", MAX_DIGITS)
        )
    if whole and fraction.strip("0"):
        raise NumberError(
            _("Enter a whole number, such as %(example)s.", example=format_number(1234, locale))
        )
    canonical = "".join(groups) + (point + fraction if fraction else "")
    number = parse_decimal(canonical, locale=locale)
    return -number if negative and number else number


def _is_grouping(body: str, mark: str, point: str, whole: bool) -> bool:
    """A mark the language does not use: grouping when it repeats, comes with the decimal
    sign, or the number is whole."""
    return mark in body and (body.count(mark) > 1 or point in body or whole)


def _grouped_in_threes(groups: list[str]) -> bool:
    if len(groups) == 1:
        return groups[0] != ""
    return 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def _not_a_number(whole: bool, locale: Any) -> str:
    if whole:
        return _(
            "Enter a whole number in digits, such as %(example)s.",
            example=format_number(1234, locale),
        )
    return _(
        "Enter a number in digits, such as %(example)s or %(other)s.",
        example=format_number(1234, locale),
        other=format_number(Decimal("12.5"), locale),
    )


def _ambiguous(text: str, digits: str, locale: Any) -> str:
    return _(
        "“%(text)s” can be read in two ways. Write %(whole)s for the whole number, or %(decimal)s "
        "for the decimal.",
        text=text,
        whole=format_number(int(digits), locale),
        decimal=format_number(Decimal(f"{digits[:-3]}.{digits[-3:]}"), locale),
    )


def range_message(low: float | None, high: float | None) -> str:
    """The limits of a number question, written as people write them."""
    if low is not None and high is not None:
        return _(
            "Enter a number between %(low)s and %(high)s.",
            low=format_number(low),
            high=format_number(high),
        )
    if low is not None:
        return _("Enter a number of at least %(low)s.", low=format_number(low))
    return _("Enter a number of at most %(high)s.", high=format_number(high))
