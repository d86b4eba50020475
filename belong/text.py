"""What is kept of the text people type: one rule, applied wherever text comes in (every
form field, imports) and again wherever stored text is shown or printed, for rows kept
before the rule.

Line breaks of every kind (CR LF, CR, the Unicode line and paragraph separators, vertical
tab, form feed, next line) become a plain newline; other control characters and lone
surrogates go. None of them is anything a person means to write, no database column holds
all of them (PostgreSQL refuses NUL) and the PDF renderer fails on some (a space before a
paragraph separator).
"""

from __future__ import annotations

import re

_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# C0 controls but tab and newline, DEL, the C1 controls, lone surrogates.
_UNWANTED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_ONE_LINE = re.compile("[\n\t]+")


def clean_text(value: str, *, single_line: bool = False) -> str:
    """The text as kept; with `single_line` (names, titles) line breaks become spaces."""
    value = _UNWANTED.sub("", _LINE_BREAKS.sub("\n", value))
    return _ONE_LINE.sub(" ", value) if single_line else value


def clean_value(value):
    """clean_text through a stored value's lists and dicts (answers, table rows)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_value(v) for v in value]
    if isinstance(value, dict):
        return {k: clean_value(v) for k, v in value.items()}
    return value
