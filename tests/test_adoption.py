"""Adoption is a separate act on a released version: the coordinator records the competent
body's decision (body, date, reference) after a confirmation page; it is audited; only then
does that version's adopted edition say "Adopted by ... on ..." on its cover. The release
(internal approval) never claims an adoption."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import force_locale
from pypdf import PdfReader
from sqlalchemy import func, select

from belong.extensions import db
from belong.formatting import format_day
from belong.models import Adoption, AuditEvent, Region, Role
from belong.models.review import ImmutableVersion
from belong.services import documents, region_export
from belong.services import versions as version_service
from belong.templating.registry import get_template
from tests.conftest import _empty_tables, csrf_token, login

TODAY = date.today()
RELEASED = datetime.now(UTC) - timedelta(days=10)
ADOPTED_ON = TODAY - timedelta(days=3)
PLAN = {
    "consultation": {
        "adopting_body": "Government of the Region (Executive Council)",
        "adoption_date": (TODAY + timedelta(days=90)).isoformat(),
    }
}


@pytest.fixture
def world(app, make):
    region = make.region("alpha", template_id="intercultural-region")
    coordinator = make.user(Role.COORDINATOR, region)
    version = make.version(region, coordinator, answers=PLAN)
    version.released_at = RELEASED
    version.released_by_id = coordinator.id
    version.approvers = ["Rita Reviewer"]
    version.released_pdf = b"%PDF-1.7 released"  # as rendered at the release
    version.released_sha256 = version_service.sha256(version.released_pdf)
    db.session.commit()
    return {"region": region, "coordinator": coordinator, "version": version}


URL = "/r/alpha/versions/1/adoption"
FIELDS = {
    "body": "Government of the Region (Executive Council)",
    "adopted_on": ADOPTED_ON.isoformat(),
    "reference": "Resolution 214/2026",
}


def _post(client, data: dict):
    token = csrf_token(client.get(URL).get_data(as_text=True))
    return client.post(URL, data={"csrf_token": token, **data})


def _adoptions() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(Adoption.id)))


def test_the_coordinator_confirms_then_the_adoption_is_recorded_audited_and_on_the_cover(
    app, client, world
):
    login(client, world["coordinator"].email)
    page = client.get("/r/alpha/versions/1").get_data(as_text=True)
    assert "No adoption is recorded for this version." in page
    assert "Record the adoption" in page

    shown = _post(client, FIELDS)
    assert shown.status_code == 200
    text = shown.get_data(as_text=True)
    assert "Check what will be recorded." in text and "Resolution 214/2026" in text
    assert _adoptions() == 0  # nothing is recorded before the confirmation
    back = _post(client, {**FIELDS, "confirmed": "yes", "change": "1"})  # "Change"
    assert back.status_code == 200 and 'value="Resolution 214/2026"' in back.get_data(as_text=True)
    assert "Check what will be recorded." not in back.get_data(as_text=True)
    assert _adoptions() == 0

    done = _post(client, {**FIELDS, "confirmed": "yes"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/r/alpha/versions/1")
    adoption = db.session.scalar(select(Adoption))
    assert (adoption.body, adoption.adopted_on, adoption.reference) == (
        FIELDS["body"],
        ADOPTED_ON,
        "Resolution 214/2026",
    )
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "adoption_recorded"))
    assert event.user_id == world["coordinator"].id
    assert event.detail == {
        "number": 1,
        "body": FIELDS["body"],
        "adopted_on": ADOPTED_ON.isoformat(),
        "reference": "Resolution 214/2026",
    }
    audit = client.get("/r/alpha/audit").get_data(as_text=True)
    assert "Recorded the adoption of a released version" in audit

    with app.test_request_context(), force_locale("en_GB"):
        day = format_day(ADOPTED_ON)  # the region's English
    page = client.get("/r/alpha/versions/1").get_data(as_text=True)
    assert f"Adopted by Government of the Region (Executive Council) on {day}" in page

    response = client.get("/r/alpha/versions/1/adopted.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.get_data()))
    cover = " ".join(reader.pages[0].extract_text().split())
    response.close()
    assert (
        f"Adopted by Government of the Region (Executive Council) on {day} "
        "(decision Resolution 214/2026)."
    ) in cover
    assert "Not yet an adopted policy" not in cover and "DRAFT" not in cover
    assert "Approved in review by Rita Reviewer" in cover  # the release stays what it was
    whole = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "The strategy was adopted by Government of the Region (Executive Council)" in whole
    db.session.refresh(adoption)
    assert adoption.sha256 and adoption.pdf == reader.stream.getvalue()
    db.session.refresh(world["version"])
    assert world["version"].released_pdf == b"%PDF-1.7 released"  # the release is untouched


def test_without_a_recorded_adoption_no_document_claims_one(app, world):
    """The plan (adopting body, planned date) is in the answers; the released document
    shows it as a plan and claims nothing."""
    region, version = world["region"], world["version"]
    template = get_template("intercultural-region")
    with app.test_request_context():
        released = documents.document_html(
            region, template, version_service.release_edition(version)
        )
    assert "Released for adoption. Not yet an adopted policy" in released
    assert "Adopted by" not in released and "was adopted by" not in released
    assert "No adoption has been recorded for this document." in released
    assert "Planned date of adoption" in released


@pytest.mark.parametrize("role", [Role.EDITOR, Role.REVIEWER, Role.CONTRIBUTOR, None])
def test_only_the_coordinator_may_record_an_adoption(client, make, world, role):
    person = (
        make.user(admin=True) if role is None else make.user(role, world["region"])
    )  # None: the programme admin
    login(client, person.email)
    assert client.get(URL).status_code == 403
    token = csrf_token(client.get("/account/password").get_data(as_text=True))
    refused = client.post(URL, data={"csrf_token": token, **FIELDS, "confirmed": "yes"})
    assert refused.status_code == 403
    assert _adoptions() == 0
    page = client.get("/r/alpha/versions/1").get_data(as_text=True)
    assert "Record the adoption" not in page


def test_a_version_that_is_not_released_cannot_be_adopted(client, make, world):
    make.version(world["region"], world["coordinator"], number=2)
    login(client, world["coordinator"].email)
    url = "/r/alpha/versions/2/adoption"
    page = client.get(url).get_data(as_text=True)
    assert "Only a released version can be adopted." in page
    token = csrf_token(client.get("/account/password").get_data(as_text=True))
    refused = client.post(url, data={"csrf_token": token, **FIELDS, "confirmed": "yes"})
    assert refused.status_code == 422
    assert _adoptions() == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"body": "  "}, "Name the body that adopted it."),
        ({"adopted_on": ""}, "Give the date of the decision."),
        ({"reference": ""}, "Give the reference of the decision."),
        (
            {"adopted_on": (TODAY + timedelta(days=1)).isoformat()},
            "The date of the decision cannot be in the future.",
        ),
        (
            {"adopted_on": (RELEASED.date() - timedelta(days=1)).isoformat()},
            "it cannot have been adopted before.",
        ),
    ],
)
def test_bad_input_is_named_at_its_field_and_nothing_is_recorded(client, world, change, message):
    login(client, world["coordinator"].email)
    response = _post(client, {**FIELDS, **change, "confirmed": "yes"})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _adoptions() == 0


def test_a_recorded_adoption_is_never_rewritten(client, world):
    login(client, world["coordinator"].email)
    assert _post(client, {**FIELDS, "confirmed": "yes"}).status_code == 302
    again = _post(client, {**FIELDS, "reference": "Another", "confirmed": "yes"})
    assert again.status_code == 422
    assert "The adoption of version 1 is already recorded." in again.get_data(as_text=True)
    adoption = db.session.scalar(select(Adoption))
    adoption.reference = "Rewritten"
    with pytest.raises(ImmutableVersion):
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(Adoption.reference)) == "Resolution 214/2026"


def test_a_recorded_adoption_survives_the_region_export_and_import(app, client, world):
    login(client, world["coordinator"].email)
    assert _post(client, {**FIELDS, "confirmed": "yes"}).status_code == 302
    first = region_export.to_json(region_export.export_region(world["region"]))
    assert json.loads(first)["tables"]["adoptions"][0]["reference"] == "Resolution 214/2026"
    _empty_tables()
    region_export.import_region(json.loads(first))
    db.session.commit()
    db.session.expire_all()
    region = db.session.scalar(select(Region).where(Region.slug == "alpha"))
    assert region_export.to_json(region_export.export_region(region)) == first
    adoption = db.session.scalar(select(Adoption))
    assert (adoption.body, adoption.adopted_on) == (FIELDS["body"], ADOPTED_ON)
    assert adoption.pdf and adoption.sha256 == version_service.sha256(adoption.pdf)
