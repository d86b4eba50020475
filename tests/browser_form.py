"""What a browser sends for a form of a page as it was loaded: every input, textarea,
checked box and selected option of the form with the given id."""

from __future__ import annotations

from html.parser import HTMLParser

from werkzeug.datastructures import MultiDict


class _Form(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._text: tuple[str, list[str]] | None = None
        self._select: str | None = None
        self._first: str | None = None
        self._chosen: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
            return
        if not self.inside or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button"):
                return
            self.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self._text = (a["name"], [])
        elif tag == "select":
            self._select, self._first, self._chosen = a["name"], None, None
        elif tag == "option" and self._select is not None:
            if self._first is None:
                self._first = a.get("value", "")
            if "selected" in a:
                self._chosen = a.get("value", "")

    def handle_data(self, data):
        if self._text is not None:
            self._text[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._text is not None:
            text = "".join(self._text[1])
            text = text.removeprefix("\r\n") if text.startswith("\r\n") else text.removeprefix("\n")
            self.fields.append((self._text[0], text))
            self._text = None
        elif tag == "select" and self._select is not None:
            chosen = self._chosen if self._chosen is not None else self._first
            self.fields.append((self._select, chosen or ""))
            self._select = None


def browser_form(html: str, form_id: str = "step-form") -> MultiDict:
    parser = _Form(form_id)
    parser.feed(html)
    return MultiDict(parser.fields)
