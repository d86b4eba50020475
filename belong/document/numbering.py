"""Figures and tables numbered in the order they appear, wherever they come from (the
layout, or a table written in an answer): the layout writes captions without numbers and
cross-references as `[[ref:id]]` (plain text, so it passes through translated sentences);
this pass gives every figure and
table its number and fills the references. No number is typed, so none can skip. It also
fills the lists of figures and of tables (`[[list:figures]]`, `[[list:tables]]`): every
numbered caption, linked to its figure or table."""

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
_LIST = re.compile(r"\[\[list:(figures|tables)\]\]")
_CAPTION_END = re.compile(r"</caption>|</figcaption>")


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
    # (kind, id, label, where its caption's text begins) for the lists
    entries: list[tuple[str, str, str, int]] = []
    heading = ""
    open_table: int | None = None  # the number of the table whose caption may follow
    open_id = ""
    figure_id = ""
    titles: dict[int, str] = {}  # entry index -> its caption's words (escaped HTML)
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
            figure_id = found.group(1) if found else f"figure-{counts['figure']}"
            if not found:  # an id, so the list of figures can link to it
                out[-1] = out[-1][: -len(token)] + token.replace(
                    "<figure", f'<figure id="{figure_id}"', 1
                )
            numbers[figure_id] = figure(counts["figure"])
        elif token.startswith("<figcaption"):
            label = figure(counts["figure"])
            entries.append(("figures", figure_id, label, match.end()))
            out.append(f'<span class="caption-label">{escape(label)}.</span> ')
        elif token.startswith("<table"):
            counts["table"] += 1
            label = escape(table(counts["table"]))
            found = _ID.search(token)
            if found:
                table_id = found.group(1)
            else:  # an id, so the list of tables can link to it
                table_id = f"table-{counts['table']}"
                out[-1] = out[-1][: -len(token)] + token.replace(
                    "<table", f'<table id="{table_id}"', 1
                )
            numbers[table_id] = str(label)
            if html.startswith("<caption", _next_tag(html, last)):
                open_table = counts["table"]
                open_id = table_id
            else:
                given = _DATA_CAPTION.search(token)
                title = given.group(1) if given else heading
                entries.append(("tables", table_id, str(label), -1))
                titles[len(entries) - 1] = title
                out.append(
                    f'<caption><span class="caption-label">{label}.</span> {title}</caption>'
                )
        elif token.startswith("<caption") and open_table is not None:
            entries.append(("tables", open_id, str(escape(table(open_table))), match.end()))
            out.append(f'<span class="caption-label">{escape(table(open_table))}.</span> ')
            open_table = None
        elif token == "</table>":  # noqa: S105 - a tag, not a password
            open_table = None
    out.append(html[last:])
    numbered = "".join(out)
    for index, (_kind, _id, _label, start) in enumerate(entries):
        if start >= 0:
            end = _CAPTION_END.search(html, start)
            titles[index] = _first_sentence(html[start : end.start() if end else start])

    def link(match: re.Match) -> str:
        target = match.group(1)
        if target not in numbers:
            return match.group(0)  # not a reference of the layout's: left as written
        return f'<a class="xref" href="#{target}">{escape(numbers[target])}</a>'

    def listing(match: re.Match) -> str:
        items = [
            f'<li><a href="#{target}"><span class="caption-label">{label}.</span> '
            f"{titles.get(index, '')}</a></li>"
            for index, (kind, target, label, _start) in enumerate(entries)
            if kind == match.group(1)
        ]
        return "".join(items)

    return _LIST.sub(listing, _XREF.sub(link, numbered))


def _first_sentence(caption_html: str) -> str:
    """A caption's words up to the end of its first sentence, as escaped HTML text."""
    text = " ".join(html_lib.unescape(_TAGS.sub("", _XREF.sub("", caption_html))).split())
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    return str(escape(first.rstrip(".")))


def _next_tag(html: str, start: int) -> int:
    """Where the next tag begins after `start` (whitespace skipped)."""
    position = start
    while position < len(html) and html[position].isspace():
        position += 1
    return position
