"""Text kept over an ended sign-in, in Chromium: after signing in again, Save on the kept
page stores it (the form posts to the step's address), and only then is it forgotten."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from belong.demo.seed import PASSWORD
from belong.extensions import db
from belong.models import Answer, KeptForm, Region, Role
from belong.services import accounts
from belong.services import regions as region_service

pytestmark = pytest.mark.browser

SLUG = "recovery-browser"
EDITOR = "recovery.editor@belong.example"
STEP = f"/r/{SLUG}/steps/mandate"
TEXT = "Directorate for Social Cohesion, typed before the sign-in ended"


@pytest.fixture(scope="module")
def region(live_server):
    """A region and editor of their own: the test signs this editor out everywhere."""
    with live_server.app.app_context():
        region = region_service.create_region("Recovery Test", SLUG, "intercultural-region")
        accounts.create_user(EDITOR, "Recovery Editor", password=PASSWORD)
        accounts.invite(region, EDITOR, EDITOR, Role.EDITOR, hours=1)
        db.session.commit()
        db.session.remove()
    return SLUG


def _stored_and_kept(live_server) -> tuple[str | None, int]:
    with live_server.app.app_context():
        region_id = db.session.scalar(select(Region.id).where(Region.slug == SLUG))
        value = db.session.scalar(
            select(Answer.value).where(
                Answer.region_id == region_id, Answer.question_id == "lead_department"
            )
        )
        kept = db.session.scalar(
            select(func.count()).select_from(KeptForm).where(KeptForm.region_id == region_id)
        )
        db.session.remove()
        return value, kept


def test_save_on_the_kept_page_stores_the_text(open_as, live_server, region):
    page = open_as(EDITOR, STEP)
    # Typed without input events, so autosave never starts: only the Save button saves here.
    page.locator("#q_lead_department").evaluate("(field, text) => { field.value = text; }", TEXT)
    other_tab = page.context.new_page()  # signing out in another tab ends this sign-in too
    other_tab.goto(live_server("/account/password"))
    other_tab.click("form[action$='/logout'] button")
    other_tab.close()
    page.click("#step-form button[value=save]")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.fill("#email", EDITOR)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    expect(page).to_have_url(live_server(STEP + "/kept"))
    expect(page.locator("#q_lead_department")).to_have_value(TEXT)
    assert _stored_and_kept(live_server) == (None, 1)  # shown to check, still kept
    page.click("#step-form button[value=save]")
    expect(page).to_have_url(live_server(STEP))
    expect(page.locator("body")).to_contain_text("Your answers to this step are saved.")
    assert _stored_and_kept(live_server) == (TEXT, 0)
