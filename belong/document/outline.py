"""The chapters and sections of a rendered document, read from its HTML, so the public
consultation page can show the very document the layout made (belong/services/documents.py
`document_context`, the one path) with a place to comment after each section.

A chapter is a `<section>` with an id that no other such section holds; its sections are the
`<section>`s with an id directly inside it. The title of each is the text of its first heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from belong.document.placement import VOID

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Part:
    """A place people comment on: a section, or a chapter without sections."""

    id: str
    title: str
    chapter_id: str
    chapter_title: str
    end: int  # offset in the body where the part's closing tag starts


@dataclass(frozen=True)
class Outline:
    body: str  # the document's body, without the <body> tags
    parts: tuple[Part, ...]

    def part(self, part_id: str) -> Part | None:
        return next((p for p in self.parts if p.id == part_id), None)


class _Scanner(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.line_starts = [0] + [i + 1 for i, char in enumerate(html) if char == "\n"]
        self.stack: list[tuple[str, dict | None]] = []
        self.open: list[dict] = []  # sections with an id, innermost last
        self.found: list[dict] = []  # in the order their start tags came

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        info = None
        element_id = dict(attrs).get("id") if tag == "section" else None
        if element_id:
            info = {
                "id": element_id,
                "level": len(self.open),
                "parent": self.open[0] if self.open else None,
                "title": [],
                "heading": None,
                "titled": False,
                "end": -1,
            }
            self.open.append(info)
            self.found.append(info)
        elif tag in HEADINGS and self.open:
            current = self.open[-1]
            if not current["titled"] and current["heading"] is None:
                current["heading"] = tag
        self.stack.append((tag, info))

    def handle_data(self, data):
        if self.open and self.open[-1]["heading"]:
            self.open[-1]["title"].append(data)

    def handle_endtag(self, tag):
        if tag not in (t for t, _i in self.stack):
            return
        offset = self._offset()
        while self.stack:
            open_tag, info = self.stack.pop()
            if self.open and self.open[-1]["heading"] == open_tag:
                self.open[-1]["heading"], self.open[-1]["titled"] = None, True
            if info is not None:
                info["end"] = offset
                self.open.pop()
            if open_tag == tag:
                return


def _title(info: dict) -> str:
    return _SPACES.sub(" ", "".join(info["title"])).strip()


def body_of(html: str) -> str:
    """What is between the document's <body> tags."""
    start = html.index(">", html.index("<body")) + 1
    return html[start : html.rindex("</body>")]


def scrollable_tables(body: str) -> str:
    """Each table in a box that scrolls sideways on a narrow screen and takes the keyboard
    focus (so it can be scrolled without a mouse); the layout nests no tables."""
    opened = body.replace("<table", '<div class="table-scroll" tabindex="0"><table')
    return opened.replace("</table>", "</table></div>")


def outline(html: str) -> Outline:
    """The document's body, its tables made scrollable, and the parts of it that take
    comments, in document order."""
    body = scrollable_tables(body_of(html))
    scanner = _Scanner(body)
    scanner.feed(body)
    scanner.close()
    parts = []
    last: tuple[str, str] | None = None  # a chapter continued without a heading of its own
    for chapter in (i for i in scanner.found if i["level"] == 0 and i["end"] >= 0):
        inside = [
            i
            for i in scanner.found
            if i["level"] == 1 and i["parent"] is chapter and _title(i) and i["end"] >= 0
        ]
        if _title(chapter):
            last = (chapter["id"], _title(chapter))
        elif last is None or not inside:
            continue  # no heading (the cover, the contents)
        for info in inside or [chapter]:
            parts.append(Part(info["id"], _title(info), last[0], last[1], info["end"]))
    return Outline(body, tuple(parts))
