"""Typographic quotes and dashes in the document's text, as a typesetter would set them:
"a" becomes “a” (in German „a“, in Polish „a”, in Spanish «a»), it's becomes it’s, and a
hyphen between spaces an en dash. Only the document changes, never the stored text; code,
preformatted text, attribute values and web or e-mail addresses are left as written."""

from __future__ import annotations

import html as html_lib
import re

# (opening double, closing double, opening single, closing single) by language
QUOTES = {
    "de": ("„", "“", "‚", "‘"),
    "pl": ("„", "”", "‚", "’"),
    "es": ("«", "»", "“", "”"),
}
ENGLISH = ("“", "”", "‘", "’")

# Tags and the elements whose text is left alone, with everything inside them.
_TOKEN = re.compile(
    r"<(code|pre|script|style|kbd|samp)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.S | re.I
)
# Addresses: a web address, a www. name or an e-mail address, up to the next space.
_ADDRESS = re.compile(
    r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.|[\w.+-]+@[\w-]+\.)[^\s\"<>«»“”]*[^\s\"'<>«»“”.,;:!?)]",
    re.I,
)


def _quotes(text: str, marks: tuple[str, str, str, str], previous: str) -> str:
    """`previous`: the character before the run (the text before a tag), "" at the start."""
    open_double, close_double, open_single, close_single = marks
    out: list[str] = []
    before = previous
    for index, char in enumerate(text):
        after = text[index + 1] if index + 1 < len(text) else ""
        if char == "'" and before.isalnum() and after.isalnum():
            out.append("’")  # an apostrophe: it’s, Valdoria’s
        elif char in "\"'":
            opening = not before or before.isspace() or before in "([{–—/-"
            if char == '"':
                out.append(open_double if opening else close_double)
            else:
                out.append(open_single if opening and after.strip() else close_single)
        else:
            out.append(char)
        before = char
    return "".join(out)


def _dashes(text: str) -> str:
    text = re.sub(r"(?<=\s)---(?=\s)", "—", text)
    return re.sub(r"(?<=\s)--?(?=\s)", "–", text)


def _set(plain: str, marks: tuple[str, str, str, str], previous: str) -> str:
    """One run of text set typographically, addresses left as written."""
    parts: list[str] = []
    last = 0
    for match in _ADDRESS.finditer(plain):
        parts.append(_dashes(_quotes(plain[last : match.start()], marks, previous)))
        parts.append(match.group(0))
        previous = match.group(0)[-1]
        last = match.end()
    parts.append(_dashes(_quotes(plain[last:], marks, previous)))
    return "".join(parts)


def typeset(html: str, language: str) -> str:
    """The HTML with its text set typographically for `language` ("de", "pl-PL"...)."""
    marks = QUOTES.get((language or "en")[:2].lower(), ENGLISH)
    out: list[str] = []
    previous = ""  # the last character of text, across inline tags

    def run(text: str) -> None:
        nonlocal previous
        if not text:
            return
        plain = html_lib.unescape(text)
        if '"' in plain or "'" in plain or " -" in plain:
            out.append(html_lib.escape(_set(plain, marks, previous), quote=False))
        else:
            out.append(text)
        if plain.strip():
            previous = plain[-1]

    last = 0
    for match in _TOKEN.finditer(html):
        run(html[last : match.start()])
        out.append(match.group(0))
        if match.group(1) and match.group(0)[-1:]:
            previous = "x"  # after code, a quote closes
        last = match.end()
    run(html[last:])
    return "".join(out)
