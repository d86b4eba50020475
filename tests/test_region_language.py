"""Changing the language of a region's strategy: who may, the confirmation that says what
changes and what does not, the audit log, and pages and PDFs that follow at once."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select

from belong.extensions import db
from belong.models import Answer, AuditEvent, Region, Role
from belong.services import answers, documents
from belong.templating.registry import get_template
from tests.conftest import login, post_form
from tests.test_template_translations import sample_in_spanish  # noqa: F401 - a fixture

URL = "/r/alpha/settings/language"


def _language() -> str:
    db.session.expire_all()
    return db.session.scalar(select(Region.language).where(Region.slug == "alpha"))


def _pdf_key(region, template) -> str:
    """The draft PDF's cache key as the download works it out (kept per content revision)."""
    return documents.draft_key(region, template, lambda: documents.draft_html(region, template))


def test_the_coordinator_changes_the_language_after_a_confirmation(
    sample_in_spanish,  # noqa: F811
    client,
    make,
    as_user,
):
    region = make.region("alpha")
    coordinator = as_user(Role.COORDINATOR, region)
    answers.set_answer(region, "basics", "lead", "Department of Inclusion", coordinator)
    db.session.commit()
    assert "Lead department" in client.get("/r/alpha/document").get_data(as_text=True)
    template = get_template("sample")
    with client.application.test_request_context():
        key_before = _pdf_key(region, template)

    home = client.get("/r/alpha/").get_data(as_text=True)
    assert "The strategy is written in English." in home and URL in home
    form = client.get(URL).get_data(as_text=True)
    assert '<option selected value="en">English</option>' in form
    assert '<option value="es">Español</option>' in form
    assert "Français" not in form  # only the template's languages

    confirm = post_form(client, URL, {"language": "es"})
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200
    assert "Change the language of the strategy from English to Spanish?" in page
    assert "What changes" in page and "The document’s frame" in page
    assert "What does not change" in page and "nothing is translated" in page
    assert _language() == "en"  # nothing changes before the confirmation

    done = post_form(client, URL, {"language": "es", "confirmed": "es"})
    assert done.status_code == 302 and done.headers["Location"] == "/r/alpha/"
    assert _language() == "es"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action.like("region_lang%")))
    assert event.detail == {"previous": "en", "language": "es"}
    assert event.user_id == coordinator.id
    assert "Changed the language of the strategy" in client.get("/r/alpha/audit").get_data(
        as_text=True
    )
    # The team's answer is untouched; the document's frame is Spanish at once.
    assert db.session.scalar(select(Answer.value)) == "Department of Inclusion"
    preview = client.get("/r/alpha/document").get_data(as_text=True)
    assert "Departamento responsable" in preview and "Department of Inclusion" in preview
    region = db.session.get(Region, region.id)
    with client.application.test_request_context():
        assert _pdf_key(region, template) != key_before  # the kept key is not used again
        pdf = documents.draft_pdf(region, template)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Departamento responsable" in text and "Lead department" not in text


def test_the_admin_may_and_an_editor_may_not(sample_in_spanish, client, make, as_user):  # noqa: F811
    region = make.region("alpha")
    editor = make.user(Role.EDITOR, region)
    other = client.application.test_client()
    login(other, editor.email)
    assert other.get(URL).status_code == 403
    assert URL not in other.get("/r/alpha/").get_data(as_text=True)
    as_user(None, admin=True)
    response = post_form(client, URL, {"language": "es", "confirmed": "es"})
    assert response.status_code == 302 and _language() == "es"


def test_a_language_the_template_lacks_is_refused(sample_in_spanish, client, make, as_user):  # noqa: F811
    region = make.region("alpha")
    as_user(Role.COORDINATOR, region)
    response = post_form(client, URL, {"language": "fr", "confirmed": "fr"})
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert _language() == "en"
    assert (
        db.session.scalar(select(AuditEvent.id).where(AuditEvent.action.like("region_lang%")))
        is None
    )
