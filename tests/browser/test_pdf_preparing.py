"""A PDF that is not ready: the page says it is being prepared, polls, and offers the download
when the render (off the request, in the app's runner) has ended."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import delete

from belong.extensions import db
from belong.models.rendered_pdf import RenderedPdf
from tests.browser.conftest import COORDINATOR, shoot

pytestmark = pytest.mark.browser


@pytest.fixture
def slow_renders(live_server):
    """The production default (no request waits) with a slow render and nothing cached."""
    app = live_server.app
    names = ("PDF_WAIT_SECONDS", "PDF_RENDER_DELAY_SECONDS", "PDF_RENDER_ISOLATION")
    saved = {name: app.config[name] for name in names}
    app.config.update(
        PDF_WAIT_SECONDS=0, PDF_RENDER_DELAY_SECONDS=2, PDF_RENDER_ISOLATION="subprocess"
    )
    with app.app_context():
        db.session.execute(delete(RenderedPdf))
        db.session.commit()
    yield
    app.config.update(saved)


def test_the_draft_is_prepared_then_offered(open_as, slow_renders, tmp_path):
    page = open_as(COORDINATOR, "/r/valdoria/")
    page.get_by_role("link", name="Download the draft (PDF)").click()
    expect(page.locator("h1")).to_have_text("Preparing your document…")
    expect(page.get_by_role("status")).to_contain_text("The download appears here when it is")
    shoot(page, "pdf-preparing")

    ready = page.get_by_role("link", name="Download the draft (PDF)")
    expect(ready).to_be_visible(timeout=120_000)  # pdf-status.js offers it when it is ready
    expect(page.get_by_role("status")).to_contain_text("Your document is ready.")
    expect(ready).to_be_focused()
    with page.expect_download() as download_info:
        ready.click()
    target = tmp_path / "draft.pdf"
    download_info.value.save_as(target)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert "Valdoria" in text
