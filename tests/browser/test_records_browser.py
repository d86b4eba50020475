"""An action of the results chain, added and edited with the keyboard alone, in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NORDMARK_COORDINATOR

pytestmark = pytest.mark.browser


def _tab_to(page, locator, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {locator}")


def test_an_action_is_added_and_edited_with_the_keyboard_alone(open_as):
    page = open_as(NORDMARK_COORDINATOR, "/r/nordmark/steps/action_plan")
    add = page.get_by_role("link", name="Add: Action")
    _tab_to(page, add)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("New: Action")
    _tab_to(page, page.get_by_label("Action", exact=False).first)
    page.keyboard.type("Welcome points in every district")
    objective = page.get_by_label("A welcome point in every district by 2029")
    _tab_to(page, objective)
    page.keyboard.press("Space")
    _tab_to(page, page.get_by_role("button", name="Save", exact=True))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/r/nordmark/steps/action_plan"))
    expect(page.locator(".notice-success")).to_contain_text("is added")
    link = page.get_by_role("link", name="Welcome points in every district")
    _tab_to(page, link)
    page.keyboard.press("Enter")
    field = page.locator("#f_lead")
    _tab_to(page, field)
    page.keyboard.type("Nordmark welcome office")
    _tab_to(page, page.get_by_role("button", name="Save", exact=True))
    page.keyboard.press("Enter")
    expect(page.locator("#records-action")).to_contain_text("Nordmark welcome office")
