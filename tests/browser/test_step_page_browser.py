"""The step page of issue 19 in Chromium at 1280 and 390 px: the save status stays in view
while typing at the top of a long step, a conflict shows at its field, a long text's Preview
renders Markdown (with and without JavaScript), stakeholder input is one link away, nothing
scrolls sideways and axe-core finds no serious or critical violation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from belong.demo.seed import PASSWORD
from belong.extensions import db
from belong.models import Answer, Region, Role
from belong.services import accounts
from belong.services import answers as answer_service
from belong.services import regions as region_service
from tests.browser.conftest import ROOT
from tests.browser.test_accessibility import RUN_AXE, WCAG_TAGS

pytestmark = pytest.mark.browser

SLUG = "step-page-browser"
EDITOR = "steppage.editor@belong.example"
OTHER = "steppage.other@belong.example"
VISION = f"/r/{SLUG}/steps/vision"
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 390, "height": 844}
AXE = str(ROOT / "node_modules" / "axe-core" / "axe.min.js")


@pytest.fixture(scope="module")
def region(live_server):
    """A region of its own: typing here autosaves, and other tests read the demo regions."""
    with live_server.app.app_context():
        region = region_service.create_region("Step Page Test", SLUG, "intercultural-region")
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


def _in_view(page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => { const r = document.querySelector(selector).getBoundingClientRect();
             return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }""",
        selector,
    )


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page scrolls sideways: {width} px"


def _no_serious_violations(page) -> None:
    page.add_script_tag(path=AXE)
    found = page.evaluate(RUN_AXE, WCAG_TAGS)
    serious = [v for v in found if v["impact"] in ("serious", "critical")]
    assert not serious, serious


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["1280", "390"])
def test_the_save_status_stays_in_view_while_typing_at_the_top(
    open_as, live_server, region, viewport
):
    page = open_as(EDITOR, VISION, viewport=viewport, bypass_csp=True)
    assert page.evaluate("document.documentElement.scrollHeight") > 3 * viewport["height"]
    field = page.locator("#q_vision_statement")
    field.fill("")
    assert _in_view(page, "#q_vision_statement")
    typed = f"A region where everyone belongs ({viewport['width']} px)"
    field.press_sequentially(typed, delay=10)
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("All changes saved", timeout=15_000)
    assert _in_view(page, "#autosave-status")  # the form's end is screens away, the status not
    assert page.evaluate("window.scrollY") < viewport["height"]  # nothing jumped to it
    expect(field).to_be_focused()  # the status never takes the focus
    expect(status).to_have_attribute("aria-live", "polite")
    assert _stored(live_server, "vision_statement") == typed
    _no_sideways_scroll(page)


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["1280", "390"])
def test_a_conflict_shows_at_its_field(open_as, live_server, region, viewport):
    page = open_as(EDITOR, VISION, viewport=viewport, bypass_csp=True)
    field = page.locator("#q_principle_equality")
    field.fill("")
    field.press_sequentially(f"Mine at {viewport['width']}", delay=10)
    expect(page.locator("#autosave-status")).to_contain_text("All changes saved", timeout=15_000)
    with live_server.app.app_context():  # someone else saves the same answer meanwhile
        answer_service.set_answer(
            db.session.scalar(select(Region).where(Region.slug == SLUG)),
            "vision",
            "principle_equality",
            f"Their newer text at {viewport['width']}",
            accounts.find_user(OTHER),
        )
        db.session.commit()
        db.session.remove()
    field.press_sequentially(" and more", delay=10)
    at_field = page.locator("#q-principle_equality .field-conflict")
    expect(at_field).to_contain_text(
        "Someone else saved a newer text of this answer", timeout=15_000
    )
    assert _in_view(page, "#q-principle_equality .field-conflict")
    expect(page.locator("#autosave-status")).to_contain_text("Someone else changed")
    expect(page.locator(".field-conflict")).to_have_count(1)  # only at that answer
    _no_sideways_scroll(page)
    _no_serious_violations(page)

    # Its button shows both texts; the field says where to compare them.
    page.on("dialog", lambda dialog: dialog.accept())
    at_field.get_by_role("button", name="Compare the two texts").click()
    expect(page.locator("#conflict-principle_equality")).to_contain_text(
        f"Their newer text at {viewport['width']}"
    )
    link = page.locator("#q-principle_equality .field-conflict a")
    expect(link).to_have_attribute("href", "#conflict-principle_equality")
    assert _stored(live_server, "principle_equality") == f"Their newer text at {viewport['width']}"
    _no_sideways_scroll(page)


MARKDOWN = (
    "### Our aim\n\nEveryone **belongs** here:\n\n- schools\n- [town hall](https://example.org)"
    "\n\n<script>window.hacked = 1</script>"
)


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["1280", "390"])
def test_preview_renders_markdown_beside_the_field(open_as, region, viewport):
    page = open_as(EDITOR, VISION, viewport=viewport, bypass_csp=True)
    help_ = page.locator("#q-principle_diversity .markdown-help")
    expect(help_.locator(".hint")).to_contain_text("Markdown works here")
    page.locator("#q_principle_diversity").fill(MARKDOWN)
    help_.get_by_role("button", name="Preview").click()
    preview = page.locator("#preview-principle_diversity")
    expect(preview.locator("strong")).to_have_text("belongs")
    expect(preview.locator("li")).to_have_count(2)
    expect(preview.locator("a")).to_have_attribute("href", "https://example.org")
    expect(preview.get_by_role("heading", name="Our aim")).to_be_visible()
    assert preview.locator("script").count() == 0
    assert page.evaluate("window.hacked") is None
    expect(page.locator("#q_principle_diversity")).to_have_value(MARKDOWN)
    described = page.locator("#q_principle_diversity").get_attribute("aria-describedby")
    assert "q_principle_diversity-markdown" in described
    _no_sideways_scroll(page)
    _no_serious_violations(page)


def test_preview_works_without_javascript_and_saves_nothing(open_as, live_server, region):
    page = open_as(EDITOR, VISION, viewport=NARROW, java_script_enabled=False)
    page.locator("#q_principle_interaction").fill("People **meet** in the square")
    page.locator("#q-principle_interaction").get_by_role("button", name="Preview").click()
    expect(page.locator("#preview-principle_interaction strong")).to_have_text("meet")
    expect(page.locator("#q_principle_interaction")).to_have_value("People **meet** in the square")
    assert _stored(live_server, "principle_interaction") is None
    _no_sideways_scroll(page)


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["1280", "390"])
def test_stakeholder_input_is_beside_the_form_or_one_link_away(open_as, viewport):
    page = open_as(
        "coordinator@belong.example",
        "/r/valdoria/steps/context",
        viewport=viewport,
        bypass_csp=True,
    )
    count = page.locator(".step-input-count a")
    expect(count).to_have_text("2 stakeholder inputs")
    panel = page.locator("#contributions")
    form = page.locator("#step-form")
    if viewport is WIDE:  # beside the form, in the guidance's column
        assert panel.bounding_box()["x"] + panel.bounding_box()["width"] <= form.bounding_box()["x"]
    count.click()
    expect(page.locator("#contributions-title")).to_be_in_viewport()
    _no_sideways_scroll(page)
    _no_serious_violations(page)


def test_enter_in_a_one_line_field_still_saves_rather_than_previews(open_as, live_server, region):
    """A Preview button stands before this field in the form; Enter keeps sending the form."""
    page = open_as(EDITOR, f"/r/{SLUG}/steps/mandate")
    first = page.locator("#step-form [type=submit]").first
    expect(first).to_have_attribute("value", re.compile("^preview:"))
    field = page.locator("#q_lead_department")
    field.fill("Office for Living Together")
    with page.expect_navigation():
        field.press("Enter")
    expect(page.locator(".markdown-preview:not(:empty)")).to_have_count(0)
    assert _stored(live_server, "lead_department") == "Office for Living Together"
