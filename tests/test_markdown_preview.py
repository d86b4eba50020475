"""The Preview of a long text on the step form: rendered by the document's Markdown renderer
and sanitizer, for people who may edit the step, and never saved."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from belong.extensions import db
from belong.models import Answer, AnswerRevision, Role
from tests.conftest import csrf_token, login

STEP = "/r/alpha/steps/basics"
PREVIEW = "/r/alpha/steps/basics/preview"
XSS = (
    "## Plan\n\n**bold** and [a link](https://example.org)\n\n- one\n- two\n\n"
    '<script>alert("x")</script><img src=x onerror="alert(1)">'
    '[click](javascript:alert(2)) <a href="https://evil.example" onclick="steal()">e</a>'
)


def _preview(client, text: str, question: str = "statement", url: str = PREVIEW):
    token = csrf_token(client.get("/account/password").get_data(as_text=True))
    return client.post(
        url, data={"question": question, "text": text}, headers={"X-CSRFToken": token}
    )


def _stored() -> tuple[int, int]:
    return db.session.scalar(select(func.count(Answer.id))), db.session.scalar(
        select(func.count(AnswerRevision.id))
    )


def test_preview_renders_markdown_sanitized_and_saves_nothing(client, make, as_user):
    region = make.region("alpha")
    as_user(Role.EDITOR, region)
    response = _preview(client, XSS)
    assert response.status_code == 200
    html = response.json["html"]
    assert "<h4>Plan</h4>" in html  # answers' headings sit below the document's sections
    assert "<strong>bold</strong>" in html
    assert "<li>one</li>" in html and "<li>two</li>" in html
    assert 'href="https://example.org"' in html
    for unsafe in ("<script", "onerror", "javascript:", "onclick", "<img"):
        assert unsafe not in html
    assert _stored() == (0, 0)


def test_preview_of_an_empty_text_says_so(client, make, as_user):
    as_user(Role.EDITOR, make.region("alpha"))
    response = _preview(client, "   ")
    assert response.status_code == 200 and response.json["empty"] is True


def test_only_long_texts_of_the_step_have_a_preview(client, make, as_user):
    as_user(Role.EDITOR, make.region("alpha"))
    response = _preview(client, "x", question="lead")  # a short text
    assert response.status_code == 400
    assert response.json["message"] == "This answer has no preview."
    assert _preview(client, "x", url="/r/alpha/steps/nope/preview").status_code == 404


def test_too_long_a_text_is_refused_with_a_message(app, client, make, as_user):
    as_user(Role.EDITOR, make.region("alpha"))
    response = _preview(client, "x" * (app.config["MAX_ANSWER_LENGTH"] + 1))
    assert response.status_code == 422
    assert "too long to preview" in response.json["message"]


def test_a_member_of_another_region_gets_not_found(client, make):
    make.region("alpha")
    other = make.region("beta")
    login(client, make.user(Role.COORDINATOR, other).email)
    assert _preview(client, "**x**").status_code == 404


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.CONTRIBUTOR])
def test_people_who_cannot_edit_the_step_are_refused(client, make, role):
    login(client, make.user(role, make.region("alpha")).email)
    response = _preview(client, "**x**")
    assert response.status_code == 403
    assert b"<strong>x</strong>" not in response.data


def test_without_csrf_token_nothing_is_rendered(client, make, as_user):
    as_user(Role.EDITOR, make.region("alpha"))
    response = client.post(PREVIEW, data={"question": "statement", "text": "**x**"})
    assert response.status_code == 400
    assert b"<strong>x</strong>" not in response.data


def test_the_step_form_says_markdown_works_and_offers_a_preview(client, make, as_user):
    as_user(Role.EDITOR, make.region("alpha"))
    page = client.get(STEP).get_data(as_text=True)
    hint = re.search(r'<p class="hint" id="q_statement-markdown">(.*?)</p>', page)[1]
    assert "<code>**bold**</code>" in hint and "<code>### Heading</code>" in hint
    assert 'value="preview:statement"' in page
    assert 'value="preview:lead"' not in page  # short texts are not Markdown
    assert 'data-preview-url="/r/alpha/steps/basics/preview"' in page
    assert '<script src="/static/markdown-preview.js" defer></script>' in page


def test_preview_without_javascript_keeps_the_text_and_saves_nothing(client, make, as_user):
    as_user(Role.EDITOR, make.region("alpha"))
    page = client.get(STEP).get_data(as_text=True)
    data = {
        "csrf_token": csrf_token(page),
        "q_lead": "Culture office",
        "q_statement": "We **commit** to <script>alert(1)</script>this.",
        "action": "preview:statement",
    }
    response = client.post(STEP, data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    preview = re.search(
        r'<div class="markdown-preview" id="preview-statement"[^>]*>(.*?)</div>\s*</div>',
        html,
        re.S,
    )[1]
    assert "<strong>commit</strong>" in preview and "<script" not in preview
    assert "Culture office" in html  # the other answers typed stay in the form
    assert "We **commit** to &lt;script&gt;" in html  # the text, as typed, in its field
    assert "data-unsaved-on-load" in html  # autosave.js knows nothing of it is saved
    assert _stored() == (0, 0)


def test_preview_without_javascript_shows_errors_but_saves_nothing(client, make, as_user):
    as_user(Role.EDITOR, make.region("alpha"))
    page = client.get(STEP).get_data(as_text=True)
    data = {
        "csrf_token": csrf_token(page),
        "q_budget": "-5",
        "q_lead": "Saved? No.",
        "q_statement": "- a list",
        "action": "preview:statement",
    }
    html = client.post(STEP, data=data).get_data(as_text=True)
    assert 'id="error-summary"' in html
    assert "<li>a list</li>" in html
    assert _stored() == (0, 0)
    assert client.post(STEP, data={**data, "action": "preview:lead"}).status_code == 400
