"""A rendered document's HTML as a small tree (for the Word export): elements with their
attributes and children, text as strings. An inline SVG is kept as its own source, letter
case and all, so it can be drawn as it is in the PDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from belong.document.placement import VOID


@dataclass
class Element:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)
    source: str = ""  # an <svg>: its markup as written

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def find(self, tag: str) -> Element | None:
        """The first element with this tag inside this one (depth first)."""
        for child in self.children:
            if isinstance(child, Element):
                if child.tag == tag:
                    return child
                found = child.find(tag)
                if found is not None:
                    return found
        return None

    def find_class(self, name: str) -> Element | None:
        for child in self.children:
            if isinstance(child, Element):
                if name in child.classes:
                    return child
                found = child.find_class(name)
                if found is not None:
                    return found
        return None

    def text(self) -> str:
        """The element's text, spaces collapsed (what a reader sees of it)."""
        parts: list[str] = []

        def walk(node: Element) -> None:
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                elif child.tag == "br":
                    parts.append(" ")
                else:
                    walk(child)

        walk(self)
        return " ".join("".join(parts).split())

    def raw_text(self) -> str:
        """The element's text as written (preformatted text keeps its lines)."""
        return "".join(
            child if isinstance(child, str) else "\n" if child.tag == "br" else child.raw_text()
            for child in self.children
        )


class _Builder(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self.line_starts = [0]
        for i, char in enumerate(html):
            if char == "\n":
                self.line_starts.append(i + 1)
        self.root = Element("#root")
        self.stack = [self.root]
        self.in_svg = 0

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if self.in_svg:
            if tag == "svg":
                self.in_svg += 1
            return
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag == "svg":
            start = self._offset()
            end = self.html.find("</svg>", start)
            element.source = self.html[start : end + len("</svg>")] if end >= 0 else ""
            self.in_svg = 1
            return
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        if self.in_svg:
            return
        self.stack[-1].children.append(Element(tag, {n: v or "" for n, v in attrs}))

    def handle_endtag(self, tag):
        if self.in_svg:
            if tag == "svg":
                self.in_svg -= 1
            return
        if tag not in (element.tag for element in self.stack[1:]):
            return  # a stray end tag
        while len(self.stack) > 1:
            if self.stack.pop().tag == tag:
                return

    def handle_data(self, data):
        if not self.in_svg:
            self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    """The document's tree; its root holds the <html> element (or what the HTML has)."""
    builder = _Builder(html)
    builder.feed(html)
    builder.close()
    return builder.root
