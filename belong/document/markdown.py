"""User Markdown to safe HTML: rendered, then sanitized with an allow-list every time."""

from __future__ import annotations

import markdown as md
import nh3
from markupsafe import Markup

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


def render_markdown(text: str | None) -> Markup:
    """Headings in answers start at level 3, below the document's chapter and section."""
    if not text:
        return Markup("")
    html = md.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>")
    html = html.replace("<h2>", "<h4>").replace("</h2>", "</h4>")
    return Markup(_cleaner.clean(html))  # noqa: S704 - sanitizer output
