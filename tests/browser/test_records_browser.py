"""Record lists in Chromium: an action and a stakeholder added and edited with the keyboard
alone (the add form opens in the list, records.js, and the focus follows), and rows pasted
from a spreadsheet land after the preview, all or none."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NORDMARK_COORDINATOR
from tests.browser.pages import PASTED_STAKEHOLDERS

pytestmark = pytest.mark.browser


def _tab_to(page, locator, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {locator}")


def _focused(page, locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def test_an_action_is_added_and_edited_with_the_keyboard_alone(open_as):
    page = open_as(NORDMARK_COORDINATOR, "/r/nordmark/steps/action_plan")
    add = page.get_by_role("link", name="Add: Action")
    _tab_to(page, add)
    page.keyboard.press("Enter")
    # The form opens under the list, the focus in its first field; the page stays.
    title = page.locator(".record-panel #f_title")
    expect(title).to_be_focused()
    expect(page).to_have_url(re.compile(r"/r/nordmark/steps/action_plan$"))
    page.keyboard.type("Welcome points in every district")
    objective = page.get_by_label("A welcome point in every district by 2029")
    _tab_to(page, objective)
    page.keyboard.press("Space")
    _tab_to(page, page.locator(".record-panel").get_by_role("button", name="Save", exact=True))
    page.keyboard.press("Enter")
    link = page.locator("#records-action").get_by_role(
        "link", name="Welcome points in every district"
    )
    expect(link).to_be_focused()  # the focus goes to the record just added
    expect(page.locator("#records-live")).to_contain_text("is added")
    expect(page.locator(".record-panel")).to_have_count(0)
    page.keyboard.press("Enter")
    field = page.locator("#f_lead")
    _tab_to(page, field)
    page.keyboard.type("Nordmark welcome office")
    _tab_to(page, page.get_by_role("button", name="Save", exact=True))
    page.keyboard.press("Enter")
    expect(page.locator("#records-action")).to_contain_text("Nordmark welcome office")


def test_a_stakeholder_form_shows_its_errors_in_place_and_escape_closes_it(open_as):
    page = open_as(NORDMARK_COORDINATOR, "/r/nordmark/steps/stakeholders")
    add = page.get_by_role("link", name="Add: Stakeholder")
    _tab_to(page, add)
    page.keyboard.press("Enter")
    expect(page.locator(".record-panel #f_organisation")).to_be_focused()
    page.keyboard.type("Harbour Youth Club")
    _tab_to(page, page.locator(".record-panel").get_by_role("button", name="Save", exact=True))
    page.keyboard.press("Enter")  # no category: refused, shown in the panel
    summary = page.locator(".record-panel #error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Category")
    expect(page.locator(".record-panel #f_organisation")).to_have_value("Harbour Youth Club")
    page.keyboard.press("Escape")
    expect(page.locator(".record-panel")).to_have_count(0)
    expect(add).to_be_focused()
    page.keyboard.press("Enter")
    panel = page.locator(".record-panel")
    expect(panel.locator("#f_organisation")).to_be_focused()
    page.keyboard.type("Harbour Youth Club")
    _tab_to(page, panel.locator("input[name=f_category]").first)  # a radio group: arrows
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    expect(panel.get_by_label("NGO or foundation")).to_be_checked()
    _tab_to(page, panel.get_by_role("button", name="Save", exact=True))
    page.keyboard.press("Enter")
    expect(
        page.locator("#records-stakeholder").get_by_role("link", name="Harbour Youth Club")
    ).to_be_focused()


def test_rows_pasted_from_a_spreadsheet_land_after_the_preview(open_as):
    page = open_as(NORDMARK_COORDINATOR, "/r/nordmark/steps/stakeholders")
    page.get_by_role("link", name="Paste rows from a spreadsheet").click()
    page.locator("#rows").fill(PASTED_STAKEHOLDERS)
    page.get_by_role("button", name="Preview").click()
    # One category is no option: nothing can be added yet, and the cell says why.
    expect(page.locator(".error-summary")).to_contain_text("1 row has a problem")
    expect(page.locator("td.cell-error")).to_have_text("bakers")
    expect(page.get_by_role("button", name=re.compile("^Add"))).to_have_count(0)
    # The reader corrects the row in the box and updates the preview.
    page.locator("#rows").fill(
        PASTED_STAKEHOLDERS.replace("bakers", "Employer, business or trade union")
    )
    page.get_by_role("button", name="Update the preview").click()
    expect(page.locator("#map-1")).to_have_value("category")
    expect(page.get_by_role("status").first).to_contain_text("2 rows are ready")
    page.get_by_role("button", name="Add all 2 records").click()
    expect(page).to_have_url(re.compile(r"/r/nordmark/steps/stakeholders#records-stakeholder$"))
    expect(page.locator(".notice-success")).to_contain_text("2 records are added.")
    register = page.locator("#records-stakeholder")
    expect(register).to_contain_text("Harbour Youth Club")
    expect(register).to_contain_text("Valley Bakers' Guild")
