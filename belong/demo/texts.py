"""The demo's data files (YAML beside this module), with their long texts unwrapped.

The files wrap long texts at 100 characters so they stay readable; the app must not store
those line ends. A paragraph becomes one line; list items, table rows and headings keep their
own lines; blank lines between paragraphs stay."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

# A line that starts a block of its own in Markdown: a list item, a table row, a heading,
# a quotation.
BLOCK_START = re.compile(r"([-*+]\s|\d+[.)]\s|\||#|>)")


def unwrap(text: str) -> str:
    """Join the lines of each paragraph or list item into one, without leading spaces."""
    lines: list[str] = []
    for raw in text.strip().split("\n"):
        line = raw.strip()
        previous = lines[-1] if lines else ""
        joins = line and previous and not BLOCK_START.match(line)
        if joins and not previous.startswith(("|", "#")):
            lines[-1] = f"{previous} {line}"
        else:
            lines.append(line)
    return "\n".join(lines)


def _unwrapped(value: Any) -> Any:
    if isinstance(value, str):
        return unwrap(value) if "\n" in value else value
    if isinstance(value, list):
        return [_unwrapped(item) for item in value]
    if isinstance(value, dict):
        return {key: _unwrapped(item) for key, item in value.items()}
    return value


def load(name: str) -> dict:
    """The data of belong/demo/<name>.yaml, every text unwrapped."""
    path = Path(__file__).parent / f"{name}.yaml"
    return _unwrapped(yaml.safe_load(path.read_text(encoding="utf-8")))
