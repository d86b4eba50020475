"""A region's document shown inside an app page: the draft (the preview) and a submitted
version (its review page). The same assembly as the PDF; only the document's body is kept
(its head's stylesheet is served scoped, belong/document/screen_css.py), and a version's
document says where each place a comment may point to stands."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from belong.document.placement import VOID
from belong.models import DraftVersion, Region
from belong.services import documents
from belong.services.documents import Purpose
from belong.services.versions import edition_of
from belong.templating.registry import get_template

SCOPE = ".doc-view"
# A block about a place goes right before the outermost element that holds the place and
# stands directly in one of these (a table row's before its table, a key figure's before
# its row of figures): beside the passage, never inside a table or a row of boxes.
SECTIONS = {"section", "article", "aside", "body", "main", "header", "footer", "nav"}
_LANG = re.compile(r"<html[^>]*\blang=\"([^\"]*)\"")
_TABLE = re.compile(r"<table(?=[\s>])")


class _Holders(HTMLParser):
    """For each wanted id: the offset where its block goes (see SECTIONS)."""

    def __init__(self, html: str, wanted: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted = wanted
        self.line_starts = [0] + [i + 1 for i, char in enumerate(html) if char == "\n"]
        self.stack: list[tuple[str, int]] = []  # open elements: (tag, start offset)
        self.found: dict[str, int] = {}

    def handle_starttag(self, tag, attrs):
        line, column = self.getpos()
        start = self.line_starts[line - 1] + column
        element_id = dict(attrs).get("id")
        if element_id in self.wanted and element_id not in self.found:
            chain = [*self.stack, (tag, start)]
            index = len(chain) - 1
            while index > 0 and chain[index - 1][0] not in SECTIONS:
                index -= 1
            self.found[element_id] = chain[index][1]
        if tag not in VOID:
            self.stack.append((tag, start))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return


@dataclass(frozen=True)
class Place:
    step_id: str
    question_id: str  # "" for the step as a whole
    label: str

    @property
    def key(self) -> str:
        return f"{self.step_id}:{self.question_id}"


@dataclass
class Spot:
    """Where a block about one or more places goes in the document's HTML."""

    offset: int
    places: list[Place] = field(default_factory=list)


def body_of(html: str) -> tuple[str, str]:
    """The document's language and the inside of its body, each table focusable: in a page a
    wide table scrolls inside its own box, and the keyboard must reach it to scroll it."""
    lang = _LANG.search(html)
    start = html.index(">", html.index("<body")) + 1
    body = _TABLE.sub('<table tabindex="0"', html[start : html.rindex("</body>")])
    return (lang.group(1) if lang else ""), body


def draft_body(region: Region) -> tuple[str, str, str]:
    """The draft's language, its body's HTML and its accent rule (`accent_style`)."""
    html = documents.draft_html(region, get_template(region.template_id))
    return (*body_of(html), accent_style(html))


# The region's accent colour, as the layout sets it in the document's head (a checked hex
# colour: belong/forms/publication.py).
_ACCENT = re.compile(r"<style>:root \{ --accent: (#[0-9a-fA-F]{6}); \}</style>")


def accent_style(html: str) -> str:
    """The rule that gives a page's copy of the document its region's accent colour, or ''."""
    found = _ACCENT.search(html[: html.find("<body")])
    return f".doc-view {{ --accent: {found.group(1)}; }}" if found else ""


def version_html(region: Region, version: DraftVersion) -> str:
    """The version's document as its PDF has it, from its frozen answers."""
    template = get_template(version.template_id)
    return documents.document_html(region, template, edition_of(version, Purpose.VERSION))


def spots(html: str, places: list[tuple[str, str, str]]) -> list[Spot]:
    """Where each place stands in the document, in document order: a question at its answer;
    a step as a whole with the first of its questions the document shows. A place the
    document does not show (an unanswered optional question, say) has no spot."""
    wanted = {f"{s}--{q}": (s, q, label) for s, q, label in places if q}
    scanner = _Holders(html, set(wanted))
    scanner.feed(html)
    scanner.close()
    step_labels = {s: label for s, q, label in places if not q}
    by_offset: dict[int, Spot] = {}
    steps_placed: set[str] = set()
    for element_id, offset in sorted(scanner.found.items(), key=lambda item: item[1]):
        step_id, question_id, label = wanted[element_id]
        spot = by_offset.setdefault(offset, Spot(offset))
        if step_id not in steps_placed:
            steps_placed.add(step_id)
            if step_id in step_labels:
                spot.places.append(Place(step_id, "", step_labels[step_id]))
        spot.places.append(Place(step_id, question_id, label))
    return sorted(by_offset.values(), key=lambda s: s.offset)
