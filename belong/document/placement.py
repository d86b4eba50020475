"""Find where to add a block of HTML after the part of a rendered document that an element
id names: after the smallest enclosing element that may hold a block beside its siblings
(a table row's notes go after its table, a paragraph's after the paragraph)."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
# Elements after which a block of notes may follow as a sibling.
BLOCKS = {"section", "div", "table", "ul", "ol", "dl", "blockquote", "figure", "p", "article"}


class _Scanner(HTMLParser):
    def __init__(self, html: str, wanted: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self.wanted = wanted
        self.line_starts = [0]
        for i, char in enumerate(html):
            if char == "\n":
                self.line_starts.append(i + 1)
        # Open elements: (tag, start offset, ids waiting for this element to end).
        self.stack: list[tuple[str, int, list[str]]] = []
        self.found: dict[str, tuple[int, int]] = {}  # id -> (where it starts, insert at)

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        start = self._offset()
        element_id = dict(attrs).get("id")
        waiting = [element_id] if element_id in self.wanted and element_id not in self.found else []
        for name in waiting:
            self.found[name] = (start, -1)
        if tag in VOID:
            return
        self.stack.append((tag, start, []))
        for name in waiting:
            self._wait(name)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def _wait(self, name: str) -> None:
        """The id's notes go after the innermost open block element."""
        for tag, _start, waiting in reversed(self.stack):
            if tag in BLOCKS:
                waiting.append(name)
                return

    def handle_endtag(self, tag):
        if tag not in (t for t, _s, _w in self.stack):
            return
        end = self.html.index(">", self._offset()) + 1
        while self.stack:
            open_tag, _start, waiting = self.stack.pop()
            for name in waiting:
                self.found[name] = (self.found[name][0], end)
            if open_tag == tag:
                return


def places(html: str, ids: set[str]) -> dict[str, tuple[int, int]]:
    """For each id found in `html`: the offset where its element starts (document order) and
    the offset after which a block about it may be inserted."""
    scanner = _Scanner(html, ids)
    scanner.feed(html)
    scanner.close()
    return {name: spot for name, spot in scanner.found.items() if spot[1] >= 0}


def insert(html: str, blocks: list[tuple[int, str]]) -> str:
    """`html` with each block inserted at its offset (blocks at the same offset keep their
    order)."""
    parts, last = [], 0
    for offset, block in sorted(blocks, key=lambda b: b[0]):
        parts.append(html[last:offset])
        parts.append(block)
        last = offset
    parts.append(html[last:])
    return "".join(parts)
