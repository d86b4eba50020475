"""Conditions on a group of questions and on a record's field, in Chromium: the questions
appear and disappear as the answer they depend on changes, and what was typed stays."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NORDMARK_COORDINATOR

pytestmark = pytest.mark.browser


def test_a_group_of_questions_appears_and_disappears_with_the_answer(open_as):
    page = open_as(NORDMARK_COORDINATOR, "/r/nordmark/steps/mandate")
    group = [
        page.locator("#q-previous_strategy_title"),
        page.locator("#q-previous_strategy_lessons"),
    ]
    for section in group:
        expect(section).to_be_hidden()  # asked once the region says it had a strategy
    page.get_by_label("The region has had one").check()
    for section in group:
        expect(section).to_be_visible()
    page.get_by_label("Title and period of the earlier strategy").fill("Inclusion Plan 2019-2023")
    page.get_by_label("This is the region's first").check()
    for section in group:
        expect(section).to_be_hidden()
    page.get_by_label("The region has had one").check()
    expect(page.get_by_label("Title and period of the earlier strategy")).to_have_value(
        "Inclusion Plan 2019-2023"
    )


def test_a_record_field_appears_only_for_actions_with_external_funding(open_as):
    page = open_as(NORDMARK_COORDINATOR, "/r/nordmark/records/action/new")
    breakdown = page.locator("#q-funding_breakdown")
    expect(breakdown).to_be_hidden()
    page.get_by_label("Partly or wholly from external funders").check()
    expect(breakdown).to_be_visible()
    expect(breakdown).to_contain_text("External funding breakdown")
    page.get_by_label("Regional budget only").check()
    expect(breakdown).to_be_hidden()
