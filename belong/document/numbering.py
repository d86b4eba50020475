"""Figures and tables numbered in the order they appear, wherever they come from (the
layout, or a table written in an answer): the layout writes captions without numbers and
cross-references as `[[ref:id]]` (plain text, so it passes through translated sentences);
this pass gives every figure and
table its number and fills the references. No number is typed, so none can skip."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable

from markupsafe import escape

# The tags the pass reads, in document order. Answers are sanitized Markdown (tables and
# headings, no attributes but links'), so only the layout writes figures, ids and xrefs.
_TOKEN = re.compile(
    r"<figure\b[^>]*>|<figcaption\b[^>]*>|<table\b[^>]*>|<caption\b[^>]*>|</table>"
    r"|<h[1-4]\b[^>]*>.*?</h[1-4]>",
    re.S,
)
_ID = re.compile(r'\bid="([^"]+)"')
_DATA_CAPTION = re.compile(r'\bdata-caption="([^"]*)"')
_NUM_SPAN = re.compile(r'<span class="num">.*?</span>', re.S)
_TAGS = re.compile(r"<[^>]+>")
_XREF = re.compile(r"\[\[ref:([\w-]+)\]\]")


def _heading_text(heading: str) -> str:
    """A heading's words without its section number, as escaped HTML text."""
    text = _TAGS.sub("", _NUM_SPAN.sub("", heading))
    return str(escape(" ".join(html_lib.unescape(text).split())))


def number_figures_and_tables(
    html: str, *, figure: Callable[[int], str], table: Callable[[int], str]
) -> str:
    """`figure(n)` and `table(n)` give the label in the document's language ("Figure 3").
    A table without a caption gets one: its `data-caption`, else the heading above it."""
    numbers: dict[str, str] = {}
    counts = {"figure": 0, "table": 0}
    heading = ""
    open_table: int | None = None  # the number of the table whose caption may follow
    out: list[str] = []
    last = 0
    for match in _TOKEN.finditer(html):
        token = match.group(0)
        out.append(html[last : match.end()])
        last = match.end()
        if token.startswith("<h"):
            heading = _heading_text(token)
        elif token.startswith("<figure"):
            counts["figure"] += 1
            found = _ID.search(token)
            if found:
                numbers[found.group(1)] = figure(counts["figure"])
        elif token.startswith("<figcaption"):
            out.append(f'<span class="caption-label">{escape(figure(counts["figure"]))}.</span> ')
        elif token.startswith("<table"):
            counts["table"] += 1
            label = escape(table(counts["table"]))
            found = _ID.search(token)
            if found:
                numbers[found.group(1)] = str(label)
            if html.startswith("<caption", _next_tag(html, last)):
                open_table = counts["table"]
            else:
                given = _DATA_CAPTION.search(token)
                title = given.group(1) if given else heading
                out.append(
                    f'<caption><span class="caption-label">{label}.</span> {title}</caption>'
                )
        elif token.startswith("<caption") and open_table is not None:
            out.append(f'<span class="caption-label">{escape(table(open_table))}.</span> ')
            open_table = None
        elif token == "</table>":  # noqa: S105 - a tag, not a password
            open_table = None
    out.append(html[last:])
    numbered = "".join(out)

    def link(match: re.Match) -> str:
        target = match.group(1)
        if target not in numbers:
            return match.group(0)  # not a reference of the layout's: left as written
        return f'<a class="xref" href="#{target}">{escape(numbers[target])}</a>'

    return _XREF.sub(link, numbered)


def _next_tag(html: str, start: int) -> int:
    """Where the next tag begins after `start` (whitespace skipped)."""
    position = start
    while position < len(html) and html[position].isspace():
        position += 1
    return position
