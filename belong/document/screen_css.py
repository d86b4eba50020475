"""A strategy template's document stylesheet for a document shown inside an app page (the
preview and the version page): every rule scoped to the element that holds the document, the
rules for paper (@page, @media print) left out, so the document keeps its own look and the
page around it keeps the app's."""

from __future__ import annotations

import tinycss2

ROOT_SELECTORS = {"html", "body", ":root"}


def _split_selectors(prelude) -> list[list]:
    """The selector list of a rule, one token list per selector (top-level commas)."""
    selectors, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append(current)
            current = []
        else:
            current.append(token)
    selectors.append(current)
    return selectors


def _scope_selector(tokens, scope: str) -> str:
    text = tinycss2.serialize(tokens).strip()
    first, _space, rest = text.partition(" ")
    if first in ROOT_SELECTORS:
        return f"{scope} {rest}".strip() if rest else scope
    return f"{scope} {text}"


def _screen_media(prelude) -> bool:
    """False for media queries that are only about print."""
    media = tinycss2.serialize(prelude).strip().lower()
    return media not in ("print",) and not media.startswith("print ")


def _rules(rules, scope: str) -> list[str]:
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = ", ".join(
                _scope_selector(s, scope) for s in _split_selectors(rule.prelude) if s
            )
            out.append(f"{selectors} {{{tinycss2.serialize(rule.content)}}}")
        elif rule.type == "at-rule" and rule.lower_at_keyword == "media" and rule.content:
            if not _screen_media(rule.prelude):
                continue
            inner = tinycss2.parse_rule_list(rule.content, skip_whitespace=True, skip_comments=True)
            body = "\n".join(_rules(inner, scope))
            out.append(f"@media {tinycss2.serialize(rule.prelude).strip()} {{\n{body}\n}}")
        # @page, @font-face, @import and the like belong to the PDF: left out.
    return out


def scoped(css: str, scope: str) -> str:
    """`css` with each selector inside `scope` (`html`, `body` become the scope itself)."""
    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    return "\n".join(_rules(rules, scope)) + "\n"
