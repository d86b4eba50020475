"""Funding sources written as free text, as the action plan's old table had them: "ESF+
(60%), regional budget (40%)" splits an amount by those shares; sources without a share divide
what is left equally; one source without a share takes it all. Used when existing answers
become records (belong/services/records_from_answers.py); the plan's figures are computed
from the records (belong/services/strategy_figures.py)."""

from __future__ import annotations

import re

_SHARE = re.compile(r"\(\s*(\d+(?:[.,]\d+)?)\s*%\s*\)")
_SEPARATORS = re.compile(r"[;,](?![^()]*\))")  # commas or semicolons outside parentheses


def funding_shares(text: str | None) -> list[tuple[str, float]]:
    """(source, share 0-1) pairs from a free-text funding source."""
    parts = [p.strip() for p in _SEPARATORS.split(text or "") if p.strip()]
    if not parts:
        return [("", 1.0)]
    named: list[tuple[str, float | None]] = []
    for part in parts:
        match = _SHARE.search(part)
        name = _SHARE.sub("", part).strip()
        name = re.sub(r"\s+", " ", name)
        share = float(match.group(1).replace(",", ".")) / 100 if match else None
        named.append((name[:1].upper() + name[1:], share))
    given = sum(s for _, s in named if s is not None)
    open_parts = [n for n, s in named if s is None]
    rest = max(0.0, 1.0 - given) / len(open_parts) if open_parts else 0.0
    return [(n, s if s is not None else rest) for n, s in named]
