"""Imported once by the PDF forkserver: load WeasyPrint and render a tiny page, so every
forked render child starts with fonts and the default stylesheets already loaded."""

from __future__ import annotations

from belong.document.render import STATIC, render_pdf_in

render_pdf_in(STATIC, "<html lang='en'><body><p>Warm-up</p></body></html>")
