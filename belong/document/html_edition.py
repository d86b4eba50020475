"""The document as one self-contained web page (the accessible alternative to the PDF): the
same assembled HTML (every table captioned by belong/document/numbering.py), its stylesheets
inlined, a skip link and a main landmark. Images are already data: URLs (belong/services/
publication.py); nothing is fetched from anywhere when the file is opened."""

from __future__ import annotations

import re
from html import escape

_STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="[^"]*">\s*')
INLINE_PREFIX = "inline:"  # what asset_url gives for the stylesheets to inline


def stylesheet_names(html: str) -> list[str]:
    """The template's stylesheets the layout links (made with asset_url=inline_asset_url)."""
    return re.findall(r'<link rel="stylesheet" href="' + INLINE_PREFIX + r'([^"]+)">', html)


def inline_asset_url(name: str) -> str:
    return INLINE_PREFIX + name


def html_edition(html: str, css: str, *, skip_label: str) -> str:
    """`html` is the document as assembled for the PDF (its stylesheet links made by
    inline_asset_url); `css` the stylesheets to inline (the document's own, whose screen
    rules apply, and the edition's)."""
    style = "<style>\n" + css.replace("</", "<\\/") + "\n</style>\n"
    # In the place of the first link, so a later <style> (the region's accent) still wins.
    html = _STYLESHEET_LINK.sub(lambda _m: style, html, count=1)
    html = _STYLESHEET_LINK.sub("", html)
    # On a narrow screen a wide table scrolls sideways in its own box: one a keyboard can
    # reach and scroll (WCAG 2.1.1).
    html = re.sub(r"<table\b", '<table tabindex="0"', html)
    head, tag, rest = html.partition("<body")
    if tag:
        opening, _, body = rest.partition(">")
        body, closing, tail = body.rpartition("</body>")
        html = (
            f'{head}<body{opening}>\n<a class="skip-link" href="#main">{escape(skip_label)}</a>\n'
            f'<main id="main" tabindex="-1">{body}</main>\n{closing}{tail}'
        )
    return html
