"""The document as a downloadable web page (issue 20, point 4): one self-contained file with
the PDF's chapters, for the draft and each released version, with the PDF's access. (axe-core
on it in Chromium: tests/browser/test_html_edition_browser.py.)"""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from belong.document.html_edition import html_edition
from belong.extensions import db
from belong.models import AuditEvent, DraftVersion, Role
from belong.services import answers
from tests.conftest import login, post_form


def _outline_top(pdf: bytes) -> list[str]:
    """The PDF's first-level bookmarks: its chapters, annexes and front matter."""
    return [item.title for item in PdfReader(io.BytesIO(pdf)).outline if not isinstance(item, list)]


def _headings(page: str) -> list[str]:
    """The web page's h1 headings as text (tags dropped, spaces joined)."""
    found = re.findall(r"<h1\b[^>]*>(.*?)</h1>", page, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", h).split()) for h in found]


def test_the_draft_web_page_is_one_self_contained_file_with_the_pdfs_chapters(
    client, make, as_user
):
    region = make.region("alpha", template_id="intercultural-region")
    as_user(Role.COORDINATOR, region)
    home = client.get("/r/alpha/").get_data(as_text=True)
    assert 'href="/r/alpha/document.html"' in home

    response = client.get("/r/alpha/document.html")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="Alpha-draft-strategy.html"'
    )
    page = response.get_data(as_text=True)
    assert page.startswith("<!doctype html>") and '<html lang="en">' in page
    assert '<a class="skip-link" href="#main">Skip to the document</a>' in page
    assert '<main id="main" tabindex="-1">' in page and page.count("<main") == 1
    # Nothing is fetched when it is opened: no stylesheet link, no address of the app.
    assert "<link" not in page and "assets.belong.invalid" not in page
    assert not re.search(r'(src|href)="(https?:|//|/)', page)
    assert "@media screen" in page and ".skip-link:focus" in page  # both stylesheets inline
    # Every table is captioned, has header cells, and can be scrolled by keyboard.
    tables = re.findall(r"<table\b.*?</table>", page, re.S)
    assert tables  # an empty draft collapses its parts: the status of its checks remains
    for table in tables:
        assert table.startswith('<table tabindex="0"') and "<caption" in table, table[:200]
        assert "<th " in table or "<th>" in table, table[:200]
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "html_edition_downloaded")
    )

    pdf = client.get("/r/alpha/document.pdf")
    assert pdf.status_code == 200
    chapters = _outline_top(pdf.data)
    assert "1 Introduction" in chapters and "Imprint" in chapters
    assert [h for h in _headings(page) if h in chapters] == chapters


def test_a_released_versions_web_page_is_there_once_it_is_released(app, make):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    reviewer = make.user(Role.REVIEWER, region)
    as_coordinator, as_reviewer = app.test_client(), app.test_client()
    login(as_coordinator, coordinator.email)
    login(as_reviewer, reviewer.email)
    answers.set_answer(region, "basics", "lead", "Office of Inclusion", coordinator)
    db.session.commit()
    assert post_form(as_coordinator, "/r/alpha/versions/check", {"message": ""}).status_code == 302
    assert as_coordinator.get("/r/alpha/versions/1/released.html").status_code == 404
    post_form(
        as_reviewer, "/r/alpha/versions/1/verdict", {"decision": "approve", "summary": "Fine."}
    )
    assert post_form(as_coordinator, "/r/alpha/versions/1/release", {}).status_code == 302
    version = db.session.scalar(select(DraftVersion))
    assert version.released_at is not None
    page = as_coordinator.get("/r/alpha/versions/1").get_data(as_text=True)
    assert 'href="/r/alpha/versions/1/released.html"' in page
    response = as_reviewer.get("/r/alpha/versions/1/released.html")
    assert response.status_code == 200
    assert "Office of Inclusion" in response.get_data(as_text=True)
    assert "Alpha-v1-released-strategy.html" in response.headers["Content-Disposition"]
    assert app.test_client().get("/r/alpha/versions/1/released.html").status_code == 302


def test_the_inlined_stylesheet_cannot_close_its_style_element():
    html = (
        '<html><head><link rel="stylesheet" href="inline:x.css"></head><body><p>x</p></body></html>'
    )
    page = html_edition(html, "p::after { content: '</style><script>'; }", skip_label="Skip")
    # The stylesheet's text stays inside its element: "</style>" is written "<\\/style>".
    assert page.count("</style>") == 1 and "<\\/style><script>" in page
