"""The assembled document: preview and PDF, with unanswered questions marked."""

from __future__ import annotations

import io

from pypdf import PdfReader

from belong.extensions import db
from belong.models import Role
from belong.services import answers
from belong.templating.registry import get_template
from tests.test_step_flow import STEP, _form


def _pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_typed_text_appears_in_the_pdf_and_unanswered_are_marked(client, make, as_user):
    region = make.region("alpha", name="Alpha Region")
    as_user(Role.EDITOR, region)
    data = _form(client)
    data.update(
        {
            "q_lead": "Department of Welcome",
            "q_statement": "We commit to **real equality** for all residents.",
            "q_budget": "125000",
            "action": "save",
        }
    )
    assert client.post(STEP, data=data).status_code == 302
    response = client.get("/r/alpha/document.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert 'filename="Alpha-Region-draft-strategy.pdf"' in response.headers["Content-Disposition"]
    reader, text = _pdf_text(response.data)
    assert "Department of Welcome" in text
    assert "We commit to real equality for all residents." in text
    assert "125,000" in text
    assert "Not yet answered." in text  # e.g. the start date
    assert "Draft" in text or "DRAFT" in text
    assert "Page 2 of" in text
    assert reader.attachments == {}
    assert reader.metadata.title == "Sample strategy: Alpha Region"
    assert [item.title for item in reader.outline if not isinstance(item, list)]


def test_preview_shows_the_same_document(client, make, as_user):
    region = make.region("alpha")
    user = as_user(Role.CONTRIBUTOR, region)
    answers.set_answer(region, "basics", "lead", "Preview <b>lead</b>", user)
    db.session.commit()
    page = client.get("/r/alpha/document").get_data(as_text=True)
    assert "Preview &lt;b&gt;lead&lt;/b&gt;" in page
    assert "<b>lead</b>" not in page
    assert get_template("sample").definition.title in page
    css = client.get("/template-assets/sample/document.css")
    assert css.status_code == 200 and b"@page" in css.data
    css.close()
    assert client.get("/template-assets/sample/template.yaml").status_code == 404


def test_markdown_answers_are_sanitized(app, make):
    from belong.document.markdown import render_markdown

    html = str(
        render_markdown(
            "[x](javascript:alert(1)) <script>alert(1)</script> ![i](file:///etc/passwd) "
            "[ok](https://example.org) [rel](../../etc/hostname) <img src=x onerror=alert(1)>"
        )
    )
    assert "javascript:" not in html and "<script" not in html and "alert(1)</" not in html
    assert "file://" not in html and "<img" not in html and "onerror" not in html
    assert "../../etc/hostname" not in html
    assert 'href="https://example.org"' in html
