"""Bounded rendering: a document that needs too much time or memory ends in a clear error
page, the web worker survives, and the child keeps the locked URL fetcher."""

from __future__ import annotations

import logging

import pytest

from belong.document.bounded import RenderError, RenderLimitExceeded, render_pdf_bounded
from belong.extensions import db
from belong.models import Role
from belong.models.rendered_pdf import RenderedPdf
from belong.services import answers, documents
from belong.templating.registry import get_template

PARAGRAPHS = 2000
PARAGRAPH = "Every resident belongs here, whatever their origin, language or faith.\n\n"


def _enormous(make, as_user, paragraphs: int):
    region = make.region("alpha")
    user = as_user(Role.COORDINATOR, region)
    answers.set_answer(region, "basics", "statement", PARAGRAPH * paragraphs, user)
    db.session.commit()
    return region, user


@pytest.mark.parametrize(
    ("limits", "reason"),
    [
        ({"PDF_TIMEOUT_SECONDS": 0.5}, "took longer than 0.5 seconds"),
        ({"PDF_MEMORY_MB": 160}, ""),
    ],
    ids=["timeout", "memory"],
)
def test_an_enormous_document_gets_a_clear_error_and_the_worker_survives(
    app, client, make, as_user, caplog, limits, reason
):
    _enormous(make, as_user, paragraphs=PARAGRAPHS)
    app.config.update(limits)
    with caplog.at_level(logging.ERROR, logger=app.logger.name):
        response = client.get("/r/alpha/document.pdf")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "The document is too large to render" in page
    # The page names the answer that weighs most, with a link to it.
    assert 'href="/r/alpha/steps/basics#q_statement">Basics: Commitment statement</a>' in page
    assert any("too large to render" in r.getMessage() for r in caplog.records)
    assert reason in caplog.text
    assert db.session.query(RenderedPdf).count() == 0  # nothing half-made is cached

    assert client.get("/r/alpha/steps/basics").status_code == 200  # the worker lives on


def test_after_a_refusal_a_normal_document_still_renders(app, client, make, as_user):
    region, user = _enormous(make, as_user, paragraphs=PARAGRAPHS)
    app.config.update(PDF_TIMEOUT_SECONDS=0.5)
    assert client.get("/r/alpha/document.pdf").status_code == 503
    app.config.update(PDF_TIMEOUT_SECONDS=60)
    answers.set_answer(region, "basics", "statement", "A short statement.", user)
    db.session.commit()
    response = client.get("/r/alpha/document.pdf")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")


def test_the_child_keeps_the_locked_fetcher(app, caplog):
    folder = get_template("sample").folder
    hostile = (
        "<html><head><link rel='stylesheet' href='http://127.0.0.1:9/steal.css'></head>"
        "<body><p>Hello</p></body></html>"
    )
    with (
        caplog.at_level(logging.WARNING, logger="belong.document.fetcher"),
        pytest.raises(RenderError) as raised,
    ):
        render_pdf_bounded(folder, hostile, timeout=30, memory_mb=2048)
    assert not isinstance(raised.value, RenderLimitExceeded)
    assert "refused to fetch http://127.0.0.1:9/steal.css" in caplog.text
    with pytest.raises(documents.RenderFailed):
        documents.document_pdf(get_template("sample"), hostile)


def test_limits_are_read_from_the_configuration(app, monkeypatch):
    seen = {}

    def fake(folder, html, *, timeout, memory_mb, delay):
        seen.update(timeout=timeout, memory_mb=memory_mb)
        raise RenderLimitExceeded("memory", "too much")

    monkeypatch.setattr(documents, "render_pdf_bounded", fake)
    app.config.update(PDF_TIMEOUT_SECONDS=7, PDF_MEMORY_MB=321)
    with pytest.raises(documents.DocumentTooLarge):
        documents.document_pdf(get_template("sample"), "<p>x</p>")
    assert seen == {"timeout": 7, "memory_mb": 321}
