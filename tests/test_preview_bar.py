"""The document preview leads back to the app, and the app has an icon (also at /favicon.ico,
where browsers look for it)."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from belong.models import Role
from tests.test_i18n import _switch


def test_the_preview_has_a_bar_back_to_the_region_that_the_pdf_has_not(client, make, as_user):
    region = make.region("gamma", name="Gamma")
    as_user(Role.CONTRIBUTOR, region)
    page = client.get("/r/gamma/document").get_data(as_text=True)
    main = page.split('<main id="main"', 1)[1]
    bar = re.search(r'<nav class="preview-bar".*?</nav>', main, re.S).group(0)
    assert main.index("preview-bar") < main.index('class="doc-view"')  # before the document
    assert '<a class="preview-back" href="/r/gamma/">Back to Gamma</a>' in bar
    assert 'href="/r/gamma/document.pdf"' in bar
    assert page.count('class="preview-bar"') == 1
    css = client.get("/static/document-page.css")
    assert b"@media print" in css.data
    css.close()
    pdf = client.get("/r/gamma/document.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Gamma" in text and "Back to" not in text


def test_the_preview_bar_speaks_the_readers_language(client, make, as_user):
    region = make.region("gamma", name="Gamma")  # its document is in English
    as_user(Role.CONTRIBUTOR, region)
    _switch(client, "pl", "/r/gamma/")
    page = client.get("/r/gamma/document").get_data(as_text=True)
    bar = re.search(r'<nav class="preview-bar".*?</nav>', page, re.S).group(0)
    assert "Wróć do: Gamma" in bar
    assert '<div class="doc-view" lang="en">' in page  # the document keeps its own language


def test_the_favicon_is_served_where_browsers_look_and_pages_link_it(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.mimetype == "image/vnd.microsoft.icon"
    assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    icon.close()
    page = client.get("/login").get_data(as_text=True)
    assert '<link rel="icon" href="/favicon.ico"' in page
    svg_link = re.search(r'<link rel="icon" href="([^"]+\.svg)" type="image/svg\+xml">', page)
    svg = client.get(svg_link.group(1))
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert svg.data.startswith(b"<svg")
    svg.close()
