"""User Markdown to safe HTML: rendered, then sanitized with an allow-list every time."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import markdown as md
import nh3
from flask import has_request_context, request
from markupsafe import Markup, escape

from belong.document.markdown_limits import bound_html, bound_source, restore
from belong.text import clean_text

log = logging.getLogger(__name__)

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "del", "ins", "sub", "sup", "code", "pre",
    "blockquote", "ul", "ol", "li", "h3", "h4", "h5", "h6", "hr", "a",
    "table", "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"https", "mailto"},
    url_relative="deny",
    link_rel="noopener noreferrer nofollow",
)

# A page's own texts (the template's primer) may open at level 2; answers never do.
_page_text_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS | {"h2"},
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"https", "mailto"},
    url_relative="deny",
    link_rel="noopener noreferrer nofollow",
)


def render_markdown(text: str | None, top: int | None = None) -> Markup:
    """Headings in answers start at level 3, below the document's chapter and section.
    With `top`, the text's highest heading becomes that level and the others follow in
    order (a page's own texts, such as the primer under its h1, keep their outline)."""
    if not text:
        return Markup("")
    html = _markdown_html(clean_text(text))
    if top is None:
        html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>")
        html = html.replace("<h2>", "<h4>").replace("</h2>", "</h4>")
    else:
        levels = [int(n) for n in _HEADING.findall(html)]
        shift = top - min(levels) if levels else 0
        html = _HEADING_TAG.sub(lambda m: f"<{m[1]}h{min(6, int(m[2]) + shift)}>", html)
    cleaner = _cleaner if top is None or top > 2 else _page_text_cleaner
    return Markup(bound_html(cleaner.clean(html)))  # noqa: S704 - sanitizer output


_HEADING = re.compile(r"<h([1-6])>")
_HEADING_TAG = re.compile(r"<(/?)h([1-6])>")


def _convert(text: str) -> str:
    html = md.markdown(
        bound_source(text), extensions=["tables", "sane_lists"], output_format="html"
    )
    return restore(html)


_short_texts = lru_cache(maxsize=4096)(_convert)
_long_texts = lru_cache(maxsize=64)(_convert)  # over 10,000 characters: a few, often shown


def _markdown_html(text: str) -> str:
    """Markdown's own HTML (not yet sanitized): parsed once per process, since every page
    and document shows the same answers again and again. A text Markdown cannot read is
    shown as plain paragraphs, and the log names the page."""
    try:
        return _short_texts(text) if len(text) <= 10_000 else _long_texts(text)
    except Exception:  # RecursionError or a bug in an extension: never the whole page
        place = request.path if has_request_context() else "outside a request"
        log.exception("Markdown failed on a text of %s characters (%s)", len(text), place)
        paragraphs = (escape(p).replace("\n", Markup("<br>")) for p in text.split("\n\n"))
        return "".join(f"<p>{p}</p>" for p in paragraphs)
