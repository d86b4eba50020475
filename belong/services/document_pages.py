"""A region's document shown inside an app page: the draft (the preview) and a submitted
version (its review page). The same assembly as the PDF; only the document's body is kept
(its head's stylesheet is served scoped, belong/document/screen_css.py), and a version's
document says where each place a comment may point to stands."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from belong.document import placement
from belong.models import DraftVersion, Region
from belong.services import documents
from belong.services.documents import Purpose
from belong.services.versions import edition_of
from belong.templating.registry import get_template

SCOPE = ".doc-view"
# An element of these may have a block put right before it; a place held by anything else
# (a table row, a figure in a line) has its block after its enclosing block.
BEFORE = {"section", "div", "table", "figure", "aside", "ul", "ol", "dl", "p", "blockquote"}
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)")
_LANG = re.compile(r"<html[^>]*\blang=\"([^\"]*)\"")
_TABLE = re.compile(r"<table(?=[\s>])")


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


def draft_body(region: Region) -> tuple[str, str]:
    template = get_template(region.template_id)
    return body_of(documents.draft_html(region, template))


def version_html(region: Region, version: DraftVersion) -> str:
    """The version's document as its PDF has it, from its frozen answers."""
    template = get_template(version.template_id)
    return documents.document_html(region, template, edition_of(version, Purpose.VERSION))


def spots(html: str, places: list[tuple[str, str, str]]) -> list[Spot]:
    """Where each place stands in the document, in document order: a question at its answer;
    a step as a whole at the first of its questions the document shows. A place the document
    does not show (an unanswered optional question, say) has no spot."""
    wanted = {f"{s}--{q}": (s, q, label) for s, q, label in places if q}
    found = placement.places(html, set(wanted))
    step_labels = {s: label for s, q, label in places if not q}
    by_offset: dict[int, Spot] = {}
    first_of_step: dict[str, tuple[int, int]] = {}
    for element_id, (start, after) in sorted(found.items(), key=lambda item: item[1][0]):
        step_id, question_id, label = wanted[element_id]
        tag = _TAG.match(html, start)
        offset = start if tag and tag.group(1).lower() in BEFORE else after
        spot = by_offset.setdefault(offset, Spot(offset))
        if step_id not in first_of_step:
            first_of_step[step_id] = (start, offset)
            if step_id in step_labels:
                spot.places.append(Place(step_id, "", step_labels[step_id]))
        spot.places.append(Place(step_id, question_id, label))
    return sorted(by_offset.values(), key=lambda s: s.offset)
