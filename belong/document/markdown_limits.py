"""Bounds on what one text can make Markdown and the PDF renderer do.

Python-Markdown looks for the end of a link from every `[` and `](` to the end of the
paragraph, so thousands of unclosed or nested brackets cost minutes (20 KB of them took
28 s); it searches the paragraph (or the block) from its start again after each inline mark
(or heading) it reads; it
recurses once per nested block quote or list, and so does the PDF renderer once per
nested element. The source is bounded before Markdown sees it (nesting markers, brackets
and inline marks beyond a depth or a number are kept as plain characters) and the HTML
after it (elements beyond a depth lose their tags, never their text). Nothing that
people write on purpose comes near these bounds.

A mark kept as a plain character stands in the source as a private-use character, which
Markdown passes through untouched (a backslash would cost it a match each), and
`restore` puts it back in Markdown's HTML.
"""

from __future__ import annotations

import re

MAX_NESTING = 8  # block quotes and list markers on one line, brackets within brackets
MAX_INDENT = 4 * MAX_NESTING  # columns of indentation (four per list level)
MAX_SPAN = 2_000  # characters from a bracket to its partner (a link's text or address)
MAX_LINKS = 500  # pairs of square brackets (links, references) in one text
MAX_MARKS = 2_000  # other inline marks (emphasis, code, entities, tags, escapes) in one text
MAX_ELEMENT_DEPTH = 24  # elements within each other in the HTML of one text

# Headings, setext underlines and rules end their block: a blank line after them changes
# nothing, and spares Markdown searching the rest of a long block again for each one.
_BLOCK_END = re.compile(r"#.*|[=-]+[ \t]*|(?:[*_-][ \t]*){3,}")
_MARKER = re.compile(r"[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))")
_BRACKET = re.compile(r"\\.|[\[\]()]", re.DOTALL)
_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>"]|"[^"]*")*)>')
_VOID = {"br", "hr", "img", "wbr"}
_PLAIN = {c: chr(0xE000 + i) for i, c in enumerate("[]()<*_`&\\")}
_RESTORE = str.maketrans(
    {v: k for k, v in _PLAIN.items()} | {_PLAIN["<"]: "&lt;", _PLAIN["&"]: "&amp;"}
)
# Each inline match costs Markdown a search from the paragraph's start again.
_MARK = re.compile(r"[*_](?!\s)|[`&<\\]")
# A `<` with no `>` before the next one opens no tag; Python's HTML parser, which
# Markdown uses, takes quadratic time over thousands of them.
_LONE_LT = re.compile(r"<(?=[^<>]*(?:<|\Z))")
_NO_PLAIN = str.maketrans(dict.fromkeys(_PLAIN.values()))


def bound_source(text: str) -> str:
    """The text with its nesting markers and brackets bounded (see the module's note)."""
    text = _LONE_LT.sub(_PLAIN["<"], text.translate(_NO_PLAIN))
    text = _bound_marks("\n".join(_bound_line(line) for line in text.split("\n")))
    return _bound_brackets(text)  # after the marks: an escape kept plain escapes nothing


def _bound_marks(text: str) -> str:
    """Inline marks beyond the first MAX_MARKS are kept as plain characters."""
    beyond = [m.start() for m in _MARK.finditer(text)][MAX_MARKS:]
    if not beyond:
        return text
    chars = list(text)
    for at in beyond:
        chars[at] = _PLAIN[chars[at]]
    return "".join(chars)


def restore(html: str) -> str:
    """Markdown's HTML of a bounded source with its plain brackets put back."""
    return html.translate(_RESTORE)


def _bound_line(line: str) -> str:
    indent = len(line) - len(line.lstrip(" \t"))
    if indent:
        spaces = line[:indent].expandtabs(4)
        if len(spaces) > MAX_INDENT:
            line = " " * MAX_INDENT + line[indent:]
    kept, pos, markers = [], 0, 0
    while (match := _MARKER.match(line, pos)) is not None:
        markers += 1
        if markers <= MAX_NESTING:
            kept.append(match.group())
        pos = match.end()
    if markers > MAX_NESTING:
        line = "".join(kept) + " " + line[pos:].lstrip(" \t")
    return line + "\n" if _BLOCK_END.fullmatch(line) else line


def _bound_brackets(text: str) -> str:
    """Keep as plain characters the `[` and `(` never closed, and those (with their
    partners) nested deeper than MAX_NESTING, closed more than MAX_SPAN further on, or
    beyond the first MAX_LINKS pairs of square brackets."""
    partner: dict[int, int] = {}
    opened: dict[str, list[int]] = {"[": [], "(": [], "]": [], ")": []}
    opened["]"], opened[")"] = opened["["], opened["("]  # a closer pops its opener's stack
    for match in _BRACKET.finditer(text):
        char = match.group()
        if char in "[(":
            opened[char].append(match.start())
        elif char in "])" and opened[char]:
            partner[opened[char].pop()] = match.start()
    plain = [*opened["["], *opened["("]]
    links = 0
    enclosing: dict[str, list[int]] = {"[": [], "(": []}
    for at in sorted(partner):
        char, end = text[at], partner[at]
        outer = enclosing[char]
        while outer and outer[-1] < at:
            outer.pop()
        outer.append(end)
        links += char == "["
        if len(outer) > MAX_NESTING or end - at > MAX_SPAN or links > MAX_LINKS:
            plain += (at, end)
    if not plain:
        return text
    chars = list(text)
    for at in plain:
        chars[at] = _PLAIN[chars[at]]
    return "".join(chars)


def bound_html(html: str) -> str:
    """Sanitised HTML (well formed, attribute values double-quoted) whose elements beyond
    MAX_ELEMENT_DEPTH lose their tags; a space keeps the words apart."""
    if html.count("<") < MAX_ELEMENT_DEPTH:
        return html
    parts, last, kept = [], 0, []
    depth = 0
    for match in _TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        parts.append(html[last : match.start()])
        last = match.end()
        if name in _VOID:
            parts.append(match.group())
        elif not closing:
            keep = depth < MAX_ELEMENT_DEPTH
            kept.append(keep)
            depth += keep
            parts.append(match.group() if keep else " ")
        elif kept:
            keep = kept.pop()
            depth -= keep
            parts.append(match.group() if keep else " ")
    parts.append(html[last:])
    return "".join(parts)
