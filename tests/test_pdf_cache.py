"""The PDF cache: an unchanged strategy is not rendered again; any change renders anew."""

from __future__ import annotations

import io
import shutil
from dataclasses import replace

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from belong.extensions import db
from belong.models import Membership, Role
from belong.models.rendered_pdf import RenderedPdf
from belong.services import answers, contributions, documents, pdf_cache
from belong.templating.registry import get_template
from tests.conftest import login, post_form


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """Every PDF actually rendered (whatever process WeasyPrint then runs in)."""
    calls: list[str] = []
    real = documents.document_pdf

    def spy(template, html):
        calls.append(html)
        return real(template, html)

    monkeypatch.setattr(documents, "document_pdf", spy)
    return calls


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_second_download_is_served_from_the_cache_and_a_change_renders_anew(
    client, make, as_user, renders
):
    region = make.region("alpha")
    user = as_user(Role.COORDINATOR, region)
    answers.set_answer(region, "basics", "lead", "Department of Welcome", user)
    db.session.commit()

    first = client.get("/r/alpha/document.pdf")
    assert first.status_code == 200
    assert len(renders) == 1
    second = client.get("/r/alpha/document.pdf")
    assert second.status_code == 200
    assert len(renders) == 1, "an unchanged strategy was rendered again"
    assert second.data == first.data

    answers.set_answer(region, "basics", "lead", "Department of Belonging", user)
    db.session.commit()
    third = client.get("/r/alpha/document.pdf")
    assert len(renders) == 2, "a changed answer was served from the cache"
    assert "Department of Belonging" in _text(third.data)
    assert "Department of Welcome" not in _text(third.data)


def test_a_renamed_region_renders_anew(client, make, as_user, renders):
    region = make.region("alpha", name="Alpha")
    as_user(Role.COORDINATOR, region)
    client.get("/r/alpha/document.pdf")
    region.name = "Alpha Valley"
    db.session.commit()
    response = client.get("/r/alpha/document.pdf")
    assert len(renders) == 2
    assert "Alpha Valley" in _text(response.data)


def test_key_changes_with_the_stylesheet_and_the_weasyprint_version(app, tmp_path, monkeypatch):
    template = get_template("sample")
    html = "<html><body><p>Same HTML</p></body></html>"
    key = pdf_cache.cache_key(template, html)
    assert pdf_cache.cache_key(template, html) == key
    assert pdf_cache.cache_key(template, html + " ") != key

    folder = tmp_path / "sample"
    shutil.copytree(template.folder, folder)
    copy = replace(template, folder=folder)
    assert pdf_cache.cache_key(copy, html) == key  # same files, same key
    stylesheet = folder / template.definition.document.stylesheet
    stylesheet.write_text(stylesheet.read_text() + "\nbody { color: #111; }\n")
    assert pdf_cache.cache_key(copy, html) != key

    monkeypatch.setattr(pdf_cache, "_weasyprint_version", lambda: "999.0")
    pdf_cache._static_part.cache_clear()
    try:
        assert pdf_cache.cache_key(template, html) != key
    finally:
        monkeypatch.undo()
        pdf_cache._static_part.cache_clear()


def test_the_same_html_gives_the_same_bytes(app, make):
    """Reproducible output: every app server would cache and serve identical files."""
    region = make.region("alpha")
    template = get_template("sample")
    html = documents.draft_html(region, template)
    assert documents.document_pdf(template, html) == documents.document_pdf(template, html)


def test_only_the_newest_renders_of_a_region_are_kept(app, make):
    alpha, beta = make.region("alpha"), make.region("beta")
    pdf_cache.store(beta, "b" * 64, b"%PDF beta", 0.1)
    for n in range(pdf_cache.KEEP_PER_REGION + 2):
        pdf_cache.store(alpha, f"{n:064x}", f"%PDF {n}".encode(), 0.1)
    newest = f"{pdf_cache.KEEP_PER_REGION + 1:064x}"
    pdf_cache.store(alpha, newest, b"%PDF again", 0.1)  # a concurrent duplicate: ignored
    db.session.commit()
    kept = db.session.scalar(
        select(func.count()).select_from(RenderedPdf).where(RenderedPdf.region_id == alpha.id)
    )
    assert kept == pdf_cache.KEEP_PER_REGION
    assert pdf_cache.lookup(newest, alpha) == f"%PDF {pdf_cache.KEEP_PER_REGION + 1}".encode()
    assert pdf_cache.lookup(f"{0:064x}", alpha) is None
    assert pdf_cache.lookup("b" * 64, beta) == b"%PDF beta"
    assert pdf_cache.lookup("b" * 64, alpha) is None  # never another region's file


def test_an_unchanged_draft_is_served_without_assembling_it_and_new_input_renders_anew(
    client, make, as_user, renders, monkeypatch
):
    """The cache key of today's draft is kept until the region's content changes: a download
    of an unchanged draft neither renders nor assembles the document."""
    region = make.region("alpha")
    user = as_user(Role.COORDINATOR, region)
    assembled: list[int] = []
    real = documents.draft_html

    def spy(*args, **kwargs):
        assembled.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(documents, "draft_html", spy)
    first = client.get("/r/alpha/document.pdf")
    assert first.status_code == 200 and len(renders) == 1 and len(assembled) == 1
    second = client.get("/r/alpha/document.pdf")
    assert second.data == first.data and len(renders) == 1 and len(assembled) == 1

    step = get_template("sample").definition.step("basics")
    membership = db.session.query(Membership).filter_by(user_id=user.id).one()
    membership.organisation = "Harbour Libraries"
    contributions.add(
        region, step, user, membership, body="Open late.", prompt_index=None,
        show_organisation=True,
    )  # fmt: skip
    db.session.commit()
    third = client.get("/r/alpha/document.pdf")
    assert len(renders) == 2, "new stakeholder input was served from the cache"
    assert "Harbour Libraries" in _text(third.data)


def test_the_review_copy_is_kept_and_a_new_comment_renders_it_anew(app, make, renders):
    """Any member may download it: a second request is served from the cache."""
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    reviewer = make.user(Role.REVIEWER, region)
    make.version(region, coordinator, 1, {"basics": {"lead": "Unit A"}})
    client = app.test_client()
    login(client, reviewer.email)
    comment = {"anchor": "basics:lead", "body": "Which unit exactly?"}
    assert post_form(client, "/r/alpha/versions/1/threads", comment).status_code == 302
    first = client.get("/r/alpha/versions/1/review-copy.pdf")
    assert first.status_code == 200 and len(renders) == 1
    second = client.get("/r/alpha/versions/1/review-copy.pdf")
    assert second.data == first.data
    assert len(renders) == 1, "an unchanged review copy was rendered again"
    reply = {"anchor": "basics:", "body": "And the budget?"}
    assert post_form(client, "/r/alpha/versions/1/threads", reply).status_code == 302
    third = client.get("/r/alpha/versions/1/review-copy.pdf")
    assert len(renders) == 2, "a new comment was served from the cache"
    assert "And the budget?" in _text(third.data)
