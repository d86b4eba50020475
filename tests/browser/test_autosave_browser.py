"""autosave.js in Chromium: saves after typing stops, shows its state, never overwrites a
newer text, and warns before leaving with unsaved text."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from belong.demo.seed import PASSWORD
from belong.extensions import db
from belong.models import Answer, Region, Role
from belong.services import accounts
from belong.services import answers as answer_service
from belong.services import regions as region_service

pytestmark = pytest.mark.browser

SLUG = "autosave-browser"
EDITOR = "autosave.editor@belong.example"
OTHER = "autosave.other@belong.example"
STEP = f"/r/{SLUG}/steps/mandate"


@pytest.fixture(scope="module")
def region(live_server):
    """A region of its own, so the demo regions other browser tests read stay as they are."""
    with live_server.app.app_context():
        region = region_service.create_region("Autosave Test", SLUG, "intercultural-region")
        for email in (EDITOR, OTHER):
            accounts.create_user(email, email.split("@")[0].title(), password=PASSWORD)
            accounts.invite(region, email, email, Role.EDITOR, hours=1)
        db.session.commit()
        db.session.remove()
    return SLUG


def _stored(live_server, question_id: str):
    with live_server.app.app_context():
        value = db.session.scalar(
            select(Answer.value)
            .join(Region, Region.id == Answer.region_id)
            .where(Region.slug == SLUG, Answer.question_id == question_id)
        )
        db.session.remove()
        return value


def test_autosave_saves_shows_state_and_stops_at_a_newer_text(open_as, live_server, region):
    page = open_as(EDITOR, STEP)
    status = page.locator("#autosave-status")
    expect(status).to_have_attribute("aria-live", "polite")
    field = page.locator("#q_lead_department")
    field.click()
    field.press_sequentially("Department of Social Affairs", delay=10)
    expect(status).to_contain_text("All changes saved")
    assert _stored(live_server, "lead_department") == "Department of Social Affairs"
    expect(page.locator("#v_lead_department")).to_have_value("1")
    field.press_sequentially(" and Culture", delay=10)
    expect(page.locator("#v_lead_department")).to_have_value("2")
    assert _stored(live_server, "lead_department") == "Department of Social Affairs and Culture"

    # Someone else saves the same answer meanwhile.
    with live_server.app.app_context():
        other = accounts.find_user(OTHER)
        answer_service.set_answer(
            db.session.scalar(select(Region).where(Region.slug == SLUG)),
            "mandate",
            "lead_department",
            "Their newer text",
            other,
        )
        db.session.commit()
        db.session.remove()
    field.press_sequentially(" (mine)", delay=10)
    expect(status).to_contain_text("Someone else changed “Lead department”")
    assert _stored(live_server, "lead_department") == "Their newer text"

    # That text is not saved, so leaving asks first.
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.get_by_role("link", name="All steps").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    expect(page).to_have_url(live_server(STEP))

    # The Save button shows both texts; nothing was overwritten.
    page.remove_listener("dialog", answer)
    page.get_by_role("button", name="Save", exact=True).click()
    conflict = page.locator("#conflict")
    expect(conflict).to_contain_text("Their newer text")
    expect(conflict).to_contain_text("Department of Social Affairs and Culture (mine)")
    assert _stored(live_server, "lead_department") == "Their newer text"
